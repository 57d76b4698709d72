import { describe, expect, it } from 'vitest';
import { parseExpr, formatExpr, ExprSyntaxError, col, lit, when, expr, year, lower } from '../../src/expr/index.js';

const c = (name: string) => ({ kind: 'col', name });
const l = (value: unknown, type?: string) => (type ? { kind: 'lit', value, type } : { kind: 'lit', value });

describe('parseExpr precedence', () => {
  it('binds AND tighter than OR and NOT tighter than AND', () => {
    expect(parseExpr('a OR b AND NOT c')).toEqual({
      kind: 'logic', op: 'or', left: c('a'),
      right: { kind: 'logic', op: 'and', left: c('b'), right: { kind: 'not', expr: c('c') } },
    });
  });

  it('binds * over +, + over comparison, and unary minus tightest', () => {
    expect(parseExpr('a + b * -c > 1')).toEqual({
      kind: 'compare', op: '>', right: l(1),
      left: { kind: 'arith', op: '+', left: c('a'), right: { kind: 'arith', op: '*', left: c('b'), right: { kind: 'neg', expr: c('c') } } },
    });
    expect(parseExpr('a - b - c')).toEqual({ kind: 'arith', op: '-', left: { kind: 'arith', op: '-', left: c('a'), right: c('b') }, right: c('c') });
  });

  it('parses the issue example into the same tree as the builders', () => {
    const parsed = parseExpr("amount > 100 AND status <> 'cancelled'");
    expect(parsed).toEqual(col('amount').gt(100).and(col('status').neq('cancelled')).node);
  });

  it('parses BETWEEN without swallowing the following AND', () => {
    expect(parseExpr('x BETWEEN 1 AND 5 AND y')).toEqual({
      kind: 'logic', op: 'and', right: c('y'),
      left: { kind: 'between', expr: c('x'), low: l(1), high: l(5), negated: false },
    });
  });

  it('parses IS [NOT] NULL, [NOT] IN, [NOT] LIKE with ESCAPE, RLIKE', () => {
    expect(parseExpr('a IS NOT NULL')).toEqual({ kind: 'isNull', expr: c('a'), negated: true });
    expect(parseExpr("a NOT IN (1, 2)")).toEqual({ kind: 'in', expr: c('a'), list: [l(1), l(2)], negated: true });
    expect(parseExpr("a NOT LIKE 'x!%%' ESCAPE '!'")).toEqual({ kind: 'like', expr: c('a'), pattern: 'x!%%', escape: '!', negated: true });
    expect(parseExpr("a RLIKE '^[0-9]+$'")).toEqual({ kind: 'rlike', expr: c('a'), pattern: '^[0-9]+$', negated: false });
  });

  it('parses literals: strings with doubled quotes, numbers, booleans, NULL, DATE, TIMESTAMP', () => {
    expect(parseExpr("'it''s'")).toEqual(l("it's"));
    expect(parseExpr('1.5')).toEqual(l(1.5, 'float64'));
    expect(parseExpr('3000000000')).toEqual(l(3000000000, 'int64'));
    expect(parseExpr('-2147483648')).toEqual(l(-2147483648));
    expect(parseExpr('9223372036854775807')).toEqual(l('9223372036854775807', 'int64'));
    expect(parseExpr('TRUE')).toEqual(l(true));
    expect(parseExpr('null')).toEqual(l(null));
    expect(parseExpr("DATE '2024-01-01'")).toEqual(l('2024-01-01', 'date'));
    expect(parseExpr("TIMESTAMP '2024-01-01 10:00:00'")).toEqual(l('2024-01-01 10:00:00', 'timestamp'));
  });

  it('parses backtick identifiers, dotted struct paths, case-insensitive functions, CASE and CAST', () => {
    expect(parseExpr('`order id`')).toEqual(c('order id'));
    expect(parseExpr('a.b.c')).toEqual({ kind: 'field', name: 'c', expr: { kind: 'field', name: 'b', expr: c('a') } });
    expect(parseExpr('YEAR(ts)')).toEqual(year('ts').node);
    expect(parseExpr('Lower(name)')).toEqual(lower(col('name')).node);
    expect(parseExpr("CASE WHEN a > 1 THEN 'x' ELSE 'y' END")).toEqual(when(col('a').gt(1)).then('x').otherwise('y').node);
    expect(parseExpr('CAST(a AS decimal(10, 2))')).toEqual({ kind: 'cast', expr: c('a'), to: 'decimal(10,2)' });
    expect(parseExpr('cast(a as bigint)')).toEqual({ kind: 'cast', expr: c('a'), to: 'int64' });
    expect(parseExpr('CAST(a AS long)')).toEqual({ kind: 'cast', expr: c('a'), to: 'int64' });
    expect(parseExpr('CAST(a AS integer)')).toEqual({ kind: 'cast', expr: c('a'), to: 'int32' });
    expect(parseExpr("a || '-' || b")).toEqual({ kind: 'call', fn: 'concat', args: [c('a'), l('-'), c('b')] });
  });
});

describe('parseExpr errors', () => {
  const errorOf = (source: string): ExprSyntaxError => {
    try {
      parseExpr(source);
    } catch (error) {
      return error as ExprSyntaxError;
    }
    throw new Error(`no error for ${source}`);
  };

  it('names what was expected and the column', () => {
    const e = errorOf('amount > (1 + 2');
    expect(e).toBeInstanceOf(ExprSyntaxError);
    expect(e.message).toBe("expected ')' at column 16 (found end of input) in: amount > (1 + 2");
    expect(e.column).toBe(16);
    expect(errorOf('a = = 1').message).toBe("expected an expression at column 5 (found '=') in: a = = 1");
    expect(errorOf("a LIKE b").message).toContain('expected a quoted LIKE pattern at column 8');
    expect(errorOf("'open").message).toContain('closing');
    expect(errorOf('CAST(a AS widget)').message).toContain('expected a type name');
    expect(errorOf('nosuch(a)').message).toContain("unknown function 'nosuch'");
    expect(errorOf('a b').message).toBe("expected an operator or the end of the expression at column 3 (found 'b') in: a b");
    expect(errorOf("DATE '2024-13-01'").message).toContain("expected a date as 'yyyy-MM-dd' at column 6");
  });
});

describe('round trips', () => {
  const samples = [
    "amount > 100 AND status <> 'cancelled'",
    "NOT (a OR b) AND c IS NULL",
    "x NOT BETWEEN -1.5 AND 2e3 OR y IN ('a', 'b''c', NULL)",
    "CASE WHEN a.b > 1 THEN upper(`odd name`) WHEN c THEN 'x' END",
    "coalesce(CAST(a AS decimal(10,2)), 0) * 2 % 3 - -x",
    "name LIKE 'A\\_%' ESCAPE '\\' AND name RLIKE '[a-z]+'",
    "date_trunc('month', ts) >= TIMESTAMP '2024-01-01 00:00:00' AND d < DATE '2024-02-01' AND n <> 5000000000",
  ];
  it.each(samples)('survives JSON and formatting: %s', (source) => {
    const node = parseExpr(source);
    expect(JSON.parse(JSON.stringify(node))).toEqual(node);
    expect(parseExpr(formatExpr(node))).toEqual(node);
    expect(JSON.parse(JSON.stringify(expr(source)))).toEqual(node);
  });

  it('builders produce plain JSON nodes', () => {
    const e = col('a').gt(5).and(col('b').isNotNull()).or(lit(true));
    expect(JSON.parse(JSON.stringify(e))).toEqual(e.node);
    expect(e.toString()).toBe('(((a > 5) AND (b IS NOT NULL)) OR TRUE)');
  });
});
