import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { read } from '../../src/frame/read.js';
import { closeWorkerPool } from '../../src/exec/parallel/pool.js';
import { extractRegions } from '../../src/exec/parallel/planRegions.js';
import { Concatenate } from '../../transforms/index.js';
import { bothWays, ORDERS_SCHEMA, ordersCsv } from './helpers.js';
import { tempDir } from '../support/files.js';

afterAll(() => closeWorkerPool());

describe('a transform added by its definition alone runs per split', () => {
  it('Concatenate over splits: the same rows, in the same order, as inline', async () => {
    const dir = await tempDir();
    const path = join(dir, 'orders.csv');
    await writeFile(path, ordersCsv(3000));
    const orders = read.csv(path, { withHeader: true, schema: ORDERS_SCHEMA });
    const frame = Concatenate.apply({ frame: orders, colName: 'label', colList: ['country', 'note', 'id'], spacer: '|', nullString: '-' })
      .filter('amount > 10');
    expect(extractRegions(frame.plan).regions.map((r) => r.steps.map((s) => s.name))).toEqual([['Concatenate', 'Filter']]);
    const { inline, parallel } = await bothWays(frame);
    expect(inline.rows.length).toBeGreaterThan(1000);
    expect(inline.rows.some((r) => String(r.label).includes('|-|'))).toBe(true);
    expect(parallel.rows).toEqual(inline.rows);
  });
});
