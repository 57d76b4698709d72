import { describe, expect, it } from 'vitest';
import { writeFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runJobSpec } from '../../src/job/index.js';
import { jobSpecProblems } from '../../src/job/spec/validateJobSpec.js';
import { tempDir } from '../support/files.js';

describe('GroupBy and OrderBy nodes in job specs', () => {
  it('aggregates and sorts, writing the exact CSV', async () => {
    const dir = await tempDir('sluice-gb-');
    writeFileSync(join(dir, 'orders.csv'), 'seg,amount\nb,1.5\na,2\nb,\na,3\nc,4\n');
    const spec = {
      name: 'by_segment',
      nodes: [
        { id: 'orders', type: 'read', format: 'csv', paths: ['${INPUT}'], formatOptions: { withHeader: true }, schema: { seg: 'string', amount: 'float64' } },
        { id: 'totals', type: 'GroupBy', input: 'orders', keys: ['seg'], aggregations: [{ name: 'total', fn: 'sum', column: 'amount' }, { name: 'n', fn: 'count' }] },
        { id: 'sorted', type: 'OrderBy', input: 'totals', keys: [{ column: 'total', descending: true }] },
        { id: 'sink', type: 'write', input: 'sorted', format: 'csv', path: '${OUTPUT}' },
      ],
    };
    const summary = await runJobSpec(spec, { INPUT: join(dir, 'orders.csv'), OUTPUT: join(dir, 'out') });
    expect(summary.sinks[0].rows).toBe(3);
    const part = readdirSync(join(dir, 'out')).find((f) => f.endsWith('.csv'))!;
    expect(readFileSync(join(dir, 'out', part), 'utf8')).toBe('seg,total,n\na,5,2\nc,4,1\nb,1.5,2\n');
  });

  it('names what a GroupBy or OrderBy node lacks', () => {
    const problems = jobSpecProblems({
      nodes: [
        { id: 'r', type: 'read', format: 'csv', paths: ['x.csv'] },
        { id: 'g', type: 'GroupBy', input: 'r', keys: ['a'] },
        { id: 'o', type: 'OrderBy', input: 'g', keys: [{ column: 'a', descending: 'yes' }] },
        { id: 'w', type: 'write', input: 'o', format: 'csv', path: 'out' },
      ],
    });
    expect(problems).toEqual(['nodes[1].aggregations: required', 'nodes[2].keys[0].descending: must be a boolean']);
  });
});
