import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { duck } from '../support/duck.js';
import { runSluice, sluiceOk } from '../support/cli.js';
import { filesUnder, REPO, tempDir } from '../support/files.js';

let dir: string;
let people: string;
let orders: string;

beforeAll(async () => {
  dir = await tempDir();
  people = join(dir, 'people.csv');
  orders = join(dir, 'orders.csv');
  await writeFile(people, 'id,name\n1,ann\n2,bob\n3,cy\n');
  await writeFile(orders, 'order_id,person,amount\n10,1,5.5\n11,1,4.5\n12,3,1\n13,9,2\n');
});

describe('sluice sql', () => {
  it('runs one query over --table files and prints CSV', async () => {
    const out = await sluiceOk([
      'sql', 'SELECT p.name, sum(o.amount) AS total FROM o JOIN p ON o.person = p.id GROUP BY p.name ORDER BY total DESC',
      '--table', `p=${people}`, '--table', `o=${orders}`, '--format', 'csv',
    ]);
    expect(out.trim().split('\n')).toEqual(['name,total', 'ann,10', 'cy,1']);
  });

  it('writes --output as Parquet that DuckDB reads back', async () => {
    const out = join(dir, 'out');
    await sluiceOk(['sql', 'SELECT person, count(*) AS n FROM o GROUP BY person', '--table', `o=${orders}`, '--output', out]);
    expect((await filesUnder(out)).some((f) => f.endsWith('.parquet'))).toBe(true);
    const rows = await duck(`SELECT person, n FROM read_parquet('${out}/*.parquet') ORDER BY person`);
    expect(rows).toEqual([{ person: 1, n: '2' }, { person: 3, n: '1' }, { person: 9, n: '1' }]);
  });

  it('points at the offending token and exits 1', async () => {
    const result = await runSluice(['sql', 'SELECT nam FROM p', '--table', `p=${people}`]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("sluice: column 'nam' not found; available: p.id, p.name at line 1, column 8\n  SELECT nam FROM p\n         ^");
  });

  it('reads statements from piped stdin: \\d, multi-line queries, errors that do not stop the rest', () => {
    const input = ['\\d', '\\d p', 'SELECT count(*) AS n', 'FROM p;', 'SELECT x FROM p;', 'SELECT max(id) AS m FROM p;', ''].join('\n');
    const r = spawnSync(process.execPath, ['--import', 'tsx', `${REPO}/src/cli/main.ts`, 'sql', '--table', `p=${people}`, '--format', 'json'], { cwd: REPO, input, encoding: 'utf8', timeout: 60_000 });
    expect(r.stdout.split('\n').filter(Boolean)).toEqual(['p', '  id: int32', '  name: string', '{"n":3}', '{"m":3}']);
    expect(r.stderr).toContain("column 'x' not found");
    expect(r.status).toBe(1);
  });

  it('EXPLAIN prints the plan', async () => {
    const out = await sluiceOk(['sql', 'EXPLAIN SELECT name FROM p WHERE id > 1', '--table', `p=${people}`]);
    expect(out).toMatch(/Filter/);
    expect(out).toMatch(/Scan csv/);
  });
});
