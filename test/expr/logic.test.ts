import { describe, expect, it } from 'vitest';
import { Bool } from 'apache-arrow';
import { evaluatePredicate, expr } from '../../src/expr/index.js';
import { batchOf, run } from './helpers.js';

// Every pair of (true, false, null) in two columns: 9 rows.
const T = true, F = false, N = null;
const left = [T, T, T, F, F, F, N, N, N];
const right = [T, F, N, T, F, N, T, F, N];
const batch = batchOf({ a: [left, new Bool()], b: [right, new Bool()] });

describe('three-valued logic', () => {
  it('AND truth table', () => {
    expect(run('a AND b', batch)).toEqual([T, F, N, F, F, F, N, F, N]);
  });
  it('OR truth table', () => {
    expect(run('a OR b', batch)).toEqual([T, T, T, T, F, N, T, N, N]);
  });
  it('NOT keeps null', () => {
    expect(run('NOT a', batch)).toEqual([F, F, F, T, T, T, N, N, N]);
  });
  it('with literals on either side', () => {
    expect(run('a AND NULL', batch)).toEqual([N, N, N, F, F, F, N, N, N]);
    expect(run('NULL OR b', batch)).toEqual([T, N, N, T, N, N, T, N, N]);
    expect(run('a AND TRUE', batch)).toEqual(left);
    expect(run('FALSE AND a', batch)).toEqual(Array(9).fill(F));
    expect(run('a OR TRUE', batch)).toEqual(Array(9).fill(T));
  });
  it('IS NULL / IS NOT NULL are never null', () => {
    expect(run('a IS NULL', batch)).toEqual([F, F, F, F, F, F, T, T, T]);
    expect(run('(a AND b) IS NOT NULL', batch)).toEqual([T, T, F, T, T, T, F, T, F]);
  });
  it('evaluatePredicate keeps only TRUE rows', () => {
    expect([...evaluatePredicate(expr('a OR b').node, batch)]).toEqual([1, 1, 1, 1, 0, 0, 1, 0, 0]);
    expect([...evaluatePredicate(expr('TRUE').node, batch)]).toEqual(Array(9).fill(1));
    expect([...evaluatePredicate(expr('NULL = 1').node, batch)]).toEqual(Array(9).fill(0));
  });
  it('works on sliced batches (bitmaps with a non-zero offset)', () => {
    const sliced = batch.slice(3, 9);
    expect(run('a AND b', sliced)).toEqual([F, F, F, N, F, N]);
    expect([...evaluatePredicate(expr('a OR b').node, sliced)]).toEqual([1, 0, 0, 1, 0, 0]);
  });
  it('rejects non-boolean operands with the expression in the message', () => {
    expect(() => run('1 AND a', batch)).toThrow(/AND needs boolean operands, got int32 in: \(1 AND a\)/);
  });
});
