import { describe, expect, it } from 'vitest';
import { DataFrame } from '../../src/frame/DataFrame.js';
import { nearestName } from '../../src/types/nearestName.js';
import { DropDuplicates, DropFields, Join, Map as MapTransform } from '../../transforms/index.js';

const frame = DataFrame.fromRows([{ id: 1, note: 'x' }]);

describe('transform parameters in API calls', () => {
  it('an unknown parameter fails at once, naming the nearest known one', () => {
    expect(() => DropFields.apply({ frame, path: ['note'] } as never)).toThrow("unknown DropFields parameter 'path'; did you mean 'paths'?");
    expect(() => DropDuplicates.apply({ frame, column: ['id'] } as never)).toThrow("unknown DropDuplicates parameter 'column'; did you mean 'columns'?");
    expect(() => Join.apply({ frame1: frame, frame2: frame, keys1: ['id'], keys2: ['id'], hwo: 'left' } as never))
      .toThrow("unknown Join parameter 'hwo'; did you mean 'how'?");
    expect(() => MapTransform.apply({ frame, fn: (r: object) => r } as never)).toThrow("unknown Map parameter 'fn'; did you mean 'f'?");
  });

  it('without a near name, lists the parameters', () => {
    expect(() => DropFields.apply({ frame, paths: ['note'], columnsToDrop: ['x'] } as never))
      .toThrow("unknown DropFields parameter 'columnsToDrop'; its parameters: frame, paths, transformationCtx, stageThreshold, totalThreshold");
  });

  it("Glue's node settings and the documented parameters pass", async () => {
    const out = DropFields.apply({ frame, paths: ['note'], transformationCtx: 'drop', stageThreshold: 0, totalThreshold: 0 });
    expect(await out.toRows()).toEqual([{ id: 1 }]);
  });
});

describe('nearestName', () => {
  it('finds the closest name case-insensitively, or none when nothing is close', () => {
    expect(nearestName('path', ['frame', 'paths'])).toBe('paths');
    expect(nearestName('dropfields', ['DropFields', 'DropNullFields'])).toBe('DropFields');
    expect(nearestName('colum', ['columns', 'column'])).toBe('column');
    expect(nearestName('Explode', ['read', 'write', 'Join'])).toBeUndefined();
    expect(nearestName('ab', ['xy'])).toBeUndefined();
    expect(nearestName('ab', ['xy'], 2)).toBe('xy');
  });
});

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and neighbour swaps as one edit each', async () => {
    const { editDistance } = await import('../../src/types/nearestName.js');
    expect([editDistance('paths', 'path'), editDistance('colum', 'colxm'), editDistance('hwo', 'how'), editDistance('', 'abc'), editDistance('kitten', 'sitting')]).toEqual([1, 1, 1, 3, 3]);
  });
});

describe('df.transform by name', () => {
  it('names the nearest transform of one frame when the name is unknown', () => {
    expect(() => frame.transform('dropfield', { paths: ['note'] }))
      .toThrow("unknown transform 'dropfield' for df.transform (did you mean 'DropFields'?); transforms of one frame: ApplyMapping, SelectFields, DropFields, RenameField, Filter, Map, WithColumns, DropNullFields, DropDuplicates, GroupBy, Window, OrderBy, Concatenate, Explode, ResolveChoice, Unnest, UnnestFrame, Unbox, Spigot, FlatMapRecords, Repartition, Coalesce, FillMissingValues, FindMatches");
    expect(() => frame.transform('Join', {})).toThrow('Join takes two frames: use its method (df.join, df.union) or Join.apply({ frame1, frame2, ... })');
  });
});
