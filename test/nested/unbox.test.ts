import { readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { read } from '../../src/frame/read.js';
import { tempDir } from '../support/files.js';
import { DataFrame } from '../../src/frame/DataFrame.js';
import { schemaToSpec } from '../../src/types/typeNames.js';
import { Unbox } from '../../transforms/index.js';

describe('Unbox', () => {
  it('parses JSON strings into a struct, types merged over every row, errors kept with their text', async () => {
    const df = DataFrame.fromRows([
      { id: 1, address: '{"city": "Paris", "zip": 75001}' },
      { id: 2, address: null },
      { id: 3, address: '{"city": "Berlin", "zip": 10115.5, "geo": {"lat": 52.5}}' },
      { id: 4, address: '{"city": ' },
      { id: 5, address: '{"zip": 3000000000}' },
    ], { id: 'int32', address: 'string' });
    const out = df.unbox('address', 'json');
    expect(schemaToSpec(await out.schema())).toEqual({ id: 'int32', address: 'struct<city:string,zip:float64,geo:struct<lat:float64>>' });
    const { table, errors } = await out.collect();
    expect(table.numRows).toBe(4);
    expect(await out.toRows()).toEqual([
      { id: 1, address: { city: 'Paris', zip: 75001, geo: null } },
      { id: 2, address: null },
      { id: 3, address: { city: 'Berlin', zip: 10115.5, geo: { lat: 52.5 } } },
      { id: 5, address: { city: null, zip: 3000000000, geo: null } },
    ]);
    expect(errors.map((e) => [e.message.replace(/: not valid JSON: .*/, ': not valid JSON'), e.raw, e.node])).toEqual([
      ["Unbox 'address' as json: not valid JSON", '{"city": ', 'Unbox'],
    ]);
  });

  it('without a declared type, keeps its input as Arrow batches, spilled to a temp file past the buffer (SLUICE_BUFFER_BYTES), and removes it', async () => {
    const dir = await tempDir('sluice-unbox-spill-');
    const lines = ['id,payload'];
    for (let i = 0; i < 5000; i++) lines.push(`${i},"{""n"": ${i % 3 === 0 ? i * 0.5 : i}, ""tag"": ""t${i % 4}""}"`);
    await writeFile(join(dir, 'in.csv'), lines.join('\n') + '\n');
    const spills = async () => (await readdir(tmpdir())).filter((f) => f.startsWith('sluice-stream-') && f.endsWith('.arrow'));
    const before = await spills();
    const saved = process.env.SLUICE_BUFFER_BYTES;
    process.env.SLUICE_BUFFER_BYTES = '1000';
    try {
      const out = read.csv(join(dir, 'in.csv'), { withHeader: true, batchSize: 500, schema: { id: 'int32', payload: 'string' } }).unbox('payload', 'json');
      const rows = await out.toRows();
      expect(rows).toHaveLength(5000);
      expect(rows.slice(0, 4)).toEqual([
        { id: 0, payload: { n: 0, tag: 't0' } }, { id: 1, payload: { n: 1, tag: 't1' } },
        { id: 2, payload: { n: 2, tag: 't2' } }, { id: 3, payload: { n: 1.5, tag: 't3' } },
      ]);
      expect(rows.at(-1)).toEqual({ id: 4999, payload: { n: 4999, tag: 't3' } });
      expect(await spills()).toEqual(before);
      // schema() alone runs the inference pass: the input spilled past the buffer, and no run replays it
      // (its file goes when the buffer is garbage-collected, or at exit; removed here).
      await out.schema();
      const left = (await spills()).filter((f) => !before.includes(f));
      expect(left).toHaveLength(1);
      await rm(join(tmpdir(), left[0]));
    } finally {
      if (saved === undefined) delete process.env.SLUICE_BUFFER_BYTES; else process.env.SLUICE_BUFFER_BYTES = saved;
    }
  });

  it('parses CSV strings: col0… without a header, named fields with one; inside a struct', async () => {
    const df = DataFrame.fromRows([
      { k: 1, s: { line: 'a;1;true', head: 'x,y\n"q,""r""",2' } },
      { k: 2, s: { line: ';2.5;', head: 'x,y\n,' } },
      { k: 3, s: null },
    ], { k: 'int32', s: 'struct<line:string,head:string>' });
    const semi = Unbox.apply({ frame: df, path: 's.line', format: 'csv', separator: ';' });
    expect(schemaToSpec(await semi.schema())).toEqual({ k: 'int32', s: 'struct<line:struct<col0:string,col1:float64,col2:bool>,head:string>' });
    expect((await semi.toRows()).map((r) => (r.s as Row | null)?.line ?? null)).toEqual([
      { col0: 'a', col1: 1, col2: true }, { col0: null, col1: 2.5, col2: null }, null,
    ]);
    const headed = df.unbox('s.head', 'csv', { withHeader: true });
    expect((await headed.toRows()).map((r) => (r.s as Row | null)?.head ?? null)).toEqual([
      { x: 'q,"r"', y: 2 }, { x: null, y: null }, null,
    ]);
  });

  it('with withSchema, streams with the declared type and makes misfits error records', async () => {
    const df = DataFrame.fromRows([
      { id: 1, address: '{"city": "Paris", "zip": 75001, "extra": true}' },
      { id: 2, address: '{"city": "Rome", "zip": "none"}' },
      { id: 3, address: null },
    ], { id: 'int32', address: 'string' });
    const out = df.unbox('address', 'json', { withSchema: 'struct<city:string,zip:int32>' });
    expect(out.plan.kind === 'transform' && out.plan.name).toBe('UnboxDeclared');
    expect(schemaToSpec(await out.schema())).toEqual({ id: 'int32', address: 'struct<city:string,zip:int32>' });
    const { errors } = await out.collect();
    expect(await out.toRows()).toEqual([
      { id: 1, address: { city: 'Paris', zip: 75001 } },
      { id: 3, address: null },
    ]);
    expect(errors.map((e) => [e.raw, e.node])).toEqual([['{"city":"Rome","zip":"none"}', 'UnboxDeclared']]);
    expect(errors[0].message).toMatch(/^Unbox 'address': /);
    expect(() => df.unbox('address', 'json', { withSchema: 'struct<city:strin>' })).toThrow("unknown type 'strin'");
  });

  it('rejects a non-string column, a bad format and csv options on json', async () => {
    const df = DataFrame.fromRows([{ n: 1, s: '{}' }], { n: 'int32', s: 'string' });
    await expect(df.unbox('n', 'json').schema()).rejects.toThrow("Unbox path 'n' is Int32, not a string");
    expect(() => df.unbox('s', 'xml' as never)).toThrow("Unbox format must be 'json' or 'csv', got \"xml\"");
    expect(() => df.unbox('s', 'json', { separator: ';' })).toThrow('Unbox options separator and withHeader apply to format');
    expect(() => Unbox.apply({ frame: df, path: 's', format: 'json', withHeadr: true } as never)).toThrow("unknown Unbox parameter 'withHeadr'; did you mean 'withHeader'?");
  });
});

type Row = Record<string, unknown>;
