import { describe, expect, it } from 'vitest';
import { Binary, Dictionary, Float64, Int32, Int64, Utf8, vectorFromArray } from 'apache-arrow';
import { Field, Schema } from 'apache-arrow';
import { evaluate, findFunction, FUNCTIONS, inferType, listFunctions, lookupFunction, parseExpr, expr } from '../../src/expr/index.js';
import { batchOf, run } from './helpers.js';

const one = batchOf({ i: [[1], new Int32()] });
const value = (sql: string) => run(sql, one)[0];

describe('the function registry', () => {
  it('lists every function with its signature and description, sorted, reachable by name and alias', () => {
    const list = listFunctions();
    expect(list.length).toBeGreaterThanOrEqual(85);
    expect(list.map((f) => f.name)).toEqual([...list.map((f) => f.name)].sort((a, b) => a.localeCompare(b)));
    for (const f of list) {
      expect(f.signature.startsWith(`${f.name}(`)).toBe(true);
      expect(f.description.length).toBeGreaterThan(5);
      expect(FUNCTIONS[f.name]).toBeDefined();
      for (const alias of f.aliases) expect(findFunction(alias)).toBe(FUNCTIONS[f.name]);
    }
    expect(list.find((f) => f.name === 'concat_ws')).toMatchObject({ category: 'string', minArgs: 1, maxArgs: null });
    expect(findFunction('NVL')?.name).toBe('nvl');
    expect(findFunction('ifnull')?.name).toBe('nvl');
    expect(findFunction('no_such_function')).toBeUndefined();
  });

  it('names the arity it wants', () => {
    expect(() => lookupFunction('round', 3)).toThrow('round() takes 1 to 2 arguments, got 3');
    expect(() => lookupFunction('nvl', 1)).toThrow('nvl() takes 2 arguments, got 1');
    expect(() => lookupFunction('greatest', 1)).toThrow('greatest() takes at least 2 arguments, got 1');
  });
});

describe('the parser accepts every function name in any case', () => {
  const names = listFunctions().flatMap((f) => [f.name, ...f.aliases].map((name) => ({ name, min: f.minArgs })));
  const spellings = (name: string) => [name, name.toUpperCase(), name[0].toUpperCase() + name.slice(1)];
  for (const { name, min } of names) {
    it(name, () => {
      const args = Array.from({ length: min }, () => 'a').join(', ');
      for (const spelling of spellings(name)) {
        const node = parseExpr(`${spelling}(${args})`);
        if (node.kind === 'lit') expect(['current_date', 'curdate', 'current_timestamp', 'now']).toContain(name);
        else expect(node).toMatchObject({ kind: 'call', fn: name });
      }
    });
  }
});

describe('Spark semantics the DuckDB comparison does not reach', () => {
  it('rounds half up (round) and half to even (bround) on the decimal value', () => {
    expect(run('round(x)', batchOf({ x: [[2.5, -2.5, 0.5, 1.5, null], new Float64()] }))).toEqual([3, -3, 1, 2, null]);
    expect(run('bround(x)', batchOf({ x: [[2.5, -2.5, 0.5, 1.5, null], new Float64()] }))).toEqual([2, -2, 0, 2, null]);
    expect(value('round(1.005, 2)')).toBe(1.01);
    expect(value('round(2.675, 2)')).toBe(2.68);
    expect(value('bround(2.665, 2)')).toBe(2.66);
    expect(value('round(-0.4)')).toBe(0);
    expect(value('round(125, -1)')).toBe(130);
    expect(value('bround(125, -1)')).toBe(120);
    expect(value('round(i, 2)')).toBe(1);
    expect(value('round(1.5, NULL)')).toBe(null);
  });

  it('floor and ceil return bigint, saturating like Java', () => {
    expect(value('floor(-0.5)')).toBe(-1n);
    expect(value('ceil(1e30)')).toBe(9223372036854775807n);
    expect(value('floor(-1e30)')).toBe(-9223372036854775808n);
  });

  it('abs wraps at the minimum integer, as Java does', () => {
    const b = batchOf({ i: [[-2147483648, -5, null], new Int32()], big: [[-9223372036854775808n, -5n, null], new Int64()] });
    expect(run('abs(i)', b)).toEqual([-2147483648, 5, null]);
    expect(run('abs(big)', b)).toEqual([-9223372036854775808n, 5n, null]);
  });

  it('gives null for logarithms of non-positive numbers and for mod by zero', () => {
    expect(value('ln(0)')).toBe(null);
    expect(value('log(-1, 10)')).toBe(null);
    expect(value('log10(1000)')).toBeCloseTo(3, 12);
    expect(value('pmod(7, 0)')).toBe(null);
    expect(value('pmod(-7, 3)')).toBe(2);
    expect(value('mod(-7, 3)')).toBe(-1);
    expect(Number.isNaN(value('sqrt(-1)') as number)).toBe(true);
  });

  it('greatest and least skip nulls', () => {
    const b = batchOf({ a: [[1, null, null], new Int32()], c: [[3, 2, null], new Int32()] });
    expect(run('greatest(a, c)', b)).toEqual([3, 2, null]);
    expect(run('least(a, c)', b)).toEqual([1, 2, null]);
    // Code point order, not UTF-16 order: U+1F600 is above U+FF46.
    expect(value("greatest('ｆ', '😀')")).toBe('😀');
    expect(value("least('ｆ', '😀', NULL)")).toBe('ｆ');
    expect(Number.isNaN(value("greatest(1.0, CAST('NaN' AS double))") as number)).toBe(true);
    expect(value("least(1.0, CAST('NaN' AS double))")).toBe(1);
    expect(run("greatest(to_timestamp('2024-01-01 00:00:00'), CAST(NULL AS timestamp))", one)).toEqual([1704067200000]);
  });

  it('follows Spark for string edge cases', () => {
    expect(value("concat_ws(NULL, 'a')")).toBe(null);
    expect(value("concat_ws('-', NULL, 'a', NULL, 'b')")).toBe('a-b');
    expect(value("lpad('hi', 5, '')")).toBe('hi');
    expect(value("lpad('hello', 2, '*')")).toBe('he');
    expect(value("rpad('x😀', 4, '😀')")).toBe('x😀😀😀');
    expect(value("locate('a', 'banana', NULL)")).toBe(0);
    expect(value("locate('a', 'banana', 0)")).toBe(0);
    expect(value("locate('a', 'banana', 3)")).toBe(4);
    expect(value("instr('x😀ya', 'a')")).toBe(4);
    expect(value("split_part('a,b,c', ',', -1)")).toBe('c');
    expect(() => value("split_part('a,b', ',', 0)")).toThrow('split_part: the part index must not be 0');
    expect(value("levenshtein('x😀y', 'xay')")).toBe(1);
    expect(value("initcap('hELLO wORLD')")).toBe('Hello World');
    expect(value("translate('AaBbCc', 'abc', '12')")).toBe('A1B2C');
    expect(value("ascii('😀')")).toBe(128512);
    expect(value("regexp_replace('2024-01-02', '(\\d+)-(\\d+)-(\\d+)', '$3/$2/$1')")).toBe('02/01/2024');
    expect(value("regexp_replace('aaa', 'a', 'b', 2)")).toBe('abb');
    expect(() => value("regexp_replace('a', '(a)\\1', 'b')")).toThrow(/backreferences are not supported/);
    expect(value("replace('abc', 'b')")).toBe('ac');
  });

  it('hashes and encodes the UTF-8 bytes', () => {
    expect(value("crc32('hello')")).toBe(907060870n);
    expect(value("md5('Spark')")).toBe('8cde774d6f7333752ed72cacddb05126');
    expect(value("sha2('Spark', 384)")).toMatch(/^[0-9a-f]{96}$/);
    expect(value("sha2('Spark', 100)")).toBe(null);
    expect(value("base64('Spark SQL')")).toBe('U3BhcmsgU1FM');
    const bytes = evaluate(expr("unbase64(base64(CAST(i AS string)))").node, one).get(0) as Uint8Array;
    expect([...bytes]).toEqual([0x31]);
    expect(inferType(expr("unbase64('AA==')").node, new Schema([])).toString()).toBe(new Binary().toString());
  });

  it('treats null as false in isnan and picks the second value of nanvl only for NaN', () => {
    expect(value('isnan(NULL)')).toBe(false);
    expect(value("isnan(CAST('NaN' AS double))")).toBe(true);
    expect(value("nanvl(CAST('NaN' AS double), 1.5)")).toBe(1.5);
    expect(value('nanvl(2.0, NULL)')).toBe(2);
    expect(value("nanvl(CAST('NaN' AS double), NULL)")).toBe(null);
  });

  it('picks values like Spark in if, nullif, nvl2', () => {
    const b = batchOf({ i: [[1, null, 3], new Int32()] });
    expect(run("if(i > 1, 'big', 'small')", b)).toEqual(['small', 'small', 'big']);
    expect(run('nullif(i, 3)', b)).toEqual([1, null, null]);
    expect(run("nvl2(i, 'set', 'unset')", b)).toEqual(['set', 'unset', 'set']);
  });

  it('answers the examples of Spark\'s date function documentation', () => {
    const day = (sql: string) => { const v = value(sql); return v === null ? null : new Date(v as number).toISOString().slice(0, 10); };
    expect(value("months_between('1997-02-28 10:30:00', '1996-10-30')")).toBe(3.94959677);
    expect(value("months_between('1997-02-28 10:30:00', '1996-10-30', false)")).toBeCloseTo(3.9495967741935485, 14);
    expect(day("add_months('2016-08-31', 1)")).toBe('2016-09-30');
    expect(day("add_months('2024-02-29', 12)")).toBe('2025-02-28');
    expect(day("last_day('2009-01-12')")).toBe('2009-01-31');
    expect(day("next_day('2015-01-14', 'TU')")).toBe('2015-01-20');
    expect(day("next_day('2015-01-14', 'nonsense')")).toBe(null);
    expect(value("dayofweek('2009-07-30')")).toBe(5);
    expect(value("dayofyear('2016-04-09')")).toBe(100);
    expect(value("weekofyear('2008-02-20')")).toBe(8);
    expect(value("quarter('2016-08-31')")).toBe(3);
    expect(value("minute('2009-07-30 12:58:59')")).toBe(58);
    expect(value("second('2009-07-30 12:58:59')")).toBe(59);
    expect(day("trunc('2019-08-04', 'week')")).toBe('2019-07-29');
    expect(day("trunc('2019-08-04', 'quarter')")).toBe('2019-07-01');
    expect(day("trunc('2009-02-12', 'MM')")).toBe('2009-02-01');
    expect(day("trunc('2009-02-12', 'DD')")).toBe(null);
    expect(day('make_date(2013, 7, 15)')).toBe('2013-07-15');
    expect(day('make_date(2019, 7, NULL)')).toBe(null);
    expect(day('make_date(2019, 2, 30)')).toBe(null);
    expect(value("unix_timestamp('2016-04-08', 'yyyy-MM-dd')")).toBe(1460073600n);
    expect(value("unix_timestamp('not a date')")).toBe(null);
    expect(value("from_unixtime(0, 'yyyy-MM-dd HH:mm:ss')")).toBe('1970-01-01 00:00:00');
    expect(value("date_format('2016-04-08', 'y')")).toBe('2016');
    expect(value("date_format('2024-02-29 13:05:09.123', 'yyyy-MM-dd HH:mm:ss.SSS EEE a D Q')")).toBe('2024-02-29 13:05:09.123 Thu PM 60 1');
    expect(() => value("date_format('2024-02-29', 'yyyy-ww')")).toThrow("unsupported pattern letter 'w'");
  });

  it('fixes current_date and current_timestamp once per parsed expression', () => {
    const node = parseExpr('current_timestamp() = now() AND current_timestamp = CURRENT_TIMESTAMP()');
    expect(value('current_timestamp() = now()')).toBe(true);
    const literals = JSON.stringify(node).match(/"value":"[^"]+"/g)!;
    expect(new Set(literals).size).toBe(1);
    expect(parseExpr('current_date')).toMatchObject({ kind: 'lit', type: 'date' });
  });

  it('reads JSON paths as Spark does', () => {
    const json = '{"a":{"b":[1,{"c":"x"}],"n":-5.0},"s":"t"}';
    const get = (path: string) => value(`get_json_object('${json}', '${path}')`);
    expect(get('$.a.b[1].c')).toBe('x');
    expect(get('$.a.b')).toBe('[1,{"c":"x"}]');
    expect(get('$.a.n')).toBe('-5.0');
    expect(value(`get_json_object('${json}', "$['s']")`)).toBe('t');
    expect(get('$.missing')).toBe(null);
    expect(get('a')).toBe(null);
    expect(value("get_json_object('{not json', '$.a')")).toBe(null);
  });

  it('runs string functions once per distinct value of a dictionary column', () => {
    const dict = vectorFromArray(['ab', 'cd', 'ab', null], new Dictionary(new Utf8(), new Int32()));
    const b = batchOf({ s: dict });
    expect(run("lpad(s, 4, '.')", b)).toEqual(['..ab', '..cd', '..ab', null]);
    expect(run('md5(s)', b)[3]).toBe(null);
  });

  it('infers Spark result types', () => {
    const schema = new Schema([new Field('i', new Int32()), new Field('x', new Float64()), new Field('s', new Utf8())]);
    const typeOf = (sql: string) => String(inferType(expr(sql).node, schema));
    expect(typeOf('round(i)')).toBe('Int32');
    expect(typeOf('round(x, 1)')).toBe('Float64');
    expect(typeOf('floor(x)')).toBe('Int64');
    expect(typeOf('sqrt(i)')).toBe('Float64');
    expect(typeOf('i / 2')).toBe('Float64');
    expect(typeOf("s + 1")).toBe('Float64');
    expect(typeOf('greatest(i, x)')).toBe('Float64');
    expect(typeOf("if(i > 0, s, 'n')")).toBe('Utf8');
    expect(typeOf("unix_timestamp(s)")).toBe('Int64');
    expect(typeOf("crc32(s)")).toBe('Int64');
    expect(typeOf("add_months(s, 1)")).toBe('Date32<DAY>');
    expect(() => typeOf("lpad(s, 'x')")).toThrow('lpad: argument 2 must be an integer, got string');
    expect(() => typeOf("if(i, 1, 2)")).toThrow('if: argument 1 must be a boolean, got int32');
  });
});
