import { Schema, Struct } from 'apache-arrow';
import type { DataType } from 'apache-arrow';
import { openBytes } from '../../input.js';
import { SluiceError } from '../../../types/ErrorRecord.js';
import type { FormatReader, ReadChunk, ReadOptions } from '../Format.js';
import { mergeTypes } from '../json/inferJsonSchema.js';
import { RecordBatcher, type ParseMode } from '../RecordBatcher.js';
import { scanRowElements, type RowElement } from './xmlRowScanner.js';
import { parseRow, repeatedPaths, rowParser, settleType, toSchemaValue, typeOfXmlValue, type XmlNaming } from './xmlValues.js';

export interface XmlOptions {
  /** The element whose occurrences are rows, e.g. `order` (required, as in Glue). */
  rowTag: string;
  /** Prefix of attribute fields (default `_`). */
  attributePrefix?: string;
  /** Field holding an element's text when it also has attributes or is a struct (default `_VALUE`). */
  valueTag?: string;
  /** permissive (default): malformed rows become error records; dropMalformed: dropped; failFast: throw. */
  mode?: ParseMode;
  /** Rows sampled by `inferSchema` (default 1,000). */
  samplingRows?: number;
}

const DEFAULT_SAMPLING_ROWS = 1_000;

function namingOf(path: string, options: XmlOptions): XmlNaming {
  if (!options?.rowTag || /[\s<>/]/.test(options.rowTag)) {
    throw new SluiceError(`Reading XML ${path} needs the rowTag option: the element name whose occurrences are rows, e.g. { rowTag: 'order' }`, { file: path });
  }
  return { rowTag: options.rowTag, attributePrefix: options.attributePrefix ?? '_', valueTag: options.valueTag ?? '_VALUE' };
}

/** Where XML bytes come from, for error records. */
export interface XmlSource {
  file: string;
  options: XmlOptions;
  read: ReadOptions;
}

/**
 * The XML reader without the file: scans any byte source for row elements and builds batches.
 * Each row is parsed on its own, so memory holds one batch, not the document.
 */
export async function* parseXmlBytes(bytes: AsyncIterable<Uint8Array>, source: XmlSource): AsyncGenerator<ReadChunk> {
  const { file, options, read } = source;
  const naming = namingOf(file, options);
  const parser = rowParser(naming);
  const batcher = new RecordBatcher(file, read, options.mode);
  const { fields } = batcher;
  const reject = (element: RowElement, why: string) =>
    batcher.reject({ message: `${file}:${element.line}: ${why}`, file, line: element.line, raw: element.text });

  for await (const elements of scanRowElements(bytes, naming.rowTag)) {
    for (const element of elements) {
      if (element.unterminated) {
        reject(element, `malformed XML: <${naming.rowTag}> is not closed before the end of the file`);
        continue;
      }
      let record: Record<string, unknown>;
      try {
        record = parseRow(parser, naming, element.text);
      } catch (error) {
        reject(element, `malformed XML: ${error instanceof Error ? error.message : String(error)}`);
        continue;
      }
      const values = fields.map((field) => toSchemaValue(record[field.name], field.type, naming));
      const misfit = batcher.misfit(values);
      if (misfit) {
        reject(element, misfit);
        continue;
      }
      const full = batcher.append(values);
      if (full) yield full;
    }
  }
  const last = batcher.finish();
  if (last) yield last;
}

/**
 * Infers a schema from the first `samplingRows` well-formed rows: see `typeOfXmlValue` for how
 * texts are typed. Elements repeated in any sampled row are lists in all; a field seen as both
 * text and struct (or number and struct…) becomes utf8 holding its JSON text, as in the JSON reader.
 */
async function inferSchema(path: string, options: XmlOptions): Promise<Schema> {
  const naming = namingOf(path, options);
  const parser = rowParser(naming);
  const limit = options.samplingRows ?? DEFAULT_SAMPLING_ROWS;
  const sample: Record<string, unknown>[] = [];
  for await (const elements of scanRowElements(openBytes(path), naming.rowTag)) {
    for (const element of elements) {
      if (element.unterminated) continue;
      try {
        sample.push(parseRow(parser, naming, element.text));
      } catch {
        // malformed rows say nothing about the schema; read() reports them
      }
    }
    if (sample.length >= limit) break;
  }
  const records = sample.slice(0, limit);
  const repeated = repeatedPaths(records);
  let merged: DataType = new Struct([]);
  for (const record of records) merged = mergeTypes(merged, typeOfXmlValue(record, repeated, naming));
  return new Schema((settleType(merged) as Struct).children);
}

/**
 * Reads XML files (gzip by extension) as Glue does with `rowTag`: each `<rowTag>` element is a
 * row, attributes are `_`-prefixed fields, nested elements structs, repeated elements lists.
 */
export const xmlReader: FormatReader<XmlOptions> = {
  inferSchema,
  read: (path, options, read) => parseXmlBytes(openBytes(path), { file: path, options, read }),
};
