import { describe, expect, it } from 'vitest';
import { Decimal, Float64, Int32, Int64, vectorFromArray } from 'apache-arrow';
import { evaluate, expr, inferType } from '../../src/expr/index.js';
import { batchOf, run } from './helpers.js';

describe('arithmetic', () => {
  const batch = batchOf({
    i: [[7, -7, null, 2147483647], new Int32()],
    j: [[2, 0, 3, 1], new Int32()],
    f: [[0.5, 1.5, 2.5, null], new Float64()],
    big: vectorFromArray([10n, -3n, null, 9007199254740993n], new Int64()),
  });
  const typeOf = (sql: string) => String(evaluate(expr(sql).node, batch).type);

  it('int32 op int32 stays int32 and wraps like Java ints', () => {
    expect(run('i + j', batch)).toEqual([9, -7, null, -2147483648]);
    expect(run('i * 2', batch)).toEqual([14, -14, null, -2]);
    expect(run('i % j', batch)).toEqual([1, null, null, 0]);
    expect(typeOf('i + j')).toBe('Int32');
  });

  it('division is float64 and null on zero, like Spark', () => {
    expect(run('i / j', batch)).toEqual([3.5, null, null, 2147483647]);
    expect(run('i / 0', batch)).toEqual([null, null, null, null]);
    expect(typeOf('i / j')).toBe('Float64');
  });

  it('int op float is float64, nulls propagate', () => {
    expect(run('i + f', batch)).toEqual([7.5, -5.5, null, null]);
    expect(run('-f', batch)).toEqual([-0.5, -1.5, -2.5, null]);
    expect(run('1 - f * 2', batch)).toEqual([0, -2, -4, null]);
  });

  it('int64 arithmetic is exact and mixes with int32', () => {
    expect(run('big + 1', batch)).toEqual([11n, -2n, null, 9007199254740994n]);
    expect(run('big * j', batch)).toEqual([20n, -0n, null, 9007199254740993n]);
    expect(run('big % 0', batch)).toEqual([null, null, null, null]);
    expect(typeOf('big - i')).toBe('Int64');
    expect(run('big / 4', batch)).toEqual([2.5, -0.75, null, 2251799813685248.2]);
  });

  it('decimals stay exact decimals with Spark\'s result types (the literal 2 is decimal(1,0))', () => {
    const dec = batchOf({ d: vectorFromArray([1234n, -50n, null].map((v) => (v === null ? null : new Uint32Array([Number(BigInt.asUintN(32, v)), v < 0n ? 0xffffffff : 0, v < 0n ? 0xffffffff : 0, v < 0n ? 0xffffffff : 0]))), new Decimal(2, 10)) });
    expect(run('CAST(d * 2 AS string)', dec)).toEqual(['24.68', '-1.00', null]);
    expect(String(inferType(expr('d * 2').node, dec.schema))).toBe('Decimal[12e+2]');
    expect(run('CAST(d / 3 AS string)', dec)).toEqual(['4.113333', '-0.166667', null]);
    expect(run('d * 0.5', dec)).toEqual([6.17, -0.25, null]); // a fractional literal is a double here (Spark: a decimal)
    expect(run('d > 12', dec)).toEqual([true, false, null]);
    expect(String(inferType(expr('d + 1').node, dec.schema))).toBe('Decimal[11e+2]');
    expect(String(inferType(expr('d + 1.5').node, dec.schema))).toBe('Float64');
  });

  it('constant sub-expressions fold and broadcast', () => {
    expect(run('1 + 2 * 3', batch)).toEqual([7, 7, 7, 7]);
    expect(run("'a' || 'b'", batch)).toEqual(['ab', 'ab', 'ab', 'ab']);
  });

  it('casts strings in arithmetic to double, as Spark does (bad text is null)', () => {
    const s = batchOf({ s: [['x', '2.5', ' 4 ', null], undefined as never] });
    expect(run('s + 1', s)).toEqual([null, 3.5, 5, null]);
    expect(run("s * '2'", s)).toEqual([null, 5, 8, null]);
  });

  it('rejects booleans in arithmetic, naming the expression', () => {
    const s = batchOf({ b: [[true], undefined as never] });
    expect(() => run('b + 1', s)).toThrow("cannot apply '+' to bool and int32 in: (b + 1)");
  });
});
