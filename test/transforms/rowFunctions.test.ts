import { writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataFrame } from '../../src/frame/DataFrame.js';
import { col, lit } from '../../src/expr/index.js';
import { Filter, Map as MapT } from '../../transforms/index.js';
import { schemaToSpec } from '../../src/types/typeNames.js';
import { tempDir } from '../support/files.js';

const rows = [
  { id: 1, amount: 10.5, country: 'FR' },
  { id: 2, amount: null, country: 'DE' },
  { id: 3, amount: 250, country: null },
  { id: 4, amount: 99, country: 'FR' },
];
const sales = () => DataFrame.fromRows(rows, { id: 'int32', amount: 'double', country: 'string' });

describe('Filter with expressions', () => {
  it('keeps TRUE rows and drops FALSE and NULL ones, from SQL text, builders or JSON', async () => {
    expect((await sales().filter("amount > 50 OR country = 'FR'").toColumns()).id).toEqual([1, 3, 4]);
    expect((await sales().filter(col('country').eq(lit('FR'))).toColumns()).id).toEqual([1, 4]);
    expect((await sales().filter({ kind: 'isNull', expr: { kind: 'col', name: 'amount' }, negated: false }).toColumns()).id).toEqual([2]);
  });

  it('rejects non-boolean conditions and unknown columns before reading', async () => {
    await expect(sales().filter('amount + 1').schema()).rejects.toThrow('Filter: the filter condition must be a boolean, but it is float64');
    await expect(sales().filter('amout > 1').schema()).rejects.toThrow(/amout/);
  });
});

describe('Filter and Map with row functions', () => {
  const picky = (r: { id: number; country: string | null }) => {
    if (r.country === null) throw new Error(`no country for ${r.id}`);
    return r.country === 'FR';
  };

  it('turns a throwing row into an error record and drops it', async () => {
    const out = sales().filter(picky, { transformationCtx: 'only_fr' });
    expect(await out.toRows()).toEqual([{ id: 1, amount: 10.5, country: 'FR' }, { id: 4, amount: 99, country: 'FR' }]);
    expect(await out.errorsCount()).toBe(1);
    expect(await (await out.errorsAsDynamicFrame()).toRows()).toEqual([{
      message: 'Filter function threw on this record: Error: no country for 3', node: 'only_fr',
      file: null, line: null, column: null, raw: null, record: '{"id":3,"amount":250,"country":null}',
    }]);
  });

  it('fails the job past stageThreshold / totalThreshold; 0 means no limit', async () => {
    const twoBad = DataFrame.fromRows([{ id: 1, country: null }, { id: 2, country: null }, { id: 3, country: 'FR' }]);
    await expect(twoBad.filter(picky, { transformationCtx: 'fr', stageThreshold: 1 }).toRows())
      .rejects.toThrow('fr: 2 error records exceed stageThreshold 1; first: Filter function threw on this record: Error: no country for 1');
    expect(await twoBad.filter(picky, { stageThreshold: 2 }).count()).toBe(1);
    expect(await twoBad.filter(picky, { stageThreshold: 0, totalThreshold: 0 }).count()).toBe(1);
    // totalThreshold counts upstream errors too: 2 from the filter + 1 from the map below.
    const chained = twoBad.filter(picky).map((r) => {
      if (r.id === 3) throw new Error('three');
      return r;
    }, { totalThreshold: 2 });
    await expect(chained.toRows()).rejects.toThrow('Map: 3 error records up to this step exceed totalThreshold 2');
  });

  it('Map with a declared schema reports throwing rows and misfit values; without one a misfit widens to string', async () => {
    const f = (r: Record<string, unknown>) => {
      if (r.id === 2) throw new TypeError('bad row');
      return { ...r, amount: r.id === 4 ? 'lots' : (r.amount as number) * 2 };
    };
    const out = sales().map(f, { schema: { id: 'int32', amount: 'float64', country: 'string' } });
    expect(schemaToSpec(await out.schema())).toEqual({ id: 'int32', amount: 'float64', country: 'string' });
    expect(await out.toRows()).toEqual([{ id: 1, amount: 21, country: 'FR' }, { id: 3, amount: 500, country: null }]);
    const errors = await (await out.errorsAsDynamicFrame()).toRows();
    expect(errors.map((e) => [e.message, e.record])).toEqual([
      ['Map function threw on this record: TypeError: bad row', '{"id":2,"amount":null,"country":"DE"}'],
      ["Map function returned 'amount' = \"lots\" does not fit float64", '{"id":4,"amount":99,"country":"FR"}'],
    ]);
    const inferred = sales().map(f);
    expect(schemaToSpec(await inferred.schema())).toEqual({ id: 'int32', amount: 'string', country: 'string' });
    expect((await inferred.toColumns()).amount).toEqual(['21', '500', 'lots']);
  });

  it('Map with a declared schema adds and drops columns; an undeclared key fails the job', async () => {
    const out = MapT.apply({ frame: sales(), f: (r) => ({ id: r.id, label: `${r.country ?? '?'}-${r.id}` }), schema: { id: 'int64', label: 'string' } });
    expect(schemaToSpec(await out.schema())).toEqual({ id: 'int64', label: 'string' });
    expect(await out.toColumns()).toEqual({ id: [1, 2, 3, 4], label: ['FR-1', 'DE-2', '?-3', 'FR-4'] });
    await expect(sales().map((r) => ({ ...r, extra: 1 }), { schema: { id: 'int32', amount: 'float64', country: 'string' } }).toRows()).rejects.toThrow(
      "Map function returned field 'extra', which is not in the declared output schema (id, amount, country)",
    );
  });

  it('loads functions from module references, relative to the working directory', async () => {
    const dir = await tempDir('sluice-fn-');
    const file = join(dir, 'fns.mjs');
    await writeFile(file, [
      'export function bigSpender(r) { if (r.amount === null) throw new Error("no amount"); return r.amount > 50; }',
      'export const tag = (r) => ({ ...r, country: (r.country ?? "xx").toLowerCase() });',
    ].join('\n'));
    const viaFilter = Filter.apply({ frame: sales(), f: { module: relative(process.cwd(), file), export: 'bigSpender' } });
    expect((await viaFilter.toColumns()).id).toEqual([3, 4]);
    expect((await viaFilter.collect()).errors.map((e) => e.message)).toEqual(['Filter function threw on this record: Error: no amount']);
    const viaMap = sales().map({ module: file, export: 'tag' });
    expect((await viaMap.toColumns()).country).toEqual(['fr', 'de', 'xx', 'fr']);
    await expect(sales().map({ module: file, export: 'nope' }).toRows()).rejects.toThrow("module '" + file + "' has no function export 'nope'; its exports: bigSpender, tag");
    await expect(sales().filter({ module: join(dir, 'missing.mjs'), export: 'x' }).toRows()).rejects.toThrow('cannot load row function');
  });
});
