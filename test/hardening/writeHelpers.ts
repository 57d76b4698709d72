import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { stagingRootOf } from '../../src/io/store/stagingFolder.js';
import { duck } from '../support/duck.js';
import { filesUnder } from '../support/files.js';

/** Writes a CSV of `id,grp` rows (grp from the id's parity). */
export async function writeIds(path: string, ids: number[]): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, ['id,grp', ...ids.map((id) => `${id},${id % 2 === 0 ? 'even' : 'odd'}`)].join('\n') + '\n');
}

export const ids = (from: number, count: number): number[] => Array.from({ length: count }, (_, i) => from + i);

/** The ids of a parquet output as DuckDB sees it through a recursive glob, sorted (duplicates kept). */
export async function duckIds(out: string): Promise<number[]> {
  if (!existsSync(out) || !(await filesUnder(out)).some((f) => f.endsWith('.parquet'))) return [];
  const rows = await duck(`SELECT id::BIGINT AS id FROM read_parquet('${out}/**/*.parquet', hive_partitioning = false) ORDER BY id`);
  return rows.map((r) => Number(r.id));
}

/** Files left in an output's staging folder, beside it (the lock aside). */
export const stagedUnder = async (out: string): Promise<string[]> =>
  (await filesUnder(stagingRootOf(out))).filter((f) => f !== 'lock.json');

export const sorted = (values: number[]): number[] => [...values].sort((a, b) => a - b);

/** A job spec reading `in/` and writing it twice: `a` (parquet) and `b` (parquet by grp). */
export function twoSinkSpec(dir: string, mode: 'overwrite' | 'append' | 'error' = 'overwrite', bMode = mode) {
  return {
    name: 'twosinks',
    nodes: [
      { id: 'src', type: 'read', format: 'csv', paths: [join(dir, 'in')], formatOptions: { withHeader: true }, schema: { id: 'int64', grp: 'string' } },
      { id: 'a', type: 'write', input: 'src', format: 'parquet', path: join(dir, 'out-a'), mode },
      { id: 'b', type: 'write', input: 'src', format: 'parquet', path: join(dir, 'out-b'), partitionKeys: ['grp'], mode: bMode },
    ],
  };
}
