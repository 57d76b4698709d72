import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { read } from '../../src/frame/read.js';

export const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const tempDir = () => mkdtemp(join(tmpdir(), 'sluice-bookmarks-'));

/** Writes a CSV of `id,grp,amount` rows; `ageSeconds` sets its mtime that far in the past. */
export async function writeOrders(path: string, ids: number[], ageSeconds?: number): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const lines = ['id,grp,amount', ...ids.map((id) => `${id},${id % 2 === 0 ? 'even' : 'odd'},${id * 10}`)];
  await writeFile(path, lines.join('\n') + '\n');
  if (ageSeconds !== undefined) await setAge(path, ageSeconds);
}

export async function setAge(path: string, ageSeconds: number): Promise<void> {
  const when = new Date(Date.now() - ageSeconds * 1000);
  await utimes(path, when, when);
}

/** The rows of a parquet output folder, sorted by id (sluice reads it; `_`-paths are skipped). */
export async function parquetIds(folder: string): Promise<number[]> {
  const rows = await read.parquet(folder).toRows();
  return rows.map((r) => Number(r.id)).sort((a, b) => a - b);
}

export async function csvIds(folder: string): Promise<number[]> {
  const rows = await read.csv(folder, { withHeader: true, schema: { id: 'int64', amount: 'int64', grp: 'string' } }).toRows();
  return rows.map((r) => Number(r.id)).sort((a, b) => a - b);
}

/** Every file under `dir`, relative, sorted. */
export async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name))).sort();
}

/** The ids 1..n. */
export const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/**
 * A job spec with one bookmarked CSV source and two sinks (parquet partitioned by grp, and CSV),
 * so a commit has several renames across two output folders.
 */
export function ordersSpec(dir: string, name = 'orders') {
  return {
    name,
    nodes: [
      { id: 'orders', type: 'read', format: 'csv', paths: [join(dir, 'in')], formatOptions: { withHeader: true }, schema: { id: 'int64', grp: 'string', amount: 'int64' } },
      { id: 'lake', type: 'write', input: 'orders', format: 'parquet', path: join(dir, 'lake'), partitionKeys: ['grp'] },
      { id: 'copy', type: 'write', input: 'orders', format: 'csv', path: join(dir, 'copy') },
    ],
  };
}

export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `sluice <args>` in a child process (node --import tsx src/cli/main.ts). `killWhen` may
 * kill it: called with each stderr chunk, it returns a delay in ms after which SIGKILL is sent.
 */
export function runSluice(args: string[], env: Record<string, string> = {}, killWhen?: (stderr: string) => number | undefined): Promise<ChildResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: REPO, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    let armed = false;
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      stderr += d;
      const delay = !armed && killWhen ? killWhen(stderr) : undefined;
      if (delay !== undefined) {
        armed = true;
        setTimeout(() => child.kill('SIGKILL'), delay);
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolvePromise({ code, signal, stdout, stderr }));
  });
}
