import { describe, expect, it } from 'vitest';
import { DataFrame } from '../../src/frame/DataFrame.js';

const frame = () => DataFrame.fromRows([{ id: 1 }, { id: 2 }, { id: 3 }, { id: 4 }], { id: 'int32' });
const failOn = (ids: number[]) => (r: Record<string, unknown>) => {
  if (ids.includes(r.id as number)) throw new Error(`bad ${r.id}`);
  return r;
};

describe("Glue's error counts: errorsCount, stageErrorsCount, assertErrorThreshold, errorsAsDynamicFrame", () => {
  it('stageErrorsCount counts this step only, errorsCount the step and everything upstream', async () => {
    const first = frame().map(failOn([1]), { transformationCtx: 'first', schema: { id: 'int32' } });
    const second = first.map(failOn([2, 3]), { transformationCtx: 'second', schema: { id: 'int32' } });
    expect(await second.stageErrorsCount()).toBe(2);
    expect(await second.errorsCount()).toBe(3);
    expect(await first.stageErrorsCount()).toBe(1);
    expect((await (await second.errorsAsDynamicFrame()).toRows()).map((e) => [e.node, e.message])).toEqual([
      ['first', 'Map function threw on this record: Error: bad 1'],
      ['second', 'Map function threw on this record: Error: bad 2'],
      ['second', 'Map function threw on this record: Error: bad 3'],
    ]);
    // A step that raised none: 0 of its own, the upstream ones in the total.
    const clean = second.filter('id > 0', { transformationCtx: 'clean' });
    expect(await clean.stageErrorsCount()).toBe(0);
    expect(await clean.errorsCount()).toBe(3);
  });

  it('assertErrorThreshold throws past stageThreshold / totalThreshold and passes within them; 0 is no limit', async () => {
    const first = frame().map(failOn([1]), { transformationCtx: 'first' });
    await expect(first.map(failOn([2, 3]), { transformationCtx: 'second', stageThreshold: 1 }).assertErrorThreshold())
      .rejects.toThrow('second: 2 error records exceed stageThreshold 1');
    await expect(first.map(failOn([2]), { transformationCtx: 'second', totalThreshold: 1 }).assertErrorThreshold())
      .rejects.toThrow('second: 2 error records up to this step exceed totalThreshold 1');
    await expect(first.map(failOn([2, 3]), { stageThreshold: 2, totalThreshold: 3 }).assertErrorThreshold()).resolves.toBeUndefined();
    await expect(first.map(failOn([2, 3, 4])).assertErrorThreshold()).resolves.toBeUndefined();
  });
});
