import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import avro from 'avsc';
import { describe, expect, it } from 'vitest';
import { crawl } from '../../../src/catalog/crawler/crawl.js';
import { SAMPLE_BYTES as SAMPLE } from '../../../src/catalog/crawler/sampleFile.js';
import { duck } from '../../support/duck.js';
import { tempDir } from '../../support/files.js';
import { salesCsv, writeLake } from './lakes.js';

const columns = (t: { input: { StorageDescriptor?: { Columns?: { Name?: string; Type?: string }[] } } }) =>
  Object.fromEntries((t.input.StorageDescriptor?.Columns ?? []).map((c) => [c.Name, c.Type]));

describe('crawl: tables, columns, partitions and parameters as a Glue crawler writes them', () => {
  it('a Hive-partitioned CSV lake is one table with typed columns and string partition keys', async () => {
    const root = join(await tempDir(), 'sales');
    await writeLake(root, {
      'year=2024/month=1/part-0.csv': salesCsv(3),
      'year=2024/month=2/part-0.csv': salesCsv(2, 4),
      'year=2025/month=1/part-0.csv': salesCsv(1, 6),
    });
    const { tables, summary } = await crawl(root, { name: 'nightly' });
    expect(tables.map((t) => t.input.Name)).toEqual(['sales']);
    const [sales] = tables;
    expect(columns(sales)).toEqual({ id: 'bigint', name: 'string', score: 'double' });
    expect(sales.input.PartitionKeys).toEqual([{ Name: 'year', Type: 'string' }, { Name: 'month', Type: 'string' }]);
    expect(sales.input.TableType).toBe('EXTERNAL_TABLE');
    const size = String(salesCsv(3).length + salesCsv(2, 4).length + salesCsv(1, 6).length);
    expect(sales.input.Parameters).toEqual({
      classification: 'csv', compressionType: 'none', typeOfData: 'file', recordCount: '6', averageRecordSize: String(Math.round((Number(size)) / 6)),
      objectCount: '3', sizeKey: size, UPDATED_BY_CRAWLER: 'nightly', CrawlerSchemaSerializerVersion: '1.0', CrawlerSchemaDeserializerVersion: '1.0',
      delimiter: ',', 'skip.header.line.count': '1', columnsOrdered: 'true', areColumnsQuoted: 'false',
    });
    const sd = sales.input.StorageDescriptor!;
    expect(sd.Location).toBe(`${root}/`);
    expect(sd.InputFormat).toBe('org.apache.hadoop.mapred.TextInputFormat');
    expect(sd.OutputFormat).toBe('org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat');
    expect(sd.SerdeInfo).toEqual({ SerializationLibrary: 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe', Parameters: { 'field.delim': ',' } });
    expect(sales.partitions.map((p) => [p.Values, p.StorageDescriptor?.Location, p.Parameters?.recordCount])).toEqual([
      [['2024', '1'], `${root}/year=2024/month=1/`, '3'],
      [['2024', '2'], `${root}/year=2024/month=2/`, '2'],
      [['2025', '1'], `${root}/year=2025/month=1/`, '1'],
    ]);
    expect(summary).toMatchObject({ filesListed: 3, filesRead: 3, filesExcluded: 0, tables: 1, partitions: 3, unclassified: [] });
  });

  it('folders that are not k=v become partition_0, partition_1… with the folder names as values', async () => {
    const root = join(await tempDir(), 'events');
    await writeLake(root, {
      '2024/01/a.json': '{"id":1,"kind":"click"}\n{"id":2,"kind":"view"}\n',
      '2024/02/a.json': '{"id":3,"kind":"click","ms":1.5}\n',
    });
    const [events, ...rest] = (await crawl(root)).tables;
    expect(rest).toEqual([]);
    expect(events.input.Name).toBe('events');
    expect(columns(events)).toEqual({ id: 'int', kind: 'string', ms: 'double' });
    expect(events.input.PartitionKeys).toEqual([{ Name: 'partition_0', Type: 'string' }, { Name: 'partition_1', Type: 'string' }]);
    expect(events.partitions.map((p) => p.Values)).toEqual([['2024', '01'], ['2024', '02']]);
    expect(events.partitions.map((p) => Object.keys(Object.fromEntries((p.StorageDescriptor?.Columns ?? []).map((c) => [c.Name, c.Type]))))).toEqual([['id', 'kind'], ['id', 'kind', 'ms']]);
    expect(events.input.StorageDescriptor?.SerdeInfo).toEqual({ SerializationLibrary: 'org.openx.data.jsonserde.JsonSerDe', Parameters: { paths: 'id,kind,ms' } });
    expect(events.input.Parameters).toMatchObject({ classification: 'json', recordCount: '3', objectCount: '2' });
  });

  it("Glue's CombineCompatibleSchemas example: two tables by default, one with the option", async () => {
    const root = join(await tempDir(), 'table1');
    await writeLake(root, { 'year=2017/data1.json': '{"A":1,"B":2}\n', 'year=2018/data2.json': '{"C":3,"D":4}\n' });
    const apart = await crawl(root);
    expect(apart.tables.map((t) => [t.input.Name, columns(t), t.input.PartitionKeys, t.input.StorageDescriptor?.Location])).toEqual([
      ['year_2017', { a: 'int', b: 'int' }, [], `${root}/year=2017/`],
      ['year_2018', { c: 'int', d: 'int' }, [], `${root}/year=2018/`],
    ]);
    const combined = await crawl(root, { combineCompatibleSchemas: true });
    expect(combined.tables.map((t) => [t.input.Name, columns(t), t.input.PartitionKeys])).toEqual([
      ['table1', { a: 'int', b: 'int', c: 'int', d: 'int' }, [{ Name: 'year', Type: 'string' }]],
    ]);
    expect(combined.tables[0].partitions.map((p) => p.Values)).toEqual([['2017'], ['2018']]);
  });

  it('files of one folder: a column added is one table of the union; disjoint schemas are a table per file', async () => {
    const dir = await tempDir();
    await writeLake(dir, {
      'grown/a.csv': 'id,name\n1,x\n2,y\n',
      'grown/b.csv': 'id,name,email\n3,z,z@x\n',
      'apart/a.csv': 'id,amount\n1,2.5\n',
      'apart/b.csv': 'city,population\nOslo,700000\n',
    });
    const grown = await crawl(join(dir, 'grown'));
    expect(grown.tables.map((t) => [t.input.Name, columns(t)])).toEqual([['grown', { id: 'bigint', name: 'string', email: 'string' }]]);
    const apart = await crawl(join(dir, 'apart'), { tablePrefix: 'raw_' });
    expect(apart.tables.map((t) => [t.input.Name, columns(t), t.input.StorageDescriptor?.Location])).toEqual([
      ['raw_a_csv', { id: 'bigint', amount: 'double' }, join(dir, 'apart', 'a.csv')],
      ['raw_b_csv', { city: 'string', population: 'bigint' }, join(dir, 'apart', 'b.csv')],
    ]);
  });

  it("Glue's header rule: a header-less CSV gets col1…; all-string rows are not a header", async () => {
    const dir = await tempDir();
    await writeLake(dir, {
      'plain/a.csv': '1,alpha,2.5\n2,beta,3.5\n',
      'strings/a.csv': 'name,city\nann,oslo\nbob,rome\n',
      'long/a.csv': `${'h'.repeat(150)},b\n1,2\n`,
      'piped/a.psv': 'id|name\n1|a\n2|b\n',
    });
    const [plain] = (await crawl(join(dir, 'plain'))).tables;
    expect(columns(plain)).toEqual({ col1: 'bigint', col2: 'string', col3: 'double' });
    expect(plain.input.Parameters?.['skip.header.line.count']).toBeUndefined();
    expect(plain.input.Parameters?.recordCount).toBe('2');
    const [strings] = (await crawl(join(dir, 'strings'))).tables;
    expect(columns(strings)).toEqual({ col1: 'string', col2: 'string' });
    const [long] = (await crawl(join(dir, 'long'))).tables;
    expect(columns(long)).toEqual({ col1: 'string', col2: 'string' });
    const [piped] = (await crawl(join(dir, 'piped'))).tables;
    expect(columns(piped)).toEqual({ id: 'bigint', name: 'string' });
    expect(piped.input.Parameters).toMatchObject({ delimiter: '|', 'skip.header.line.count': '1' });
    expect(piped.input.StorageDescriptor?.SerdeInfo?.Parameters).toEqual({ 'field.delim': '|' });
  });

  it('gzip is found by its magic bytes and read; files of another compression are a separate table', async () => {
    const dir = await tempDir();
    await writeLake(dir, { 'logs/day=1/a.csv.gz': salesCsv(4), 'logs/day=2/a.csv.gz': salesCsv(2) });
    const [logs] = (await crawl(join(dir, 'logs'))).tables;
    expect(columns(logs)).toEqual({ id: 'bigint', name: 'string', score: 'double' });
    expect(logs.input.Parameters).toMatchObject({ classification: 'csv', compressionType: 'gzip', recordCount: '6', objectCount: '2' });
    expect(logs.input.StorageDescriptor?.Compressed).toBe(true);
    await writeLake(dir, { 'mixed/day=1/a.csv.gz': salesCsv(4), 'mixed/day=2/a.csv': salesCsv(2) });
    expect((await crawl(join(dir, 'mixed'))).tables.map((t) => [t.input.Name, t.input.Parameters?.compressionType])).toEqual([['day_1', 'gzip'], ['day_2', 'none']]);
  });

  it('Parquet: schema and record count from the footer; Avro: from the container header and blocks', async () => {
    const dir = await tempDir();
    for (const region of ['eu', 'us']) {
      await writeLake(dir, { [`pq/region=${region}/.keep`]: '' });
      await duck(`COPY (SELECT range::BIGINT AS id, 'n' || range AS name, (range * 0.5)::DOUBLE AS score, DATE '2024-01-01' + range::INT AS day FROM range(${region === 'eu' ? 5 : 7})) TO '${join(dir, 'pq', `region=${region}`, 'part-0.parquet')}' (FORMAT parquet)`);
    }
    const [pq] = (await crawl(join(dir, 'pq'))).tables;
    expect(columns(pq)).toEqual({ id: 'bigint', name: 'string', score: 'double', day: 'date' });
    expect(pq.input.PartitionKeys).toEqual([{ Name: 'region', Type: 'string' }]);
    expect(pq.input.Parameters).toMatchObject({ classification: 'parquet', compressionType: 'none', recordCount: '12', objectCount: '2' });
    expect(pq.input.StorageDescriptor?.SerdeInfo).toEqual({ SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe', Parameters: { 'serialization.format': '1' } });
    expect(pq.partitions.map((p) => [p.Values, p.Parameters?.recordCount])).toEqual([[['eu'], '5'], [['us'], '7']]);

    const schema: avro.Schema = { type: 'record', name: 'Order', fields: [{ name: 'id', type: 'long' }, { name: 'status', type: 'string' }, { name: 'amount', type: ['null', 'double'] }] };
    await writeLake(dir, { 'av/.keep': '' });
    const encoder = new avro.streams.BlockEncoder(schema);
    const out = encoder.pipe(createWriteStream(join(dir, 'av', 'orders.avro')));
    const closed = new Promise<void>((resolve) => out.on("close", () => resolve()));
    for (let i = 0; i < 50; i++) encoder.write({ id: i, status: 'paid', amount: i % 2 ? null : i * 1.5 });
    encoder.end();
    await closed;
    const [av] = (await crawl(join(dir, 'av'))).tables;
    expect(columns(av)).toEqual({ id: 'bigint', status: 'string', amount: 'double' });
    expect(av.input.Parameters).toMatchObject({ classification: 'avro', compressionType: 'none', recordCount: '50', objectCount: '1' });
    expect(av.input.StorageDescriptor?.SerdeInfo?.SerializationLibrary).toBe('org.apache.hadoop.hive.serde2.avro.AvroSerDe');
    expect(JSON.parse(av.input.StorageDescriptor?.SerdeInfo?.Parameters?.['avro.schema.literal'] ?? '')).toEqual(schema);
  });

  it('exclude patterns drop files before they are read, and are kept on the table as exclusions', async () => {
    const root = join(await tempDir(), 'myfolder');
    await writeLake(root, {
      'departments/finance.json': '{"dept":"finance","budget":10}\n',
      'departments/market-us.json': '{"dept":"us","budget":5}\n',
      'employees/john.csv': 'name,age\njohn,30\n',
      'employees/jane.csv': 'name,age\njane,31\n',
    });
    const { tables, summary } = await crawl(root, { exclusions: ['**.csv', 'departments/market*'] });
    expect(tables.map((t) => [t.input.Name, t.input.Parameters?.objectCount, t.input.Parameters?.exclusions])).toEqual([
      ['myfolder', '1', JSON.stringify([join(root, '**.csv'), join(root, 'departments/market*')])],
    ]);
    expect(summary).toMatchObject({ filesListed: 4, filesExcluded: 3, filesRead: 1 });
  });

  it('a table level makes the tables at that folder level, whatever the schemas below', async () => {
    const root = join(await tempDir(), 'lake');
    await writeLake(root, {
      'sales/2024/a.json': '{"a":1}\n',
      'sales/2025/b.json': '{"b":"x"}\n',
      'refunds/2024/a.json': '{"r":1}\n',
    });
    expect((await crawl(root)).tables.map((t) => t.input.Name)).toEqual(['2024', '2025', 'refunds']);
    const leveled = await crawl(root, { tableLevel: 2 });
    expect(leveled.tables.map((t) => [t.input.Name, columns(t), t.input.PartitionKeys?.map((k) => k.Name)])).toEqual([
      ['refunds', { r: 'int' }, ['partition_0']],
      ['sales', { a: 'int', b: 'string' }, ['partition_0']],
    ]);
  });

  it('custom classifiers run first: JSON with JsonPath, XML with RowTag, CSV with a delimiter and header', async () => {
    const dir = await tempDir();
    await writeLake(dir, {
      'arr/a.json': '[{"id":1,"v":"x"},{"id":2,"v":"y"}]',
      'xml/a.xml': '<?xml version="1.0"?><orders><order id="1"><status>paid</status></order><order id="2"><status>new</status></order></orders>',
      'semi/a.txt': 'a;b\nx;y\n',
    });
    const [builtIn] = (await crawl(join(dir, 'arr'))).tables;
    expect(columns(builtIn)).toEqual({ array: 'array<struct<id:int,v:string>>' });
    const [custom] = (await crawl(join(dir, 'arr'), { classifiers: [{ JsonClassifier: { Name: 'rows', JsonPath: '$[*]' } }] })).tables;
    expect(columns(custom)).toEqual({ id: 'int', v: 'string' });
    expect(custom.input.Parameters).toMatchObject({ jsonPath: '$[*]', recordCount: '2' });
    const [xml] = (await crawl(join(dir, 'xml'))).tables;
    expect(columns(xml)).toEqual({ _id: 'int', status: 'string' });
    expect(xml.input.Parameters).toMatchObject({ classification: 'xml', rowTag: 'order', recordCount: '2' });
    const [semi] = (await crawl(join(dir, 'semi'), { classifiers: [{ CsvClassifier: { Name: 'semi', Delimiter: ';', ContainsHeader: 'PRESENT' } }] })).tables;
    expect(columns(semi)).toEqual({ a: 'string', b: 'string' });
    expect(semi.input.Parameters).toMatchObject({ delimiter: ';', 'skip.header.line.count': '1' });
  });

  it('files no classifier is sure of are reported, never silently dropped', async () => {
    const dir = await tempDir();
    await writeLake(dir, { 'ok/a.csv': 'id,n\n1,2\n', 'ok/empty.csv': '', 'ok/one.txt': 'just one line' });
    const { tables, summary } = await crawl(join(dir, 'ok'));
    expect(tables.map((t) => t.input.Name)).toEqual(['ok']);
    expect(summary.unclassified).toEqual([
      { path: join(dir, 'ok', 'empty.csv'), reason: 'empty file' },
      { path: join(dir, 'ok', 'one.txt'), reason: 'UNKNOWN: no classifier is certain of it' },
    ]);
  });
});

describe('crawl: large files are sampled, never read whole', () => {
  it('reads the first MB of a 5 MB CSV and estimates its record count from the sample', async () => {
    const dir = join(await tempDir(), 'big');
    const rows = 300_000;
    // Rows of one width, so the first MB's average is the file's.
    const csv = ['id,name,score', ...Array.from({ length: rows }, (_, i) => `${String(i).padStart(7, '0')},n${String(i % 1000).padStart(3, '0')},${i % 10}.5`)].join('\n') + '\n';
    await writeLake(dir, { 'a.csv': csv });
    const { tables, summary } = await crawl(dir);
    expect(summary.bytesRead).toBe(SAMPLE);
    expect(csv.length).toBeGreaterThan(4 * SAMPLE);
    const params = tables[0].input.Parameters!;
    expect(params.sizeKey).toBe(String(csv.length));
    expect(Math.abs(Number(params.recordCount) - rows) / rows).toBeLessThan(0.02);
    expect(columns(tables[0])).toEqual({ id: 'bigint', name: 'string', score: 'double' });
    expect(params.averageRecordSize).toBe('17');
  });
});

describe('crawl: an include path that is one file', () => {
  it('is one table named after the file, located at the file', async () => {
    const dir = await tempDir();
    await writeLake(dir, { 'exports/orders.json': '{"id":1}\n{"id":2}\n', 'exports/other.json': '{"x":"y"}\n' });
    const { tables, summary } = await crawl(join(dir, 'exports', 'orders.json'));
    expect(tables.map((t) => [t.input.Name, t.input.StorageDescriptor?.Location, columns(t), t.input.Parameters?.recordCount])).toEqual([
      ['orders_json', join(dir, 'exports', 'orders.json'), { id: 'int' }, '2'],
    ]);
    expect(summary.filesRead).toBe(1);
  });
});

describe('crawl against DuckDB', () => {
  it('finds the columns, partition keys and row count DuckDB reads from the same Hive CSV lake', async () => {
    const root = join(await tempDir(), 'orders');
    await writeLake(root, {
      'region=eu/day=1/a.csv': 'order_id,amount,paid\n1,9.5,true\n2,3.25,false\n',
      'region=eu/day=2/a.csv': 'order_id,amount,paid\n3,1.0,true\n',
      'region=us/day=1/a.csv': 'order_id,amount,paid\n4,7.75,true\n5,2.5,false\n6,1.5,true\n',
    });
    const [orders] = (await crawl(root)).tables;
    const described = await duck(`DESCRIBE SELECT * FROM read_csv('${root}/**/*.csv', hive_partitioning = true)`);
    const hive: Record<string, string> = { BIGINT: 'bigint', DOUBLE: 'double', BOOLEAN: 'boolean', VARCHAR: 'string' };
    const duckColumns = described.map((c) => [c.column_name, hive[String(c.column_type)] ?? c.column_type]);
    const ours = [...(orders.input.StorageDescriptor?.Columns ?? []), ...(orders.input.PartitionKeys ?? [])].map((c) => [c.Name, c.Type]);
    // DuckDB types the partition values (day as bigint) and puts its keys in name order; Glue's crawler keeps keys strings, in path order.
    expect(ours.sort()).toEqual(duckColumns.map(([name, type]) => [name, name === 'day' ? 'string' : type]).sort());
    expect(orders.input.PartitionKeys?.map((k) => k.Name)).toEqual(['region', 'day']);
    const [{ n }] = await duck(`SELECT count(*)::INT AS n FROM read_csv('${root}/**/*.csv', hive_partitioning = true)`);
    expect(orders.input.Parameters?.recordCount).toBe(String(n));
  });
});
