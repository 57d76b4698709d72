import type { ReadChunk, ReadOptions } from '../Format.js';
import { recordAlignedRange, type ByteRange } from '../byteRange.js';
import { withFileLineNumbers } from '../rangeLineNumbers.js';
import { parseJsonLinesBytes } from './jsonLinesBytes.js';
import type { JsonOptions } from './jsonReader.js';

/** The JSON-lines records of one byte range of a file (a parallel split), with the file's line numbers. */
export function readJsonLinesRange(file: string, range: ByteRange, options: JsonOptions, read: ReadOptions): AsyncIterable<ReadChunk> {
  const bytes = recordAlignedRange(file, range);
  return withFileLineNumbers(parseJsonLinesBytes(bytes, { file, options, read }), file, range.start);
}
