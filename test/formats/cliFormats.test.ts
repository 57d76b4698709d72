import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runSluiceSync } from '../support/cli.js';
import { filesUnder, tempDir } from '../support/files.js';
import { writeOrdersAvro, writeOrdersXml } from './fixtures.js';

/** Runs the CLI from source as a child process: its exit code and output. */
function sluice(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const { code, stdout, stderr } = runSluiceSync(args);
  return { code, stdout, stderr };
}

const TABLE = (idColumn: string) => [
  `+${'-'.repeat(idColumn.length + 2)}+----------------+-----------------+`,
];

describe('sluice show, schema and convert on Avro and XML files', { timeout: 180_000 }, () => {
  it('show: an .avro file by its extension', async () => {
    const path = await writeOrdersAvro(await tempDir());
    const r = sluice('show', path);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe([
      'schema (3 columns):', '  id: int32', '  status: string', '  amount: float64', '',
      ...TABLE('id: int32'),
      '| id: int32 | status: string | amount: float64 |',
      ...TABLE('id: int32'),
      '| 1         | paid           | 10.5            |',
      '| 2         | shipped        | null            |',
      '| 3         | paid           | 7.25            |',
      ...TABLE('id: int32'),
      '3 rows', '',
    ].join('\n'));
  });

  it('schema: an .xml file with --option rowTag=order; a misspelt option is named with the nearest one', async () => {
    const path = await writeOrdersXml(await tempDir());
    const r = sluice('schema', path, '--option', 'rowTag=order');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ _id: 'int32', status: 'string', amount: 'float64' });
    expect(sluice('schema', path, '--option', 'rowtag=order')).toEqual({ code: 1, stdout: '', stderr: "sluice: unknown XML option 'rowtag'; did you mean 'rowTag'?\n" });
  });

  it('convert: .avro to CSV and .xml to JSON lines; avro output is refused with exit 2', async () => {
    const dir = await tempDir();
    const avro = await writeOrdersAvro(dir);
    const xml = await writeOrdersXml(dir);

    expect(sluice('convert', avro, join(dir, 'csv_out'), '--to', 'csv').code).toBe(0);
    const csvFile = (await filesUnder(join(dir, 'csv_out'))).find((f) => f.endsWith('.csv'))!;
    expect(await readFile(join(dir, 'csv_out', csvFile), 'utf8')).toBe(
      'id,status,amount\n1,paid,10.5\n2,shipped,\n3,paid,7.25\n',
    );

    expect(sluice('convert', xml, join(dir, 'out.json'), '--option', 'rowTag=order').code).toBe(0);
    const jsonFile = (await filesUnder(join(dir, 'out.json'))).find((f) => f.endsWith('.json'))!;
    expect(await readFile(join(dir, 'out.json', jsonFile), 'utf8')).toBe(
      '{"_id":1,"status":"paid","amount":10.5}\n{"_id":2,"status":"shipped","amount":null}\n{"_id":3,"status":"paid","amount":7.25}\n',
    );

    const refused = sluice('convert', avro, join(dir, 'again.avro'));
    expect(refused.code).toBe(2);
    expect(refused.stderr.split('\n')[0]).toBe('sluice: sluice reads avro but does not write it; convert to csv, json, parquet (--to)');
  });
});
