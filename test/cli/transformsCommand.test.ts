import { specTransforms } from '../../transforms/registry.js';
import { describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';

const cli = runCliInProcess;

describe('sluice transforms', () => {
  it('lists every spec transform with the first sentence of its description', async () => {
    const { code, out } = await cli(['transforms']);
    expect(code).toBe(0);
    const lines = out.split('\n');
    expect(lines.map((l) => l.split(' ')[0]).slice(0, 15)).toEqual([
      'ApplyMapping', 'SelectFields', 'DropFields', 'RenameField', 'Filter', 'Map', 'WithColumns', 'Join', 'Union',
      'DropNullFields', 'DropDuplicates', 'GroupBy', 'Window', 'OrderBy', 'Concatenate',
    ]);
    expect(lines.some((l) => /^RenameField +Renames one field\.$/.test(l))).toBe(true);
    expect(out).not.toContain('Limit');
  });

  it('describes one transform: parameters, defaults and an example node', async () => {
    const { code, out } = await cli(['transforms', 'Concatenate']);
    expect(code).toBe(0);
    expect(out.startsWith('Concatenate (Glue: gs_concat)\n')).toBe(true);
    expect(out).toContain([
      'Parameters:',
      '  input: the id of the node it reads (key: the member, when that node makes a collection)',
      '  colName (string, required): the output column',
      '  colList (string[], required): the columns to join, in order',
      '  spacer (string, optional): the text between two values (default: none)',
      '  nullString (string, optional): the text written for a null value (default: nulls are skipped)',
    ].join('\n'));
    expect(out).toContain('Example node:\n  {"id":"concatenate","type":"Concatenate","input":"orders","colName":"date","colList":["year","month","day"],"spacer":"-"}\n');
  });

  it('prints the definitions as JSON', async () => {
    const { out } = await cli(['transforms', 'Filter', '--json']);
    const [filter] = JSON.parse(out) as { name: string; params: { oneOf: unknown }; example: unknown }[];
    expect(filter.name).toBe('Filter');
    expect(filter.params.oneOf).toEqual([{ required: ['condition'] }, { required: ['function'] }]);
    expect(filter.example).toEqual({ id: 'filter', type: 'Filter', input: 'orders', condition: "amount > 100 AND country = 'FR'" });
  });

  it('suggests the nearest name for an unknown transform', async () => {
    const { code, err } = await cli(['transforms', 'concatenat']);
    expect(code).toBe(2);
    expect(err.split('\n')[0]).toBe(`sluice: unknown transform 'concatenat' (did you mean 'Concatenate'?); transforms: ${specTransforms.map((t) => t.name).join(', ')}`);
  });
});
