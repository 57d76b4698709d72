import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { read } from '../../src/frame/read.js';
import { runJobSpec } from '../../src/job/spec/runJobSpec.js';
import { formatDef, formatOfPath, readerFor } from '../../src/io/formats/registry.js';
import { parseXmlBytes, xmlReader } from '../../src/io/formats/xml/xmlReader.js';
import { scanRowElements } from '../../src/io/formats/xml/xmlRowScanner.js';
import type { ReadChunk } from '../../src/io/formats/Format.js';
import { tempDir } from '../support/files.js';

const ORDERS = `<?xml version="1.0" encoding="UTF-8"?>
<!-- an <order> in a comment is not a row -->
<orders>
  <order id="1" status="new">
    <customer><name>Ann &amp; Bob</name><city>Oslo</city></customer>
    <item sku="A">2</item>
    <item sku="B">3</item>
    <note><![CDATA[<order> is <b>not</b> a tag here]]></note>
    <paid>true</paid>
    <total>12.5</total>
  </order>
  <order id="2">
    <customer><name>Cy</name><city/></customer>
    <item sku="C">1</item>
    <note></note>
    <paid>false</paid>
    <total>7</total>
  </order>
</orders>
`;

async function xmlFile(name: string, text: string | Buffer): Promise<string> {
  const dir = await tempDir('sluice-xml-');
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

/** Rows as plain JSON (structs and lists as objects and arrays). */
const plain = (rows: unknown[]) => JSON.parse(JSON.stringify(rows));

describe('xml reader', () => {
  it('infers attributes, nested structs, repeated lists, _VALUE, nulls, CDATA and entities', async () => {
    const path = await xmlFile('orders.xml', ORDERS);
    const schema = await xmlReader.inferSchema(path, { rowTag: 'order' });
    expect(schema.fields.map((f) => `${f.name}: ${f.type}`)).toEqual([
      '_id: Int32',
      '_status: Utf8',
      'customer: Struct<{name:Utf8, city:Utf8}>',
      'item: List<Struct<{_sku:Utf8, _VALUE:Int32}>>',
      'note: Utf8',
      'paid: Bool',
      'total: Float64',
    ]);
    const rows = plain(await read.xml(path, { rowTag: 'order' }).toRows());
    expect(rows).toEqual([
      {
        _id: 1, _status: 'new', customer: { name: 'Ann & Bob', city: 'Oslo' },
        item: [{ _sku: 'A', _VALUE: 2 }, { _sku: 'B', _VALUE: 3 }],
        note: '<order> is <b>not</b> a tag here', paid: true, total: 12.5,
      },
      { _id: 2, _status: null, customer: { name: 'Cy', city: null }, item: [{ _sku: 'C', _VALUE: 1 }], note: null, paid: false, total: 7 },
    ]);
  });

  it('reads self-closing rows, a given schema, and projects columns', async () => {
    const path = await xmlFile('r.xml', '<rows><r a="1" b="x"/><r a="2"><b>y</b><c>9999999999</c></r></rows>');
    expect(plain(await read.xml(path, { rowTag: 'r', schema: { _a: 'int64', b: 'string', c: 'int64' } }).toRows())).toEqual([
      // A schema naming 3 of the 4 columns is partial: `_b` is inferred and kept (it was dropped).
      { _a: 1, _b: 'x', b: null, c: null },
      { _a: 2, _b: null, b: 'y', c: 9999999999 },
    ]);
    const schema = await xmlReader.inferSchema(path, { rowTag: 'r' });
    expect(schema.fields.map((f) => `${f.name}: ${f.type}`)).toEqual(['_a: Int32', '_b: Utf8', 'b: Utf8', 'c: Int64']);
    const chunks: ReadChunk[] = [];
    for await (const chunk of xmlReader.read(path, { rowTag: 'r' }, { schema, columns: ['c', '_a'] })) chunks.push(chunk);
    expect(chunks[0].batch.schema.names).toEqual(['_a', 'c']);
    expect(chunks[0].batch.toArray().map((row) => row.toJSON())).toEqual([{ _a: 1, c: null }, { _a: 2, c: 9999999999n }]);
  });

  it('finds rows split across 1-byte chunks, multi-byte characters included', async () => {
    const bytes = new TextEncoder().encode(ORDERS.replace('Oslo', 'Øslo ✓'));
    async function* oneByteAtATime() {
      for (let i = 0; i < bytes.length; i++) yield bytes.subarray(i, i + 1);
    }
    const path = await xmlFile('orders.xml', ORDERS);
    const schema = await xmlReader.inferSchema(path, { rowTag: 'order' });
    const chunks: ReadChunk[] = [];
    for await (const chunk of parseXmlBytes(oneByteAtATime(), { file: 'tiny.xml', options: { rowTag: 'order' }, read: { schema, columns: ['_id', 'customer', 'note'] } })) chunks.push(chunk);
    expect(chunks.flatMap((c) => c.errors)).toEqual([]);
    expect(plain(chunks.flatMap((c) => c.batch.toArray().map((row) => row.toJSON())))).toEqual([
      { _id: 1, customer: { name: 'Ann & Bob', city: 'Øslo ✓' }, note: '<order> is <b>not</b> a tag here' },
      { _id: 2, customer: { name: 'Cy', city: null }, note: null },
    ]);
  });

  it('scans past comments, CDATA, quoted ">" and nested row tags, in any chunking', async () => {
    const text = '<orders><order a="x>y"><!-- </order> --><order>inner</order><![CDATA[</order>]]></order>\n<orderly/><order/></orders>';
    const bytes = new TextEncoder().encode(text);
    for (const size of [1, 2, 3, 7, bytes.length]) {
      async function* chunks() {
        for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
      }
      const found = [];
      for await (const rows of scanRowElements(chunks(), 'order')) found.push(...rows);
      expect(found).toEqual([
        { text: '<order a="x>y"><!-- </order> --><order>inner</order><![CDATA[</order>]]></order>', line: 1 },
        { text: '<order/>', line: 2 },
      ]);
    }
  });

  it('reads gzip by extension and is registered as xml', async () => {
    const path = await xmlFile('orders.xml.gz', gzipSync(ORDERS));
    expect(formatOfPath(path)).toBe('xml');
    expect(formatDef('XML').name).toBe('xml'); // its reader is loaded on first use
    expect(await readerFor('XML').inferSchema(path, { rowTag: 'order' })).toEqual(await xmlReader.inferSchema(path, { rowTag: 'order' }));
    expect(plain(await read.xml(path, { rowTag: 'order' }).toRows()).map((r: { _id: number }) => r._id)).toEqual([1, 2]);
  });

  describe('malformed rows', () => {
    const BAD = '<orders>\n<order><id>1</id></order>\n<order><id>2</id><name>x</order>\n<order><id>oops</id></order>\n<order><id>4</id></order>\n<order><id>5</id>\n';
    const run = async (mode: string) => {
      const path = await xmlFile('bad.xml', BAD);
      const s = await xmlReader.inferSchema(path, { rowTag: 'order' });
      const typed = await read.xml(path, { rowTag: 'order', mode, schema: { id: 'int32' } }).collect();
      return { path, inferred: s, rows: plain(typed.table.toArray().map((r) => r.toJSON())), errors: typed.errors };
    };

    it('permissive: error records with file, line and raw text', async () => {
      const { path, inferred, rows, errors } = await run('permissive');
      expect(inferred.fields.map((f) => `${f.name}: ${f.type}`)).toEqual(['id: Utf8']); // "oops" among the ints
      expect(rows).toEqual([{ id: 1 }, { id: 4 }]);
      expect(errors.map((e) => [e.file, e.line, e.raw])).toEqual([
        [path, 3, '<order><id>2</id><name>x</order>'],
        [path, 4, '<order><id>oops</id></order>'],
        [path, 6, '<order><id>5</id>\n'],
      ]);
      expect(errors[0].message).toMatch(new RegExp(`^${path}:3: malformed XML: .*name`));
      expect(errors[2].message).toContain('is not closed before the end of the file');
    });

    it('dropMalformed drops them; failFast throws naming file and line', async () => {
      const dropped = await run('dropMalformed');
      expect(dropped.rows).toEqual([{ id: 1 }, { id: 4 }]);
      expect(dropped.errors).toEqual([]);
      await expect(run('failFast')).rejects.toThrow(/bad\.xml:3: malformed XML/);
    });
  });

  it('asks for rowTag', async () => {
    const path = await xmlFile('a.xml', '<a/>');
    await expect(xmlReader.inferSchema(path, {} as never)).rejects.toThrow(/rowTag/);
  });

  it('bookmarked runs over a folder of .xml files read only the new file', async () => {
    const dir = await tempDir('sluice-xml-bookmarks-');
    const writeOrders = async (name: string, ids: number[]) => {
      await mkdir(join(dir, 'in'), { recursive: true });
      const rows = ids.map((id) => `  <order id="${id}"><amount>${id * 10}</amount></order>`);
      await writeFile(join(dir, 'in', name), `<orders>\n${rows.join('\n')}\n</orders>\n`);
    };
    const spec = {
      name: 'xml-orders',
      nodes: [
        { id: 'orders', type: 'read', format: 'xml', paths: [join(dir, 'in')], formatOptions: { rowTag: 'order' }, schema: { _id: 'int64', amount: 'int64' } },
        { id: 'lake', type: 'write', input: 'orders', format: 'parquet', path: join(dir, 'lake') },
      ],
    };
    const run = async () => {
      const summary = await runJobSpec(spec, {}, { bookmarks: { option: 'enable', stateDir: join(dir, 'state') } });
      return { files: summary.bookmark!.files, rows: summary.sinks[0].rows };
    };
    await writeOrders('a.xml', [1, 2, 3]);
    await writeOrders('b.xml', [4]);
    expect(await run()).toEqual({ files: 2, rows: 4 });
    await writeOrders('c.xml', [5, 6]);
    expect(await run()).toEqual({ files: 1, rows: 2 });
    expect(await run()).toEqual({ files: 0, rows: 0 });
    const lake = plain(await read.parquet(join(dir, 'lake')).toRows()).map((r: { _id: number; amount: number }) => [Number(r._id), Number(r.amount)]);
    expect(lake.sort((a: number[], b: number[]) => a[0] - b[0])).toEqual([[1, 10], [2, 20], [3, 30], [4, 40], [5, 50], [6, 60]]);
  });
});
