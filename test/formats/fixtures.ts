import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import avro from 'avsc';

/** Three orders as an Avro container file (written with avsc, as another tool would). */
export async function writeOrdersAvro(dir: string, name = 'orders.avro'): Promise<string> {
  const path = join(dir, name);
  const schema: avro.Schema = {
    type: 'record',
    name: 'Order',
    fields: [
      { name: 'id', type: 'int' },
      { name: 'status', type: 'string' },
      { name: 'amount', type: ['null', 'double'] },
    ],
  };
  const encoder = new avro.streams.BlockEncoder(schema);
  const out = encoder.pipe(createWriteStream(path));
  const done = new Promise<void>((resolve, reject) => out.on('close', resolve).on('error', reject));
  for (const record of [
    { id: 1, status: 'paid', amount: 10.5 },
    { id: 2, status: 'shipped', amount: null },
    { id: 3, status: 'paid', amount: 7.25 },
  ]) encoder.write(record);
  encoder.end();
  await done;
  return path;
}

/** The same three orders as XML, one `<order>` per row, the id as an attribute. */
export async function writeOrdersXml(dir: string, name = 'orders.xml'): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<orders>',
    '  <order id="1"><status>paid</status><amount>10.5</amount></order>',
    '  <order id="2"><status>shipped</status></order>',
    '  <order id="3"><status>paid</status><amount>7.25</amount></order>',
    '</orders>',
    '',
  ].join('\n'));
  return path;
}

/** The rows both files hold, as sluice reads them (XML attributes are `_`-prefixed). */
export const AVRO_ROWS = [
  { id: 1, status: 'paid', amount: 10.5 },
  { id: 2, status: 'shipped', amount: null },
  { id: 3, status: 'paid', amount: 7.25 },
];
export const XML_ROWS = [
  { _id: 1, status: 'paid', amount: 10.5 },
  { _id: 2, status: 'shipped', amount: null },
  { _id: 3, status: 'paid', amount: 7.25 },
];
