import { writeFile } from 'node:fs/promises';

export const ORDERS_CSV = [
  'order_id,ts,amount,status,note',
  '1,2024-01-05T10:00:00Z,10.5,paid,hello',
  '2,2024-01-20T11:00:00Z,,paid,x',
  '3,2024-02-01T09:30:00Z,7.25,cancelled,',
  '4,2024-02-14T12:00:00Z,3,paid,y',
  '5,2023-12-31T23:59:59Z,100,shipped,z',
  '',
].join('\n');

/** The example job: read CSV, drop a field, filter, derive year/month, write Hive-partitioned parquet. */
export const ORDERS_JOB = {
  name: 'orders_to_lake',
  nodes: [
    { id: 'orders', type: 'read', format: 'csv', paths: ['${INPUT}'], formatOptions: { withHeader: true } },
    { id: 'clean', type: 'DropFields', input: 'orders', paths: ['note'] },
    { id: 'valid', type: 'Filter', input: 'clean', condition: "amount IS NOT NULL AND status <> 'cancelled'" },
    { id: 'enriched', type: 'WithColumns', input: 'valid', columns: { year: 'year(ts)', month: 'month(ts)' } },
    { id: 'sink', type: 'write', input: 'enriched', format: 'parquet', path: '${OUTPUT}', partitionKeys: ['year', 'month'] },
  ],
};

export async function writeJson(path: string, value: unknown): Promise<string> {
  await writeFile(path, JSON.stringify(value, null, 2));
  return path;
}
