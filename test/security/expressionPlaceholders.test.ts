import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadJobSpec } from '../../src/job/spec/loadJobSpec.js';
import { tempDir } from '../support/files.js';

async function ordersCsv(): Promise<string> {
  const dir = await tempDir('sluice-exprph-');
  const csv = join(dir, 'orders.csv');
  await writeFile(csv, "id,status,amount\n1,paid,10\n2,cancelled,-3\n3,it's,7\n");
  return csv;
}

const filterJob = (csv: string, condition: string) => ({
  nodes: [
    { id: 'in', type: 'read', format: 'csv', paths: ['${CSV}'], formatOptions: { withHeader: true } },
    { id: 'f', type: 'Filter', input: 'in', condition },
    { id: 'out', type: 'write', input: 'f', format: 'json', path: `${csv}.out` },
  ],
});

async function ids(spec: object, params: Record<string, string>): Promise<unknown[]> {
  const plan = await loadJobSpec(spec, params);
  return (await plan.frames.get('f')!.toRows()).map((r) => r.id);
}

describe('placeholders in expressions are values, never SQL', () => {
  it("a value inside '…' cannot close the quote (the reported injection returned every row)", async () => {
    const csv = await ordersCsv();
    const job = filterJob(csv, "status = '${STATUS}'");
    expect(await ids(job, { CSV: csv, STATUS: "x' OR 1=1 OR 'a'='a" })).toEqual([]);
    expect(await ids(job, { CSV: csv, STATUS: 'paid' })).toEqual([1]);
    expect(await ids(job, { CSV: csv, STATUS: "it's" })).toEqual([3]);
    expect(await ids(filterJob(csv, 'status = "${STATUS}"'), { CSV: csv, STATUS: 'x" OR "a"="a' })).toEqual([]);
  });

  it('outside quotes a value becomes one literal: a number when it is a plain number, else a string', async () => {
    const csv = await ordersCsv();
    const job = filterJob(csv, 'amount > ${MIN}');
    expect(await ids(job, { CSV: csv, MIN: '5' })).toEqual([1, 3]);
    expect(await ids(job, { CSV: csv, MIN: '-5' })).toEqual([1, 2, 3]);
    expect(await ids(filterJob(csv, 'status = ${S}'), { CSV: csv, S: 'paid OR 1=1' })).toEqual([]);
    const columns = {
      nodes: [
        { id: 'in', type: 'read', format: 'csv', paths: [csv], formatOptions: { withHeader: true } },
        { id: 'f', type: 'WithColumns', input: 'in', columns: { tag: '${TAG}', label: "concat('#', '${TAG}')" } },
        { id: 'out', type: 'write', input: 'f', format: 'json', path: `${csv}.cols` },
      ],
    };
    const rows = await (await loadJobSpec(columns, { TAG: "upper(status)'" })).frames.get('f')!.toRows();
    expect(rows.map((r) => [r.tag, r.label])).toEqual(Array(3).fill(["upper(status)'", "#upper(status)'"]));
  });

  it('a placeholder cannot build a name; $${NAME} stays literal; paths are filled as before', async () => {
    const csv = await ordersCsv();
    await expect(loadJobSpec(filterJob(csv, 'amount_${X} > 1'), { CSV: csv, X: 'y' })).rejects.toThrow(
      'nodes[1].condition: ${X} is part of a name or number in "amount_${X} > 1"',
    );
    expect(await ids(filterJob(csv, "status <> '$${STATUS}'"), { CSV: csv })).toEqual([1, 2, 3]);
    await expect(loadJobSpec(filterJob(csv, "status = '${A}' AND id = ${B}"), {})).rejects.toThrow('missing job parameters CSV, A, B');
  });
});
