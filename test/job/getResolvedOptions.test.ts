import { describe, expect, it } from 'vitest';
import { getResolvedOptions, parseJobArguments } from '../../src/job/getResolvedOptions.js';

const argv = ['/usr/bin/node', '/jobs/orders.ts', '--JOB_NAME', 'orders', '--INPUT=s3://in/a=b', '--extra', 'x', '--OUTPUT', '/out'];

describe('getResolvedOptions', () => {
  it('reads --NAME value and --NAME=value, ignoring the script path and other options', () => {
    expect(getResolvedOptions(argv, ['JOB_NAME', 'INPUT', 'OUTPUT'])).toEqual({ JOB_NAME: 'orders', INPUT: 's3://in/a=b', OUTPUT: '/out' });
  });

  it('returns only the names asked for', () => {
    expect(getResolvedOptions(argv, ['OUTPUT'])).toEqual({ OUTPUT: '/out' });
  });

  it('keeps the last of a repeated name, and allows an empty value with =', () => {
    expect(getResolvedOptions(['--A', '1', '--A=2', '--B='], ['A', 'B'])).toEqual({ A: '2', B: '' });
  });

  it('names every missing argument', () => {
    expect(() => getResolvedOptions(argv, ['JOB_NAME', 'DAY', 'REGION'])).toThrow('missing job arguments: --DAY, --REGION (pass --NAME value or --NAME=value)');
  });

  it('rejects a wanted name without a value', () => {
    expect(() => getResolvedOptions(['--JOB_NAME', '--INPUT', 'x'], ['JOB_NAME', 'INPUT'])).toThrow('job argument --JOB_NAME needs a value: --JOB_NAME value or --JOB_NAME=value');
  });

  it('parseJobArguments takes every pair', () => {
    expect(parseJobArguments(['run', '--A', '1', '--B=2'])).toEqual({ A: '1', B: '2' });
  });
});
