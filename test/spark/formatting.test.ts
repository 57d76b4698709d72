import { describe, expect, it } from 'vitest';
import { DataFrame } from '../../src/frame/DataFrame.js';

const one = () => DataFrame.fromRows([{ id: 1 }], { id: 'int32' });
const value = async (sql: string) => (await one().selectExpr(`${sql} AS v`).toRows())[0].v;

describe('format_number, format_string, soundex, uuid (Spark SQL reference examples and Java rules)', () => {
  it('format_number: grouping, half-even rounding, d = 0, negatives, NULL for d < 0', async () => {
    expect(await value('format_number(12332.123456, 4)')).toBe('12,332.1235');
    expect(await value('format_number(0.125, 2)')).toBe('0.12');
    expect(await value('format_number(0.375, 2)')).toBe('0.38');
    expect(await value('format_number(1234567.891, 0)')).toBe('1,234,568');
    expect(await value('format_number(-1234.5, 2)')).toBe('-1,234.50');
    expect(await value('format_number(-0.001, 2)')).toBe('0.00');
    expect(await value('format_number(5, -1)')).toBeNull();
    expect(await value('format_number(NULL, 2)')).toBeNull();
  });

  it("format_string as Java's String.format", async () => {
    expect(await value('format_string(\'Hello World %d %s\', 100, \'days\')')).toBe('Hello World 100 days');
    expect(await value("format_string('%05d|%-6s|%6.2f|%x|%,d|%+d|%s', 42, 'ab', 3.14159, 255, 1234567, 5, NULL)")).toBe('00042|ab    |  3.14|ff|1,234,567|+5|null');
    expect(await value("printf('%2$s-%1$s %%', 'a', 'b')")).toBe('b-a %');
    expect(await value("format_string('%.3e', 12345.678)")).toBe('1.235e+04');
    await expect(value("format_string('%d', 'x')")).rejects.toThrow("format_string: '%d' needs an integer, got \"x\"");
  });

  it('soundex', async () => {
    expect(await value("soundex('Miller')")).toBe('M460');
    expect(await value("soundex('Robert')")).toBe('R163');
    expect(await value("soundex('Rupert')")).toBe('R163');
    expect(await value("soundex('Ashcraft')")).toBe('A261');
    expect(await value("soundex('Tymczak')")).toBe('T522');
    expect(await value("soundex('1abc')")).toBe('1abc');
    expect(await value("soundex('')")).toBe('');
  });

  it('uuid: a version-4 UUID per row', async () => {
    const rows = await DataFrame.fromRows([{ a: 1 }, { a: 2 }, { a: 3 }]).selectExpr('uuid() AS u').toRows();
    for (const r of rows) expect(r.u).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(rows.map((r) => r.u)).size).toBe(3);
  });
});
