import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runJobSpec } from '../../src/job/index.js';
import { jobSpecProblems } from '../../src/job/spec/validateJobSpec.js';
import { tempDir } from '../support/files.js';

const nodes = (concat: Record<string, unknown>) => [
  { id: 'dates', type: 'read', format: 'csv', paths: ['${INPUT}'], formatOptions: { withHeader: true }, schema: { year: 'int32', month: 'string', day: 'string' } },
  { id: 'joined', type: 'Concatenate', input: 'dates', ...concat },
  { id: 'sink', type: 'write', input: 'joined', format: 'csv', path: '${OUTPUT}' },
];

describe('Concatenate nodes in job specs', () => {
  it('concatenate columns, nulls written as nullString, into the exact CSV', async () => {
    const dir = await tempDir('sluice-concat-');
    writeFileSync(join(dir, 'dates.csv'), 'year,month,day\n2020,01,05\n,02,06\n2021,,\n');
    const spec = { name: 'dates', nodes: nodes({ colName: 'date', colList: ['year', 'month', 'day'], spacer: '-', nullString: '??' }) };
    const summary = await runJobSpec(spec, { INPUT: join(dir, 'dates.csv'), OUTPUT: join(dir, 'out') });
    expect(summary.sinks[0].rows).toBe(3);
    const part = readdirSync(join(dir, 'out')).find((f) => f.endsWith('.csv'))!;
    expect(readFileSync(join(dir, 'out', part), 'utf8')).toBe('year,month,day,date\n2020,01,05,2020-01-05\n,02,06,??-02-06\n2021,,,2021-??-??\n');
  });

  it('rejects an unknown parameter with the nearest known one, and a missing one, before reading', () => {
    expect(jobSpecProblems({ nodes: nodes({ colName: 'date', colList: ['year'], spacr: '-' }) })).toEqual([
      "nodes[1].spacr: unknown field (did you mean 'spacer'?); allowed: input, key, colName, colList, spacer, nullString, transformationCtx, stageThreshold, totalThreshold",
    ]);
    expect(jobSpecProblems({ nodes: nodes({ colName: 'date', nullString: 7 }) })).toEqual([
      'nodes[1].colList: required',
      'nodes[1].nullString: must be a string',
    ]);
  });
});
