import { SluiceError, type ErrorRecord } from '../../types/ErrorRecord.js';
import type { ReadChunk } from './Format.js';
import { countNewlinesBefore } from './byteRange.js';

/**
 * A range that starts inside a file numbers its lines from 1; its error records (and a failFast
 * error) get the file's line numbers back by adding the newlines before the range, counted only
 * once an error needs them. The range's reader skipped through the first '\n' at or after
 * `start`, so its first line is preceded by the newlines before `start` plus that one.
 */
export async function* withFileLineNumbers(chunks: AsyncIterable<ReadChunk>, file: string, start: number): AsyncGenerator<ReadChunk> {
  if (start === 0) {
    yield* chunks;
    return;
  }
  let offset: number | undefined;
  const lineOffset = async () => (offset ??= (await countNewlinesBefore(file, start)) + 1);
  try {
    for await (const chunk of chunks) {
      if (chunk.errors.some((e) => e.file === file && e.line !== undefined)) {
        const shift = await lineOffset();
        for (const e of chunk.errors) shiftLine(e, file, shift);
      }
      yield chunk;
    }
  } catch (error) {
    if (error instanceof SluiceError && error.details.file === file && error.details.line !== undefined) {
      const details = { ...error.details };
      const before = `${file}:${details.line}`;
      shiftLine(details as ErrorRecord, file, await lineOffset());
      throw new SluiceError(error.message.replace(before, `${file}:${details.line}`), details);
    }
    throw error;
  }
}

function shiftLine(e: ErrorRecord, file: string, shift: number): void {
  if (e.file !== file || e.line === undefined) return;
  const before = `${file}:${e.line}`;
  e.line += shift;
  if (e.message?.startsWith(before)) e.message = `${file}:${e.line}${e.message.slice(before.length)}`;
}
