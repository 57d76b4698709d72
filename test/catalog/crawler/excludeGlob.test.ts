import { describe, expect, it } from 'vitest';
import { excludeMatcher, globToRegExp } from '../../../src/catalog/crawler/excludeGlob.js';

/** The lake of Glue's exclude-pattern example (GDG define-crawler.md), relative to s3://mybucket/myfolder/. */
const MYFOLDER = [
  'departments/finance.json', 'departments/market-us.json', 'departments/market-emea.json', 'departments/market-ap.json',
  'employees/hr.json', 'employees/john.csv', 'employees/jane.csv', 'employees/juan.txt',
];
const excludedBy = (patterns: string[], paths: readonly string[]) => paths.filter(excludeMatcher(patterns));

describe("exclude patterns: Glue's worked examples", () => {
  it('departments/** excludes everything below departments', () => {
    expect(excludedBy(['departments/**'], MYFOLDER)).toEqual(MYFOLDER.slice(0, 4));
  });
  it('departments/market* excludes the three market files', () => {
    expect(excludedBy(['departments/market*'], MYFOLDER)).toEqual(['departments/market-us.json', 'departments/market-emea.json', 'departments/market-ap.json']);
  });
  it('**.csv excludes every .csv below the include path', () => {
    expect(excludedBy(['**.csv'], MYFOLDER)).toEqual(['employees/john.csv', 'employees/jane.csv']);
  });
  it('employees/*.csv excludes the .csv files in employees', () => {
    expect(excludedBy(['employees/*.csv'], [...MYFOLDER, 'employees/old/x.csv'])).toEqual(['employees/john.csv', 'employees/jane.csv']);
  });
  it('the partition example keeps only 2015/01/01 to 2015/01/07', () => {
    const days: string[] = [];
    for (let m = 1; m <= 12; m++) for (let d = 1; d <= 31; d++) days.push(`2015/${String(m).padStart(2, '0')}/${String(d).padStart(2, '0')}/data.json`);
    const kept = days.filter((p) => !excludeMatcher(['2015/01/{[!0],0[8-9]}**', '2015/0[2-9]/**', '2015/1[0-2]/**'])(p));
    expect(kept).toEqual(['01', '02', '03', '04', '05', '06', '07'].map((d) => `2015/01/${d}/data.json`));
  });
  it('* stays within a level, so 2015/01/1* excludes no file below the day folders', () => {
    expect(excludedBy(['2015/01/1*'], ['2015/01/10/data.json', '2015/01/1x'])).toEqual(['2015/01/1x']);
  });
  it('the table of the guide: *.csv, *.*, *.{csv,avro}, foo.?, myfolder/*, myfolder/*/*, myfolder/**, myfolder**', () => {
    const paths = ['a.csv', 'a.avro', 'noext', 'foo.c', 'foo.cs', 'myfolder', 'myfolder/mysource', 'myfolder/mysource/data', 'myfolder/mydata.txt', 'x/a.csv'];
    expect(excludedBy(['*.csv'], paths)).toEqual(['a.csv']);
    expect(excludedBy(['*.*'], paths)).toEqual(['a.csv', 'a.avro', 'foo.c', 'foo.cs']);
    expect(excludedBy(['*.{csv,avro}'], paths)).toEqual(['a.csv', 'a.avro']);
    expect(excludedBy(['foo.?'], paths)).toEqual(['foo.c']);
    expect(excludedBy(['myfolder/*'], paths)).toEqual(['myfolder/mysource', 'myfolder/mydata.txt']);
    expect(excludedBy(['myfolder/*/*'], paths)).toEqual(['myfolder/mysource/data']);
    expect(excludedBy(['myfolder/**'], paths)).toEqual(['myfolder/mysource', 'myfolder/mysource/data', 'myfolder/mydata.txt']);
    expect(excludedBy(['myfolder**'], paths)).toEqual(['myfolder', 'myfolder/mysource', 'myfolder/mysource/data', 'myfolder/mydata.txt']);
  });
  it('brackets, escapes and leading dots as the guide states', () => {
    expect(globToRegExp('[abce-g]').test('f')).toBe(true);
    expect(globToRegExp('[abce-g]').test('d')).toBe(false);
    expect(globToRegExp('[!a-c]').test('b')).toBe(false);
    expect(globToRegExp('[!a-c]').test('/')).toBe(false);
    expect(globToRegExp('[-a]').test('-')).toBe(true);
    expect(globToRegExp('[*?]').test('*')).toBe(true);
    expect(globToRegExp('[*?]').test('x')).toBe(false);
    expect(globToRegExp('\\{a').test('{a')).toBe(true);
    expect(globToRegExp('\\\\').test('\\')).toBe(true);
    expect(globToRegExp('*').test('.hidden')).toBe(true);
  });
  it('a malformed pattern is an error naming it', () => {
    expect(() => globToRegExp('a{b,{c}}')).toThrow("exclude pattern 'a{b,{c}}': groups {…} cannot be nested");
    expect(() => globToRegExp('a[bc')).toThrow("exclude pattern 'a[bc': '[' at 2 is not closed");
  });
});
