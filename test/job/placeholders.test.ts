import { describe, expect, it } from 'vitest';
import { placeholderNames, substitutePlaceholders } from '../../src/job/spec/placeholders.js';
import { loadJobSpec } from '../../src/job/spec/loadJobSpec.js';
import { ORDERS_JOB } from './helpers.js';

describe('${NAME} placeholders', () => {
  it('fills every string value, leaving keys, numbers and booleans alone', () => {
    const spec = { '${KEY}': 'x', a: ['${IN}/part', 'p-${DAY}-${DAY}'], b: { c: 'no placeholders', d: 3, e: true, f: null } };
    expect(substitutePlaceholders(spec, { IN: 's3://bucket/in', DAY: '07', KEY: 'unused' })).toEqual({
      '${KEY}': 'x', a: ['s3://bucket/in/part', 'p-07-07'], b: { c: 'no placeholders', d: 3, e: true, f: null },
    });
  });

  it('keeps $${NAME} as a literal ${NAME}', () => {
    expect(substitutePlaceholders({ a: 'cost $${AMOUNT} in ${CUR}' }, { CUR: 'EUR' })).toEqual({ a: 'cost ${AMOUNT} in EUR' });
  });

  it('names every missing parameter at once', () => {
    expect(() => substitutePlaceholders(ORDERS_JOB, { INPUT: 'x' })).toThrow('missing job parameter OUTPUT: pass --OUTPUT <value>');
    expect(() => substitutePlaceholders(ORDERS_JOB, {})).toThrow('missing job parameters INPUT, OUTPUT: pass --INPUT <value> --OUTPUT <value>');
  });

  it('lists the names a spec uses', () => {
    expect(placeholderNames(ORDERS_JOB)).toEqual(['INPUT', 'OUTPUT']);
    expect(placeholderNames({ a: '$${NOT} ${YES}' })).toEqual(['YES']);
  });

  it('are filled by loadJobSpec from params, and a missing one names the job and the parameter', async () => {
    const plan = await loadJobSpec(ORDERS_JOB, { INPUT: '/data/orders.csv', OUTPUT: '/lake/orders' });
    expect(plan.spec.nodes[0]).toMatchObject({ paths: ['/data/orders.csv'] });
    expect(plan.sinks.map((s) => s.write)).toEqual([{ format: 'parquet', path: '/lake/orders', partitionKeys: ['year', 'month'] }]);
    await expect(loadJobSpec(ORDERS_JOB, { INPUT: 'x' })).rejects.toThrow('(object): missing job parameter OUTPUT: pass --OUTPUT <value>');
  });
});
