import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { read } from '../../src/frame/read.js';
import { GlueContext } from '../../src/job/GlueContext.js';
import { tempDir } from '../support/files.js';
import { AVRO_ROWS, XML_ROWS, writeOrdersAvro, writeOrdersXml } from './fixtures.js';

/** A path that does not exist: a read that got as far as opening it would fail with "No input files". */
const NOWHERE = '/nonexistent/sluice-formats/orders.csv';

describe('GlueContext reads every registered format', () => {
  it("createDynamicFrame.fromOptions({ format: 'avro' }) reads the file's rows", async () => {
    const path = await writeOrdersAvro(await tempDir());
    const frame = new GlueContext().createDynamicFrame.fromOptions({ connectionType: 'file', connectionOptions: { paths: [path] }, format: 'avro' });
    expect(await frame.toRows()).toEqual(AVRO_ROWS);
  });

  it("createDynamicFrame.fromOptions({ format: 'xml' }) reads rows by rowTag", async () => {
    const path = await writeOrdersXml(await tempDir());
    const frame = new GlueContext().createDynamicFrame.fromOptions({
      connectionType: 's3' as 'file', connectionOptions: { paths: [path] }, format: 'xml', formatOptions: { rowTag: 'order' },
    });
    expect(await frame.toRows()).toEqual(XML_ROWS);
  });

  it('writes avro input out as JSON lines, and says plainly that avro is not written', async () => {
    const dir = await tempDir();
    const glue = new GlueContext();
    const frame = glue.createDynamicFrame.fromOptions({ connectionType: 'file', connectionOptions: { paths: [await writeOrdersAvro(dir)] }, format: 'avro' });
    const written = await glue.writeDynamicFrame.fromOptions({ frame, connectionType: 'file', connectionOptions: { path: join(dir, 'out') }, format: 'json' });
    expect((await readFile(written.files[0], 'utf8')).trim().split('\n')).toEqual([
      '{"id":1,"status":"paid","amount":10.5}',
      '{"id":2,"status":"shipped","amount":null}',
      '{"id":3,"status":"paid","amount":7.25}',
    ]);
    await expect(glue.writeDynamicFrame.fromOptions({ frame, connectionType: 'file', connectionOptions: { path: join(dir, 'avro-out') }, format: 'avro' })).rejects.toThrow(
      "writeDynamicFrame.fromOptions: format 'avro' can be read but not written; write csv, json, parquet",
    );
  });
});

describe('options are checked before any data is read', () => {
  it('a misspelt format option fails at the call, with the nearest name', () => {
    const glue = new GlueContext();
    expect(() => glue.createDynamicFrame.fromOptions({ connectionType: 'file', connectionOptions: { paths: [NOWHERE] }, format: 'csv', formatOptions: { withHeadr: true } })).toThrow(
      "createDynamicFrame.fromOptions: unknown CSV option 'withHeadr'; did you mean 'withHeader'?",
    );
    expect(() => read.csv(NOWHERE, { withHeadr: true })).toThrow("unknown CSV option 'withHeadr'; did you mean 'withHeader'?");
    expect(() => read.xml(NOWHERE, { rowtag: 'order' })).toThrow("unknown XML option 'rowtag'; did you mean 'rowTag'?");
    expect(() => read.parquet(NOWHERE, { foo: 1 })).toThrow("unknown Parquet option 'foo'; known: batchSize");
  });

  it('a misspelt connection option fails at the call, with the nearest name', () => {
    const glue = new GlueContext();
    expect(() => glue.createDynamicFrame.fromOptions({ connectionType: 's3', connectionOptions: { paths: [NOWHERE], groupfiles: 'inPartition' }, format: 'csv' })).toThrow(
      "createDynamicFrame.fromOptions: unknown S3 connection option 'groupfiles'; did you mean 'groupFiles'?",
    );
    expect(() => glue.createDynamicFrame.fromOptions({ connectionType: 's3', connectionOptions: { paths: [NOWHERE], exclusions: '["**.pdf"]' }, format: 'csv' })).toThrow(
      "createDynamicFrame.fromOptions: S3 connection option 'exclusions' is not supported yet",
    );
  });

  it('a misspelt write option fails before the frame is read', async () => {
    const glue = new GlueContext();
    const frame = read.csv(NOWHERE);
    await expect(glue.writeDynamicFrame.fromOptions({ frame, connectionType: 'file', connectionOptions: { path: '/tmp/x', partitionKey: ['a'] }, format: 'parquet' })).rejects.toThrow(
      "writeDynamicFrame.fromOptions: unknown S3 connection option 'partitionKey'; did you mean 'partitionKeys'?",
    );
    await expect(glue.writeDynamicFrame.fromOptions({ frame, connectionType: 'file', connectionOptions: { path: '/tmp/x' }, format: 'glueparquet', formatOptions: { compresion: 'zstd' } })).rejects.toThrow(
      "writeDynamicFrame.fromOptions: unknown Parquet option 'compresion'; did you mean 'compression'?",
    );
    await expect(frame.write.csv('/tmp/x', { formatOptions: { sepparator: ';' } })).rejects.toThrow("unknown CSV option 'sepparator'; did you mean 'separator'?");
  });

  it("Glue's options sluice does not act on are accepted, and the read is the same", async () => {
    const dir = await tempDir();
    const path = join(dir, 'orders.csv');
    await writeFile(path, 'id,status\n1,paid\n2,shipped\n');
    const frame = new GlueContext().createDynamicFrame.fromOptions({
      connectionType: 's3' as 'file',
      connectionOptions: { paths: [path], recurse: true, groupFiles: 'inPartition', groupSize: '1048576', compressionType: 'none' },
      format: 'csv',
      formatOptions: { withHeader: true, optimizePerformance: true },
      schema: { id: 'int32', status: 'string' },
    });
    expect(await frame.toRows()).toEqual([{ id: 1, status: 'paid' }, { id: 2, status: 'shipped' }]);
  });
});

describe('Glue format options sluice now honours', () => {
  it("CSV escaper '' (Glue Studio's default) means no escape character", async () => {
    const dir = await tempDir();
    const path = join(dir, 'notes.csv');
    await writeFile(path, 'id,note\n1,"say ""hi"""\n2,back\\slash\n');
    const rows = await read.csv(path, { withHeader: true, escaper: '', schema: { id: 'int32', note: 'string' } }).toRows();
    expect(rows).toEqual([{ id: 1, note: 'say "hi"' }, { id: 2, note: 'back\\slash' }]);
  });

  it('JSON multiLine reads each file as one document', async () => {
    const dir = await tempDir();
    const path = join(dir, 'orders.json');
    await writeFile(path, '[\n  {"id": 1,\n   "status": "paid"},\n  {"id": 2, "status": "shipped"}\n]\n');
    const frame = new GlueContext().createDynamicFrame.fromOptions({ connectionType: 'file', connectionOptions: { paths: [path] }, format: 'json', formatOptions: { multiLine: true } });
    expect(await frame.toRows()).toEqual([{ id: 1, status: 'paid' }, { id: 2, status: 'shipped' }]);
  });
});
