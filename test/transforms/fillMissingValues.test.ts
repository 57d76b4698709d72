import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataFrame } from '../../src/frame/DataFrame.js';
import { read } from '../../src/frame/read.js';
import { runJobSpec } from '../../src/job/index.js';
import { schemaToSpec } from '../../src/types/typeNames.js';
import { FillMissingValues } from '../../transforms/index.js';
import { leastSquares, median } from '../../transforms/ml/leastSquares.js';
import { tempDir } from '../support/files.js';

describe('FillMissingValues', () => {
  it('fills a numeric column by linear regression on the complete numeric columns (y = 2x + 3z + 1 exactly)', async () => {
    const rows = [
      { x: 1, z: 0, y: 3, note: 'a' }, { x: 2, z: 1, y: 8, note: null }, { x: 0, z: 2, y: 7, note: 'b' },
      { x: 3, z: 3, y: null, note: 'c' }, { x: 5, z: 1, y: 14, note: 'd' }, { x: 4, z: 0, y: null, note: null },
    ];
    const out = DataFrame.fromRows(rows, { x: 'int32', z: 'float64', y: 'float64', note: 'string' }).fillMissingValues('y');
    expect(schemaToSpec(await out.schema())).toEqual({ x: 'int32', z: 'float64', y: 'float64', note: 'string', y_filled: 'float64' });
    const filled = (await out.toColumns()).y_filled as number[];
    expect(filled.map((v) => Math.round(v * 1e9) / 1e9)).toEqual([3, 8, 7, 16, 14, 9]);
    expect((await out.toColumns()).y).toEqual([3, 8, 7, null, 14, null]);
  });

  it('uses the median without complete numeric columns, rounding for integer columns', async () => {
    const rows = [{ n: 1, other: null }, { n: null, other: 1 }, { n: 4, other: 2 }, { n: 10, other: 3 }, { n: 2, other: 4 }];
    const out = DataFrame.fromRows(rows, { n: 'int32', other: 'int32' }).fillMissingValues('n', 'n_est');
    expect((await out.toColumns()).n_est).toEqual([1, 3, 4, 10, 2]);
    expect(schemaToSpec(await out.schema())).toEqual({ n: 'int32', other: 'int32', n_est: 'int32' });
  });

  it('fills strings (null and empty) with the most frequent value, first met on a tie; outputColumn may replace the column', async () => {
    const rows = [{ c: 'FR' }, { c: '' }, { c: 'DE' }, { c: null }, { c: 'DE' }, { c: 'FR' }];
    const out = FillMissingValues.apply({ frame: DataFrame.fromRows(rows, { c: 'string' }), missingValuesColumn: 'c', outputColumn: 'c' });
    expect(await out.toColumns()).toEqual({ c: ['FR', 'FR', 'DE', 'FR', 'DE', 'FR'] });
  });

  it('leaves nulls when there is nothing to learn from, and names a bad column', async () => {
    const out = DataFrame.fromRows([{ v: null }, { v: null }], { v: 'float64' }).fillMissingValues('v');
    expect((await out.toColumns()).v_filled).toEqual([null, null]);
    await expect(DataFrame.fromRows([{ v: 1 }]).fillMissingValues('w').schema()).rejects.toThrow("FillMissingValues: no column 'w' to fill; available: v");
  });

  it('leastSquares solves exactly and refuses a singular system; median of odd and even counts', () => {
    const fit = leastSquares([Float64Array.of(0, 1, 2, 3)], Float64Array.of(1, 3, 5, 7))!;
    expect([...fit].map((v) => Math.round(v * 1e9) / 1e9)).toEqual([1, 2]);
    expect(leastSquares([Float64Array.of(1, 1, 1)], Float64Array.of(1, 2, 3))).toBeUndefined();
    expect(median(Float64Array.of(5, 1, 3))).toBe(3);
    expect(median(Float64Array.of(4, 1, 3, 2))).toBe(2.5);
    expect(median(new Float64Array(0))).toBeUndefined();
  });

  it('as a job-spec node', async () => {
    const dir = await tempDir('sluice-fill-');
    writeFileSync(join(dir, 'in.csv'), 'id,city\n1,Paris\n2,\n3,Lyon\n4,Paris\n');
    const spec = {
      name: 'fill',
      nodes: [
        { id: 'src', type: 'read', format: 'csv', paths: ['${DIR}/in.csv'], formatOptions: { withHeader: true } },
        { id: 'filled', type: 'FillMissingValues', input: 'src', missingValuesColumn: 'city' },
        { id: 'out', type: 'write', input: 'filled', format: 'json', path: '${DIR}/out' },
      ],
    };
    await runJobSpec(spec, { DIR: dir });
    expect(await read.json(join(dir, 'out')).toRows()).toEqual([
      { id: 1, city: 'Paris', city_filled: 'Paris' },
      { id: 2, city: null, city_filled: 'Paris' },
      { id: 3, city: 'Lyon', city_filled: 'Lyon' },
      { id: 4, city: 'Paris', city_filled: 'Paris' },
    ]);
  });
});
