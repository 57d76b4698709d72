import { Schema } from 'apache-arrow';
import { SluiceError } from '../../../types/ErrorRecord.js';
import { openBytes } from '../../input.js';
import type { FormatReader, ReadChunk, ReadOptions } from '../Format.js';
import { recordAlignedRange, type ByteRange } from '../byteRange.js';
import { textLines } from '../json/textLines.js';
import { withFileLineNumbers } from '../rangeLineNumbers.js';
import { RecordBatcher, type ParseMode } from '../RecordBatcher.js';
import { capturedTexts, compileGrok, type CompiledGrok } from './compileGrok.js';
import { grokFields, grokValue } from './grokValues.js';

/** Glue's `format="grokLog"` options. */
export interface GrokOptions {
  /** The grok pattern of a line (required), e.g. `%{COMBINEDAPACHELOG}`. */
  logFormat: string;
  /** More patterns, `NAME regex` one per line, that `logFormat` may name. */
  customPatterns?: string;
  /** The text that means a missing value (default `-`): read as null. */
  MISSING?: string;
  /** Lines per record: only 1, as in Glue. */
  LineCount?: number | string;
  /** A line that does not match, or a value that does not convert, stops the read (Glue: no recovery). */
  StrictMode?: boolean | string;
  /** permissive (default): such lines become error records; dropMalformed: dropped; failFast: throw. */
  mode?: ParseMode;
}

function compiled(path: string, options: GrokOptions): CompiledGrok {
  if (typeof options?.logFormat !== 'string' || options.logFormat === '') {
    throw new SluiceError(`Reading grokLog ${path} needs the logFormat option: the grok pattern of a line, e.g. { logFormat: '%{COMBINEDAPACHELOG}' }`, { file: path });
  }
  if (options.LineCount !== undefined && Number(options.LineCount) !== 1) {
    throw new SluiceError(`grokLog option LineCount is ${JSON.stringify(options.LineCount)}: only single-line records (1) are read, as in Glue`, { file: path });
  }
  return compileGrok(options.logFormat, options.customPatterns ?? '');
}

const isStrict = (options: GrokOptions) => options.StrictMode === true || String(options.StrictMode).toLowerCase() === 'true';

/**
 * Reads log lines with a grok pattern as Glue's grokLog format does: each matching line is a row of
 * the pattern's fields, cast as the pattern says (`%{NUMBER:bytes:long}`), the MISSING token (`-`)
 * as null. A line that does not match, or whose value does not convert, is kept as an error record
 * with its file and line (never dropped in silence); StrictMode stops the read there instead.
 * Blank lines are skipped.
 */
async function* parseGrokLines(bytes: AsyncIterable<Uint8Array>, path: string, options: GrokOptions, read: ReadOptions): AsyncGenerator<ReadChunk> {
  const grok = compiled(path, options);
  const missing = options.MISSING ?? '-';
  const batcher = new RecordBatcher(path, read, isStrict(options) ? 'failFast' : options.mode);
  const wanted = batcher.fields.map((field) => grok.fields.findIndex((f) => f.name === field.name));
  for await (const { lines, firstLine } of textLines(bytes)) {
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i];
      if (line.trim() === '') continue;
      const reject = (why: string) => batcher.reject({ message: `${path}:${firstLine + i}: ${why}`, file: path, line: firstLine + i, raw: line });
      const match = grok.regex.exec(line);
      if (!match) {
        reject(`the line does not match the grok pattern ${options.logFormat}`);
        continue;
      }
      const texts = capturedTexts(grok, match);
      const values: unknown[] = new Array(wanted.length);
      let misfit: string | undefined;
      for (let k = 0; k < wanted.length && misfit === undefined; k++) {
        const at = wanted[k];
        const converted = grokValue(texts[at], grok.fields[at].type, missing);
        if ('misfit' in converted) misfit = `field ${grok.fields[at].name}: ${converted.misfit}`;
        else values[k] = converted.value;
      }
      if (misfit !== undefined) {
        reject(misfit);
        continue;
      }
      const full = batcher.append(values);
      if (full) yield full;
    }
  }
  const last = batcher.finish();
  if (last) yield last;
}

/** Reads log files (`.gz`, `.bz2`, `.zst` by extension) line by line with a grok pattern (Glue's grokLog). */
export const grokReader: FormatReader<GrokOptions> = {
  // The pattern declares the columns and their types: nothing is sampled.
  inferSchema: async (path, options) => new Schema(grokFields(compiled(path, options).fields)),
  read: (path, options, read) => parseGrokLines(openBytes(path), path, options, read),
};

/** The lines of one byte range of a (plain) log file, a parallel split, with the file's line numbers. */
export function readGrokRange(file: string, range: ByteRange, options: GrokOptions, read: ReadOptions): AsyncIterable<ReadChunk> {
  return withFileLineNumbers(parseGrokLines(recordAlignedRange(file, range), file, options, read), file, range.start);
}
