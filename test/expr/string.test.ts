import { describe, expect, it } from 'vitest';
import { Dictionary, Int32, Utf8 } from 'apache-arrow';
import { evaluate, expr, col, regexpExtract } from '../../src/expr/index.js';
import { batchOf, rows, run } from './helpers.js';

describe('LIKE and RLIKE', () => {
  const batch = batchOf({ s: [['abc', 'a_c', 'abcd', 'ABC', '100%', '', null, 'xäbc'], new Utf8()] });
  const cases: [string, unknown[]][] = [
    ["s LIKE 'abc'", [true, false, false, false, false, false, null, false]],
    ["s LIKE 'a%'", [true, true, true, false, false, false, null, false]],
    ["s LIKE '%c'", [true, true, false, false, false, false, null, true]],
    ["s LIKE '%b%'", [true, false, true, false, false, false, null, true]],
    ["s LIKE 'a_c'", [true, true, false, false, false, false, null, false]],
    ["s LIKE 'a\\_c'", [false, true, false, false, false, false, null, false]],
    ["s LIKE '%!%' ESCAPE '!'", [false, false, false, false, true, false, null, false]],
    ["s LIKE '_'", [false, false, false, false, false, false, null, false]],
    ["s LIKE ''", [false, false, false, false, false, true, null, false]],
    ["s LIKE 'x_bc'", [false, false, false, false, false, false, null, true]],
    ["s LIKE 'a%d%'", [false, false, true, false, false, false, null, false]],
    ["s NOT LIKE 'a%'", [false, false, false, true, true, true, null, true]],
    ["s RLIKE '^[a-z]+$'", [true, false, true, false, false, false, null, false]],
    ["s NOT RLIKE 'c'", [false, false, false, true, true, true, null, false]],
  ];
  it.each(cases)('%s', (sql, expected) => {
    expect(run(sql, batch)).toEqual(expected);
  });

  it('works the same on dictionary columns', () => {
    const dict = batchOf({ s: [['abc', null, 'xyz', 'abc'], new Dictionary(new Utf8(), new Int32())] });
    expect(run("s LIKE 'a%'", dict)).toEqual([true, null, false, true]);
    expect(run("s RLIKE 'y'", dict)).toEqual([false, null, true, false]);
  });

  it('a pattern ending in the escape character is an error', () => {
    expect(() => run("s LIKE 'a\\'", batch)).toThrow(/ends with the escape character/);
  });
});

describe('string functions', () => {
  const batch = batchOf({
    s: [['  Hello ', 'wörld', null, '😀ab'], new Utf8()],
    d: [['DE', 'fr', 'DE', null], new Dictionary(new Utf8(), new Int32())],
    n: [[1, 2, null, 4], new Int32()],
  });

  it('lower, upper, trim, length (code points)', () => {
    expect(run('lower(s)', batch)).toEqual(['  hello ', 'wörld', null, '😀ab']);
    expect(run('upper(s)', batch)).toEqual(['  HELLO ', 'WÖRLD', null, '😀AB']);
    expect(run('trim(s)', batch)).toEqual(['Hello', 'wörld', null, '😀ab']);
    expect(run('length(s)', batch)).toEqual([8, 5, null, 3]);
  });

  it('dictionary inputs map the dictionary and keep the indices', () => {
    const lowered = evaluate(expr('lower(d)').node, batch);
    expect(String(lowered.type)).toBe('Dictionary<Int32, Utf8>');
    expect(rows(lowered)).toEqual(['de', 'fr', 'de', null]);
    expect(run('length(d)', batch)).toEqual([2, 2, 2, null]);
  });

  it('substring with Spark positions', () => {
    expect(run('substring(s, 3, 5)', batch)).toEqual(['Hello', 'rld', null, 'b']);
    expect(run('substring(s, -3)', batch)).toEqual(['lo ', 'rld', null, '😀ab']);
    expect(run('substring(s, 0, 2)', batch)).toEqual(['  ', 'wö', null, '😀a']);
    expect(run('substr(s, n, 1)', batch)).toEqual([' ', 'ö', null, '']);
    expect(run('substring(s, 2, 1)', batch)).toEqual([' ', 'ö', null, 'a']);
  });

  it('concat (null if any argument is null) and ||, casting numbers', () => {
    expect(run("concat(d, '-', n)", batch)).toEqual(['DE-1', 'fr-2', null, null]);
    expect(run("d || ':' || s", batch)).toEqual(['DE:  Hello ', 'fr:wörld', null, null]);
  });

  it('split into array<string> and regexp_extract', () => {
    const b = batchOf({ t: [['a,b,,c', '', null, 'x'], new Utf8()] });
    expect(run("split(t, ',')", b)).toEqual([['a', 'b', '', 'c'], [''], null, ['x']]);
    expect(run("split(t, ',', 2)", b)).toEqual([['a', 'b,,c'], [''], null, ['x']]);
    const e = batchOf({ t: [['order-123-x', 'none', null], new Utf8()] });
    expect(run("regexp_extract(t, '([a-z]+)-(\\d+)', 2)", e)).toEqual(['123', '', null]);
    expect(rows(evaluate(regexpExtract(col('t'), '([a-z]+)-').node, e))).toEqual(['order', '', null]);
  });
});
