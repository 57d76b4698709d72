import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** Writes files under `root` from a `{ 'relative/path': contents }` map (a `.gz` path is gzipped). */
export async function writeLake(root: string, files: Record<string, string | Uint8Array>): Promise<void> {
  for (const [relative, contents] of Object.entries(files)) {
    const path = join(root, ...relative.split('/'));
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, relative.endsWith('.gz') ? gzipSync(contents) : contents);
  }
}

/** A CSV file of `rows` rows: id (bigint), name (string), score (double), with a header. */
export const salesCsv = (rows: number, from = 1): string =>
  ['id,name,score', ...Array.from({ length: rows }, (_, i) => `${from + i},name${from + i},${(from + i) * 1.5}`)].join('\n') + '\n';
