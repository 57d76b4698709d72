import { describe, expect, it } from 'vitest';
import { DataFrame } from '../../src/frame/DataFrame.js';
import { pushDownProjection } from '../../src/plan/pushDownProjection.js';
import { extractRegions } from '../../src/exec/parallel/planRegions.js';
import { typeName } from '../../src/types/typeNames.js';
import { duck } from '../support/duck.js';
import { Concatenate, transformDefs } from '../../transforms/index.js';

const SCHEMA = { year: 'int32', month: 'string', day: 'string', note: 'string' };

function dates() {
  return DataFrame.fromRows([
    { year: 2020, month: '01', day: '05', note: 'a' },
    { year: null, month: '02', day: '06', note: null },
    { year: 2021, month: null, day: null, note: 'c' },
    { year: null, month: null, day: null, note: 'd' },
  ], SCHEMA);
}

describe('Concatenate (Glue Studio gs_concat)', () => {
  it('joins colList in list order with the spacer, casting numbers; a null is skipped with its spacer', async () => {
    const out = Concatenate.apply({ frame: dates(), colName: 'date', colList: ['year', 'month', 'day'], spacer: '-' });
    expect(await out.toColumns()).toEqual({
      year: [2020, null, 2021, null],
      month: ['01', '02', null, null],
      day: ['05', '06', null, null],
      note: ['a', null, 'c', 'd'],
      date: ['2020-01-05', '02-06', '2021', ''],
    });
    const schema = await out.schema();
    expect(schema.fields.map((f) => [f.name, typeName(f.type), f.nullable])).toEqual([
      ['year', 'int32', true], ['month', 'string', true], ['day', 'string', true], ['note', 'string', true], ['date', 'string', false],
    ]);
  });

  it('writes nullString for a null value', async () => {
    const out = Concatenate.apply({ frame: dates(), colName: 'date', colList: ['day', 'month', 'year'], spacer: '/', nullString: 'NA' });
    expect((await out.toColumns()).date).toEqual(['05/01/2020', '06/02/NA', 'NA/NA/2021', 'NA/NA/NA']);
  });

  it('without a spacer, values run together; a column of the same name is replaced in place', async () => {
    const out = Concatenate.apply({ frame: dates(), colName: 'month', colList: ['note', 'month'] });
    expect(await out.toRows()).toEqual([
      { year: 2020, month: 'a01', day: '05', note: 'a' },
      { year: null, month: '02', day: '06', note: null },
      { year: 2021, month: 'c', day: null, note: 'c' },
      { year: null, month: 'd', day: null, note: 'd' },
    ]);
  });

  it('is reachable from a frame by its definition or its name', async () => {
    const byDef = dates().transform(Concatenate, { colName: 'd', colList: ['month', 'day'], spacer: '.' });
    const byName = dates().transform('Concatenate', { colName: 'd', colList: ['month', 'day'], spacer: '.' });
    expect((await byDef.toColumns()).d).toEqual(['01.05', '02.06', '', '']);
    expect(await byName.toRows()).toEqual(await byDef.toRows());
  });

  it('fails before reading on a missing column, a nested one, or an unknown parameter', async () => {
    await expect(Concatenate.apply({ frame: dates(), colName: 'd', colList: ['yeer'] }).schema())
      .rejects.toThrow("Concatenate: no column 'yeer' to concatenate; available: year, month, day, note");
    const nested = DataFrame.fromRows([{ a: { b: 1 } }]);
    await expect(Concatenate.apply({ frame: nested, colName: 'd', colList: ['a'] }).schema())
      .rejects.toThrow("Concatenate: cannot concatenate 'a' of type struct<b:int32>: pick its scalar fields (struct.field) or convert it first");
    expect(() => Concatenate.apply({ frame: dates(), colName: 'd', colList: [] })).toThrow('Concatenate colList must be a non-empty array of column names, got []');
    expect(() => Concatenate.apply({ frame: dates(), colName: 'd', colList: ['year'], spacr: '-' } as never))
      .toThrow("unknown Concatenate parameter 'spacr'; did you mean 'spacer'?");
  });

  it('needs only colList (and what is read above it) from the scan, and runs per split', () => {
    const scan = new DataFrame({ kind: 'scan', format: 'csv', paths: ['dates.csv'] });
    const plan = scan.transform(Concatenate, { colName: 'date', colList: ['year', 'month'], spacer: '-' }).selectFields(['date', 'note']).plan;
    const pushed = pushDownProjection(plan, null, transformDefs);
    const scanOf = (node: typeof pushed): typeof pushed => (node.kind === 'transform' ? scanOf(node.inputs[0]) : node);
    expect(scanOf(pushed)).toMatchObject({ kind: 'scan', columns: ['note', 'year', 'month'] });
    expect(extractRegions(plan, transformDefs).regions.map((r) => r.steps.map((s) => s.name))).toEqual([['Concatenate', 'SelectFields']]);
  });

  it('joins UTF-8 bytes exactly: multi-byte text, empty strings, nulls, a multi-byte spacer and nullString, as DuckDB concat_ws', async () => {
    const rows = [
      { a: 'café', b: '日本', c: 1 },
      { a: '', b: '', c: null },
      { a: null, b: '🎉 ok', c: -2 },
      { a: null, b: null, c: null },
      { a: 'Ünïcödé', b: null, c: 30 },
      { a: '', b: null, c: null },
    ];
    const frame = DataFrame.fromRows(rows, { a: 'string', b: 'string', c: 'int32' });
    const skipped = Concatenate.apply({ frame, colName: 'j', colList: ['a', 'b', 'c'], spacer: ' · ' });
    expect((await skipped.toColumns()).j).toEqual(['café · 日本 · 1', ' · ', '🎉 ok · -2', '', 'Ünïcödé · 30', '']);
    const values = rows.map((r) => `(${[r.a, r.b, r.c].map((v) => (v === null ? 'NULL' : typeof v === 'number' ? String(v) : `'${v}'`)).join(', ')})`).join(', ');
    const duckRows = await duck(`SELECT concat_ws(' · ', a, b, c::VARCHAR) AS j FROM (VALUES ${values}) t(a, b, c)`);
    expect((await skipped.toColumns()).j).toEqual(duckRows.map((r) => r.j));
    const written = Concatenate.apply({ frame, colName: 'j', colList: ['a', 'b', 'c'], spacer: '|', nullString: '∅' });
    expect((await written.toColumns()).j).toEqual(['café|日本|1', '||∅', '∅|🎉 ok|-2', '∅|∅|∅', 'Ünïcödé|∅|30', '|∅|∅']);
    // A slice of a batch (offsets into shared buffers) joins the same values.
    const { table } = await written.collect();
    const sliced = DataFrame.fromArrow(table.slice(2, 5));
    expect((await sliced.toColumns()).j).toEqual(['∅|🎉 ok|-2', '∅|∅|∅', 'Ünïcödé|∅|30']);
    const reJoined = Concatenate.apply({ frame: DataFrame.fromArrow((await frame.collect()).table.slice(2, 5)), colName: 'j', colList: ['b', 'a'], spacer: '+' });
    expect((await reJoined.toColumns()).j).toEqual(['🎉 ok', '', 'Ünïcödé']);
  });
});
