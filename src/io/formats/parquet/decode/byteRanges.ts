import { open, type FileHandle } from 'node:fs/promises';
import { isS3Path } from '../../../store/s3Path.js';

/** Byte ranges of one file, read as a read needs them. */
export interface ByteRanges {
  read(start: number, end: number): Promise<Uint8Array>;
  /** Several ranges ([start, end) pairs, ascending), each as its own bytes. */
  readAll(spans: number[]): Promise<Uint8Array[]>;
  close(): Promise<void>;
}

/** Ranges of an S3 object closer than this are fetched by one GET (a request costs more than the bytes between; object_store's default). */
const S3_COALESCE_GAP = 1 << 20;

/** Reads ascending [start, end) pairs, merging those less than `gap` bytes apart into one read, each returned as its own bytes. */
export async function readCoalesced(read: ByteRanges['read'], spans: number[], gap: number): Promise<Uint8Array[]> {
  const merged: number[] = [];
  for (let k = 0; k < spans.length; k += 2) {
    if (merged.length > 0 && spans[k] - merged[merged.length - 1] <= gap) merged[merged.length - 1] = Math.max(merged[merged.length - 1], spans[k + 1]);
    else merged.push(spans[k], spans[k + 1]);
  }
  const reads = await Promise.all(merged.filter((_, k) => k % 2 === 0).map((start, k) => read(start, merged[2 * k + 1])));
  const out: Uint8Array[] = [];
  let m = 0;
  for (let k = 0; k < spans.length; k += 2) {
    while (spans[k + 1] > merged[2 * m + 1]) m++;
    out.push(reads[m].subarray(spans[k] - merged[2 * m], spans[k + 1] - merged[2 * m]));
  }
  return out;
}

/**
 * A local file's ranges through one file handle (read on libuv's pool straight into the buffer: a
 * file-backed Blob's arrayBuffer costs ~3× the CPU); an S3 object's through its ranged Blob.
 */
export function byteRanges(path: string, blob: Blob): ByteRanges {
  if (isS3Path(path)) {
    const read = async (start: number, end: number) => new Uint8Array(await blob.slice(start, end).arrayBuffer());
    return { read, readAll: (spans) => readCoalesced(read, spans, S3_COALESCE_GAP), close: async () => undefined };
  }
  let handle: Promise<FileHandle> | undefined;
  return {
    readAll(spans) {
      return readCoalesced((start, end) => this.read(start, end), spans, 0);
    },
    async read(start, end) {
      handle ??= open(path, 'r');
      const file = await handle;
      const out = new Uint8Array(end - start);
      for (let at = 0; at < out.length; ) {
        const { bytesRead } = await file.read(out, at, out.length - at, start + at);
        if (bytesRead === 0) throw new Error(`the file ends at byte ${start + at}, before the chunk's end ${end}`);
        at += bytesRead;
      }
      return out;
    },
    async close() {
      const opened = handle;
      handle = undefined;
      if (opened) await (await opened.catch(() => undefined))?.close();
    },
  };
}
