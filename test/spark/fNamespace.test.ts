import { describe, expect, it } from 'vitest';
import { DataFrame } from '../../src/frame/DataFrame.js';
import { F, col, lit } from '../../src/index.js';

const df = () => DataFrame.fromRows([{ a: 'x', b: 'y', ts: new Date('2024-03-05T06:07:08Z'), j: '{"k":{"n":5}}', n: 'a1b22' }],
  { a: 'string', b: 'string', ts: 'timestamp', j: 'string', n: 'string' });

describe('F takes plain strings as values where PySpark does', () => {
  it('separators, formats, patterns, zones, JSON paths and schemas are literals; other strings are columns', async () => {
    const rows = await df().select(
      F.concat_ws('-', 'a', 'b').alias('joined'),
      F.date_format('ts', 'yyyy/MM/dd HH:mm').alias('formatted'),
      F.regexp_replace('n', '[0-9]+', '#').alias('replaced'),
      F.lpad('a', 3, '0').alias('padded'),
      F.get_json_object('j', '$.k.n').alias('path'),
      F.from_utc_timestamp('ts', 'Asia/Tokyo').alias('tokyo'),
      F.from_json('j', 'k STRUCT<n: INT>').alias('parsed'),
      F.array_contains(F.array('a', 'b'), 'y').alias('has'),
      F.format_string('%s=%s', 'a', 'b').alias('pair'),
      F.coalesce('a', lit('none')).alias('first'),
    ).toRows();
    expect(rows).toEqual([{
      joined: 'x-y', formatted: '2024/03/05 06:07', replaced: 'a#b#', padded: '00x', path: '5',
      tokyo: new Date('2024-03-05T15:07:08Z'), parsed: { k: { n: 5 } }, has: true, pair: 'x=y', first: 'x',
    }]);
    expect(String(F.concat_ws('-', col('a'), 'b'))).toBe("concat_ws('-', a, b)");
  });
});
