import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** Writes files under `root` from a `{ 'relative/path': contents }` map (a `.gz` path is gzipped, `.bz2` and `.zst` compressed by the system's bzip2 and zstd). */
export async function writeLake(root: string, files: Record<string, string | Uint8Array>): Promise<void> {
  for (const [relative, contents] of Object.entries(files)) {
    const path = join(root, ...relative.split('/'));
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, compressed(relative, contents));
  }
}

/** A CSV file of `rows` rows: id (bigint), name (string), score (double), with a header. */
export const salesCsv = (rows: number, from = 1): string =>
  ['id,name,score', ...Array.from({ length: rows }, (_, i) => `${from + i},name${from + i},${(from + i) * 1.5}`)].join('\n') + '\n';

function compressed(relative: string, contents: string | Uint8Array): string | Uint8Array {
  if (relative.endsWith('.gz')) return gzipSync(contents);
  if (relative.endsWith('.bz2')) return execFileSync('bzip2', ['-c'], { input: contents, maxBuffer: 1 << 30 });
  if (relative.endsWith('.zst')) return execFileSync('zstd', ['-c', '-q'], { input: contents, maxBuffer: 1 << 30 });
  return contents;
}
