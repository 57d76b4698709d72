import { Struct, type DataType } from 'apache-arrow';
import { mergeTypes } from '../../io/formats/json/inferJsonSchema.js';
import { scanRowElements } from '../../io/formats/xml/xmlRowScanner.js';
import { parseRow, repeatedPaths, rowParser, settleType, typeOfXmlValue, type XmlNaming } from '../../io/formats/xml/xmlValues.js';
import { sampleText, type Classification } from './Classification.js';
import type { FileSample } from './sampleFile.js';

const SAMPLE_RECORDS = 1000;

/** A custom XML classifier (Glue's `XMLClassifier`): rows are the `RowTag` elements; `Classification` names the tables. */
export interface XmlClassifierDef {
  Name: string;
  Classification?: string;
  RowTag: string;
}

/**
 * Glue's XML classifier: rows are the `rowTag` elements (a custom classifier's, else the first
 * element inside the document's root), attributes `_name` fields, children fields, repeated
 * children arrays, as the XML reader reads them. Certain when at least one row parses.
 */
export async function classifyXml(sample: FileSample, custom?: XmlClassifierDef): Promise<Classification | undefined> {
  const text = sampleText(sample);
  if (!/^\s*</.test(text)) return undefined;
  const rowTag = custom?.RowTag ?? firstChildOfRoot(text);
  if (!rowTag) return undefined;
  const naming: XmlNaming = { rowTag, attributePrefix: '_', valueTag: '_VALUE' };
  const parser = rowParser(naming);
  const rows: Record<string, unknown>[] = [];
  let bytes = 0;
  for await (const elements of scanRowElements(once(sample.text), rowTag)) {
    for (const element of elements) {
      if (element.unterminated || rows.length >= SAMPLE_RECORDS) continue;
      try {
        rows.push(parseRow(parser, naming, element.text));
        bytes += Buffer.byteLength(element.text);
      } catch {
        return undefined; // malformed: not XML this classifier can read
      }
    }
  }
  if (rows.length === 0) return undefined;
  const repeated = repeatedPaths(rows);
  let merged: DataType = new Struct([]);
  for (const row of rows) merged = mergeTypes(merged, typeOfXmlValue(row, repeated, naming));
  return {
    classification: custom?.Classification ?? 'xml',
    fields: (settleType(merged) as Struct).children,
    sampleRecords: rows.length,
    sampleBytes: bytes,
    exactRecords: sample.complete && rows.length < SAMPLE_RECORDS ? rows.length : undefined,
    parameters: { rowTag },
    conflicts: 'string',
  };
}

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

/** The name of the first element inside the root element (declarations, comments and doctypes skipped). */
function firstChildOfRoot(text: string): string | undefined {
  const tags = /<([A-Za-z_][\w.:-]*)[\s/>]/g;
  let depth = 0;
  const cleaned = text.replace(/<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>]*>|<!\[CDATA\[[\s\S]*?\]\]>/g, '');
  for (let match = tags.exec(cleaned); match; match = tags.exec(cleaned)) {
    if (depth === 1) return match[1];
    depth++;
  }
  return undefined;
}
