import { describe, expect, it } from 'vitest';
import { DataFrame } from '../../src/frame/DataFrame.js';

const one = () => DataFrame.fromRows([{ id: 1 }], { id: 'int32' });
const value = async (sql: string) => (await one().selectExpr(`${sql} AS v`).toRows())[0].v;
const utc = (text: string) => new Date(`${text}Z`);

describe('time zones, make_timestamp and date_part (Spark SQL reference examples)', () => {
  it('from_utc_timestamp and to_utc_timestamp', async () => {
    expect(await value("to_utc_timestamp('2016-08-31', 'Asia/Seoul')")).toEqual(utc('2016-08-30T15:00:00'));
    expect(await value("from_utc_timestamp('2016-08-31', 'Asia/Seoul')")).toEqual(utc('2016-08-31T09:00:00'));
    expect(await value("from_utc_timestamp('2024-07-01 12:00:00', '+05:30')")).toEqual(utc('2024-07-01T17:30:00'));
    expect(await value("from_utc_timestamp('2024-01-15 12:00:00', 'PST')")).toEqual(utc('2024-01-15T04:00:00'));
    // A wall-clock time in New York's spring-forward gap moves forward; one in the fall-back overlap takes the earlier instant (Java's rules).
    expect(await value("to_utc_timestamp('2024-03-10 02:30:00', 'America/New_York')")).toEqual(utc('2024-03-10T07:30:00'));
    expect(await value("to_utc_timestamp('2024-11-03 01:30:00', 'America/New_York')")).toEqual(utc('2024-11-03T05:30:00'));
    expect(await value("to_utc_timestamp(NULL, 'UTC')")).toBeNull();
    await expect(value("to_utc_timestamp('2024-01-01', 'Mars/Olympus')")).rejects.toThrow("to_utc_timestamp: unknown time zone 'Mars/Olympus'");
  });

  it('make_timestamp', async () => {
    expect(await value('make_timestamp(2014, 12, 28, 6, 30, 45.887)')).toEqual(utc('2014-12-28T06:30:45.887'));
    expect(await value('make_timestamp(2019, 6, 30, 23, 59, 60)')).toEqual(utc('2019-07-01T00:00:00'));
    expect(await value("make_timestamp(2014, 12, 28, 6, 30, 45.887, 'CET')")).toEqual(utc('2014-12-28T05:30:45.887'));
    expect(await value("make_timestamp(2019, 13, 1, 10, 11, 12, 'PST')")).toBeNull();
    expect(await value('make_timestamp(2019, 2, 29, 0, 0, 0)')).toBeNull();
    expect(await value('make_timestamp(2020, 2, 29, 0, 0, 0)')).toEqual(utc('2020-02-29T00:00:00'));
  });

  it('date_part', async () => {
    expect(await value("date_part('YEAR', to_timestamp('2019-08-12 01:00:00.123456'))")).toBe(2019);
    expect(await value("date_part('week', to_timestamp('2019-08-12 01:00:00.123456'))")).toBe(33);
    expect(await value("date_part('doy', to_date('2019-08-12'))")).toBe(224);
    expect(await value("date_part('SECONDS', to_timestamp('2019-10-01 00:00:01.000001'))")).toBe(1.000001);
    expect(await value("date_part('dow', to_date('2024-06-02'))")).toBe(1);
    expect(await value("date_part('quarter', to_date('2024-06-02'))")).toBe(2);
    await expect(value("date_part('fortnight', to_date('2024-06-02'))")).rejects.toThrow("date_part: unknown field 'fortnight'");
  });
});
