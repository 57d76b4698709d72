import { readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { claimBeforeRead } from './rangeBoundary.js';

const LF = 0x0a;

/**
 * A byte range of a file (see SplitPart). `endBoundary`: its end is shared with the next range,
 * which may move it while both run (rangeBoundary.ts); `end` is then where it was planned.
 */
export interface ByteRange {
  start: number;
  end: number;
  endBoundary?: SharedArrayBuffer;
}

/**
 * The bytes of the records a byte range owns (see SplitPart): from just after the first '\n' at
 * or after `start` (from 0 when start is 0) through the first '\n' at or after `end`, or to the
 * end of the file. One buffer is reused, so a chunk is valid only until the next is asked for —
 * both line parsers copy (CSV) or decode (JSON lines) each chunk at once.
 *
 * Read synchronously, on the parsing thread: with the driver and a worker keeping both cores busy,
 * an async read waits for a libuv thread to get a core, and each thread sat idle ~8% of a run
 * (W2); a 1 MiB read from the page cache blocks for a fraction of a millisecond. W1, W2, W3:
 * 0.96–0.98× wall (11 pairs). Reading ahead asynchronously into a second buffer did not help.
 */
export async function* recordAlignedRange(path: string, range: ByteRange, chunkSize = 1 << 20): AsyncGenerator<Uint8Array> {
  const { start, endBoundary } = range;
  // Unknown while the boundary with the next range is open: the bytes read so far are claimed.
  let end = endBoundary ? undefined : range.end;
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(chunkSize);
    let position = start;
    let begun = start === 0;
    for (;;) {
      if (end === undefined) end = claimBeforeRead(endBoundary!, position, chunkSize, range.end);
      const bytesRead = readSync(handle.fd, buffer, 0, chunkSize, position);
      if (bytesRead === 0) return;
      const chunkStart = position;
      position += bytesRead;
      const view = buffer.subarray(0, bytesRead);
      let from = 0;
      if (!begun) {
        const newline = view.indexOf(LF);
        if (newline < 0) continue; // still inside the record that began before `start`
        begun = true;
        from = newline + 1;
        // The first record starting after `start` starts past `end`: it is the next range's.
        if (end !== undefined && chunkStart + from > end) return;
      }
      if (end !== undefined && position > end) {
        const stop = view.indexOf(LF, Math.max(from, end - chunkStart));
        if (stop >= 0) {
          yield view.subarray(from, stop + 1);
          return;
        }
      }
      if (from < bytesRead) yield view.subarray(from);
    }
  } finally {
    await handle.close();
  }
}

/**
 * How many '\n' bytes a file holds before `offset`: the line number a byte range starts at,
 * asked only when the range has an error record to place. memchr-speed (`indexOf`) over 4 MiB
 * reads, so even a split deep into a large file pays well under a second.
 */
export async function countNewlinesBefore(path: string, offset: number): Promise<number> {
  const handle = await open(path, 'r');
  try {
    const size = 4 << 20;
    const buffer = Buffer.allocUnsafe(size);
    let count = 0;
    for (let position = 0; position < offset; ) {
      const { bytesRead } = await handle.read(buffer, 0, Math.min(size, offset - position), position);
      if (bytesRead === 0) break;
      for (let i = buffer.indexOf(LF, 0); i >= 0 && i < bytesRead; i = buffer.indexOf(LF, i + 1)) count++;
      position += bytesRead;
    }
    return count;
  } finally {
    await handle.close();
  }
}
