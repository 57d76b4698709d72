/**
 * Differential cases for the SQL function library (src/expr/library), in the form of
 * expressions.test.ts: [sluice (Spark SQL) text, DuckDB text with the same meaning, result kind].
 * Where Spark and DuckDB differ, the DuckDB text spells out Spark's documented answer:
 * - ln/log10/log2/log(b, x) of x <= 0: Spark NULL; DuckDB -inf or an error.
 * - sqrt of a negative number: Spark NaN; DuckDB an error (compared through isnan).
 * - isnan(NULL): Spark false; DuckDB NULL.
 * - floor/ceil: Spark returns bigint; DuckDB keeps double.
 * - signum/sign: Spark returns double; DuckDB an integer.
 * - pmod: not in DuckDB; Spark's ((a % n) + n) % n for a negative remainder, NULL for n = 0.
 * - bround: DuckDB's round_even.
 * - regexp_replace: Spark replaces every match and writes groups as $1; DuckDB needs 'g' and \1.
 * - locate(sub, s, pos): DuckDB has no start position (instr on a substring).
 * - left/right/lpad/rpad/repeat with n <= 0: Spark ''; DuckDB's left/right count from the other end.
 * - split_part with an empty delimiter: Spark returns the whole string, DuckDB splits characters.
 * - ascii: Spark and DuckDB both give the first code point; '' → 0.
 * - initcap: not in DuckDB; Spark lower-cases, then upper-cases each space-separated word's first letter.
 * - levenshtein: Spark counts characters, DuckDB bytes (compared on ASCII strings only).
 * - dayofweek: Spark 1 = Sunday; DuckDB 0 = Sunday.
 * - nvl2, nullif, if: DuckDB CASE; next_day: DuckDB date arithmetic on isodow.
 * - add_months: Spark clamps to the month's end (DuckDB's + INTERVAL does the same), result a date.
 * - make_date of a day that does not exist: Spark NULL (non-ANSI); DuckDB an error.
 * - months_between: not in DuckDB; Spark's rule (whole months when days of month match or both
 *   are month ends, else the difference over 31-day months, rounded to 8 digits).
 * - date_format/from_unixtime patterns: Spark letters (yyyy MM dd HH mm ss SSS EEE MMM a D) ≙ strftime.
 * - unix_timestamp(ts): DuckDB's epoch() keeps the fraction; Spark floors to seconds.
 * - get_json_object: DuckDB's json_extract_string (both return strings unquoted and arrays as JSON).
 * - Backslashes: sluice's parser keeps them (no escapes in literals), so patterns use classes ([0-9], [ ]).
 * - get_json_object keeps a number's text (-5.0 stays -5.0), as Spark's Jackson copy does.
 * - Arithmetic on strings: Spark casts text to double (bad text NULL): DuckDB's TRY_CAST.
 * All dates are UTC (sluice's session time zone): DST changes do not move a timestamp.
 */
export type Kind = 'number' | 'bigint' | 'bool' | 'string' | 'date' | 'timestamp';

const same = (sql: string, kind: Kind): [string, string, Kind] => [sql, sql, kind];
const nonPositiveNull = (fn: string, arg: string) => `case when ${arg} > 0 then ${fn}(${arg}) end`;

const NUMERIC = ['i', 'j', 'x', 'big'];

export const FUNCTION_CASES: [string, string, Kind][] = [
  // math
  ...NUMERIC.map((c) => same(`abs(${c})`, c === 'big' ? 'bigint' : 'number')),
  same('abs(-i - j)', 'number'),
  same('round(x)', 'number'),
  same('round(x, 1)', 'number'),
  same('round(x, 2)', 'number'),
  same('round(-x, 1)', 'number'),
  same('round(x / 3, 4)', 'number'),
  same('round(i * 25, -1)', 'number'),
  same('round(i * 25 + 5, -1)', 'number'),
  same('round(x * 100, -2)', 'number'),
  ['bround(x)', 'round_even(x, 0)', 'number'],
  ['bround(x, 1)', 'round_even(x, 1)', 'number'],
  ['bround(-x, 2)', 'round_even(-x, 2)', 'number'],
  ['floor(x)', 'cast(floor(x) as bigint)', 'bigint'],
  ['floor(x / 7)', 'cast(floor(x / 7) as bigint)', 'bigint'],
  ['floor(i)', 'cast(i as bigint)', 'bigint'],
  ['ceil(x)', 'cast(ceil(x) as bigint)', 'bigint'],
  ['ceiling(x / 7)', 'cast(ceil(x / 7) as bigint)', 'bigint'],
  ['ceil(-x)', 'cast(ceil(-x) as bigint)', 'bigint'],
  same('sqrt(abs(x))', 'number'),
  same('sqrt(abs(i))', 'number'),
  ['isnan(sqrt(x))', 'coalesce(x < 0, false)', 'bool'],
  same('cbrt(x)', 'number'),
  same('cbrt(i)', 'number'),
  same('exp(x / 100)', 'number'),
  same('exp(i)', 'number'),
  ['ln(x)', nonPositiveNull('ln', 'x'), 'number'],
  ['ln(i)', nonPositiveNull('ln', 'i'), 'number'],
  ['log10(x)', nonPositiveNull('log10', 'x'), 'number'],
  ['log10(abs(big))', nonPositiveNull('log10', 'abs(big)'), 'number'],
  ['log2(x)', nonPositiveNull('log2', 'x'), 'number'],
  ['log2(i)', nonPositiveNull('log2', 'i'), 'number'],
  ['log(x)', nonPositiveNull('ln', 'x'), 'number'],
  ['log(2, x)', 'case when x > 0 then ln(x) / ln(2) end', 'number'],
  ['log(10, abs(i) + 1)', 'log10(abs(i) + 1)', 'number'],
  same('pow(x, 2)', 'number'),
  same('pow(2, i)', 'number'),
  ['power(i, 3)', 'pow(i, 3)', 'number'],
  same('pow(abs(x), 0.5)', 'number'),
  same('greatest(i, j)', 'number'),
  same('greatest(i, j, 0)', 'number'),
  same('greatest(x, i)', 'number'),
  same('least(i, j)', 'number'),
  same('least(x, i, -1)', 'number'),
  ['greatest(big, i)', 'cast(greatest(big, i) as varchar)', 'bigint'],
  same("greatest(s, 'b')", 'string'),
  same("least(s, 'b')", 'string'),
  same('greatest(d, DATE \'2000-01-01\')', 'date'),
  ['least(d, to_date(\'2000-01-01\'))', "least(d, date '2000-01-01')", 'date'],
  ['mod(i, j)', 'i % j', 'number'],
  ['mod(i, 3)', 'i % 3', 'number'],
  ['mod(x, 2)', 'x % 2', 'number'],
  ['mod(-i, 4)', '-i % 4', 'number'],
  ['pmod(i, j)', 'case when j = 0 then null when i % j < 0 then (i % j + j) % j else i % j end', 'number'],
  ['pmod(i, 3)', 'case when i % 3 < 0 then i % 3 + 3 else i % 3 end', 'number'],
  ['pmod(x, 3)', 'case when x % 3 < 0 then x % 3 + 3 else x % 3 end', 'number'],
  ['pmod(-i, -3)', 'case when -i % -3 < 0 then (-i % -3 - 3) % -3 else -i % -3 end', 'number'],
  ['signum(x)', 'cast(sign(x) as double)', 'number'],
  ['sign(i)', 'cast(sign(i) as double)', 'number'],
  ['isnan(sqrt(x - 10))', 'coalesce(x < 10, false)', 'bool'],
  ['nanvl(sqrt(x), -1.0)', 'case when x < 0 then -1.0 else sqrt(x) end', 'number'],
  ['nanvl(x, 0.0)', 'x', 'number'],
  // implicit casts in arithmetic: text is a double, / on integers is a double
  ["s + 1", 'try_cast(s as double) + 1', 'number'],
  ["s * i", 'try_cast(s as double) * i', 'number'],
  ["'10' - i", '10.0 - i', 'number'],
  ['i / 4', 'i / 4', 'number'],
  ['abs(s)', 'abs(try_cast(s as double))', 'number'],
  ['round(s)', 'round(try_cast(s as double))', 'number'],
  // strings
  ["concat_ws('-', s, CAST(i AS string))", "concat_ws('-', s, CAST(i AS varchar))", 'string'],
  ["concat_ws('', s, s)", "concat_ws('', s, s)", 'string'],
  ["concat_ws(', ', s, CAST(j AS string), CAST(d AS string))", "concat_ws(', ', s, CAST(j AS varchar), strftime(d, '%Y-%m-%d'))", 'string'],
  ["concat_ws(s, 'a', 'b')", "concat_ws(s, 'a', 'b')", 'string'],
  same("lpad(s, 5, 'xy')", 'string'),
  same("lpad(s, 2, '.')", 'string'),
  ['lpad(s, 6)', "lpad(s, 6, ' ')", 'string'],
  ["lpad(s, i, '*')", "case when i <= 0 and s is not null then '' else lpad(s, i, '*') end", 'string'],
  ["lpad(CAST(i AS string), 3, '0')", "lpad(CAST(i AS varchar), 3, '0')", 'string'],
  same("rpad(s, 5, 'xy')", 'string'),
  same("rpad(s, 2, '.')", 'string'),
  ['rpad(s, 6)', "rpad(s, 6, ' ')", 'string'],
  ["rpad(s, j, '😀')", "case when j <= 0 and s is not null then '' else rpad(s, j, '😀') end", 'string'],
  same('ltrim(s)', 'string'),
  same('rtrim(s)', 'string'),
  same("replace(s, 'a', 'ä')", 'string'),
  same("replace(s, ' ', '')", 'string'),
  same("replace(s, '😀', '[smile]')", 'string'),
  ["replace(s, 'c')", "replace(s, 'c', '')", 'string'],
  ["replace(s, '', 'x')", 's', 'string'],
  ["regexp_replace(s, '[aeiou]', '*')", "regexp_replace(s, '[aeiou]', '*', 'g')", 'string'],
  ["regexp_replace(s, '([a-z])([a-z])', '$2$1')", "regexp_replace(s, '([a-z])([a-z])', '\\2\\1', 'g')", 'string'],
  ["regexp_replace(s, '[ ]+', '_')", "regexp_replace(s, '[ ]+', '_', 'g')", 'string'],
  ["regexp_replace(s, '^', '>')", "regexp_replace(s, '^', '>')", 'string'],
  ["regexp_replace(s, '(.)', '$1')", 's', 'string'],
  ["regexp_replace(s, '.', '.')", "regexp_replace(s, '.', '.', 'g')", 'string'],
  ["regexp_like(s, '^[a-z]+$')", "regexp_matches(s, '^[a-z]+$')", 'bool'],
  ["rlike(s, 'a')", "regexp_matches(s, 'a')", 'bool'],
  ["regexp(s, '[0-9]')", "regexp_matches(s, '[0-9]')", 'bool'],
  ["REGEXP_LIKE(s, '😀')", "regexp_matches(s, '😀')", 'bool'],
  same("instr(s, 'a')", 'number'),
  same("instr(s, 'é')", 'number'),
  same("instr(s, 'y')", 'number'),
  same("instr(s, '')", 'number'),
  ["locate('a', s)", "instr(s, 'a')", 'number'],
  ["locate('y', s)", "instr(s, 'y')", 'number'],
  ["locate('a', s, 2)", "case when instr(substring(s, 2), 'a') = 0 then 0 else instr(substring(s, 2), 'a') + 1 end", 'number'],
  ["position('b', s)", "instr(s, 'b')", 'number'],
  ['initcap(s)', "array_to_string(list_transform(string_split(lower(s), ' '), w -> upper(w[1]) || w[2:]), ' ')", 'string'],
  ["initcap(concat(s, ' hello WORLD'))", "array_to_string(list_transform(string_split(lower(s || ' hello WORLD'), ' '), w -> upper(w[1]) || w[2:]), ' ')", 'string'],
  same('reverse(s)', 'string'),
  same('reverse(CAST(big AS string))', 'string'),
  same('repeat(s, 2)', 'string'),
  ['repeat(s, i)', "case when i is not null then repeat(s, greatest(i, 0)) end", 'string'],
  same("translate(s, 'abc', 'xy')", 'string'),
  same("translate(s, 'ü😀', 'u!')", 'string'),
  same("translate(CAST(i AS string), '-', '')", 'string'),
  same('left(s, 2)', 'string'),
  ['left(s, i)', "case when i <= 0 and s is not null then '' else left(s, i) end", 'string'],
  same('right(s, 2)', 'string'),
  ['right(s, j)', "case when j <= 0 and s is not null then '' else right(s, j) end", 'string'],
  same("split_part(s, ' ', 1)", 'string'),
  same("split_part(s, ' ', 2)", 'string'),
  same("split_part(s, ',', -1)", 'string'),
  same("split_part(s, 'a', 2)", 'string'),
  same("split_part(s, ' ', 5)", 'string'),
  ["split_part(s, '', 1)", 's', 'string'],
  ['ascii(s)', "case when s = '' then 0 else ascii(s) end", 'number'],
  ['ascii(CAST(i AS string))', 'ascii(CAST(i AS varchar))', 'number'],
  ['char_length(s)', 'length(s)', 'number'],
  ['character_length(s)', 'length(s)', 'number'],
  ['octet_length(s)', 'strlen(s)', 'number'],
  ['bit_length(s)', '8 * strlen(s)', 'number'],
  ["CASE WHEN octet_length(s) = length(s) THEN levenshtein(s, 'abc') END", "CASE WHEN strlen(s) = length(s) THEN levenshtein(s, 'abc') END", 'number'],
  ['levenshtein(CAST(i AS string), CAST(big AS string))', 'levenshtein(CAST(i AS varchar), CAST(big AS varchar))', 'number'],
  same('md5(s)', 'string'),
  same('md5(CAST(i AS string))', 'string'),
  same('sha1(s)', 'string'),
  ['sha(CAST(big AS string))', 'sha1(CAST(big AS varchar))', 'string'],
  ['sha2(s, 256)', 'sha256(s)', 'string'],
  ['sha2(s, 0)', 'sha256(s)', 'string'],
  ['base64(s)', 'to_base64(encode(s))', 'string'],
  ['base64(CAST(x AS string))', 'to_base64(encode(CAST(x AS varchar)))', 'string'],
  ['lcase(s)', 'lower(s)', 'string'],
  ['ucase(s)', 'upper(s)', 'string'],
  // conditionals
  ["if(i > 0, s, 'neg')", "if(i > 0, s, 'neg')", 'string'],
  ['if(b, i, j)', 'if(b, i, j)', 'number'],
  ['if(i IS NULL, x, i)', 'if(i IS NULL, x, i)', 'number'],
  same('nullif(i, j)', 'number'),
  same("nullif(s, '')", 'string'),
  same('nullif(i, 0)', 'number'),
  ['nvl(i, j)', 'coalesce(i, j)', 'number'],
  ["nvl(s, 'none')", "coalesce(s, 'none')", 'string'],
  ['nvl(d, to_date(\'1999-12-31\'))', "coalesce(d, date '1999-12-31')", 'date'],
  ['ifnull(x, i)', 'coalesce(x, i)', 'number'],
  ["nvl2(i, s, 'none')", "case when i is not null then s else 'none' end", 'string'],
  ['nvl2(s, i, j)', 'case when s is not null then i else j end', 'number'],
  ['nvl(big, i)', 'cast(coalesce(big, i) as varchar)', 'bigint'],
  ['coalesce(s, CAST(i AS string), \'-\')', "coalesce(s, CAST(i AS varchar), '-')", 'string'],
  // dates (UTC)
  ["date_format(ts, 'yyyy-MM-dd HH:mm:ss')", "strftime(ts, '%Y-%m-%d %H:%M:%S')", 'string'],
  ["date_format(ts, 'yyyy-MM-dd HH:mm:ss.SSS')", "strftime(ts, '%Y-%m-%d %H:%M:%S.%g')", 'string'],
  ["date_format(ts, 'EEE, MMM d yyyy')", "strftime(ts, '%a, %b %-d %Y')", 'string'],
  ["date_format(ts, 'hh:mm a')", "strftime(ts, '%I:%M %p')", 'string'],
  ["date_format(d, 'EEEE dd MMMM yy')", "strftime(d, '%A %d %B %y')", 'string'],
  ["date_format(d, 'D')", "strftime(d, '%-j')", 'string'],
  ["date_format(d, 'yyyyMMdd')", "strftime(d, '%Y%m%d')", 'string'],
  ["date_format(ts, \"'T'HH'h'\")", "strftime(ts, 'T%Hh')", 'string'],
  ["date_format(CAST(ts AS string), 'yyyy/MM/dd')", "strftime(ts, '%Y/%m/%d')", 'string'],
  ['unix_timestamp(ts)', 'cast(floor(epoch(ts)) as bigint)', 'bigint'],
  ['unix_timestamp(d)', 'cast(epoch(d) as bigint)', 'bigint'],
  ["unix_timestamp(date_format(ts, 'yyyy/MM/dd HH:mm:ss'), 'yyyy/MM/dd HH:mm:ss')", 'cast(floor(epoch(ts)) as bigint)', 'bigint'],
  ["unix_timestamp(date_format(ts, 'yyyy-MM-dd HH:mm:ss'))", 'cast(floor(epoch(ts)) as bigint)', 'bigint'],
  ["to_unix_timestamp(CAST(d AS string), 'yyyy-MM-dd')", 'cast(epoch(d) as bigint)', 'bigint'],
  ["unix_timestamp(concat(CAST(d AS string), s), 'yyyy-MM-dd')", "cast(epoch(try_strptime(strftime(d, '%Y-%m-%d') || s, '%Y-%m-%d')) as bigint)", 'bigint'],
  ['from_unixtime(i * 100000000)', "strftime(timestamp '1970-01-01' + to_seconds(i * 100000000), '%Y-%m-%d %H:%M:%S')", 'string'],
  ["from_unixtime(unix_timestamp(ts), 'yyyy-MM-dd HH:mm')", "strftime(ts, '%Y-%m-%d %H:%M')", 'string'],
  // across the US/EU DST changes of 2024 (UTC: no hour is skipped or repeated)
  ["from_unixtime(unix_timestamp('2024-03-10 01:30:00') + i * 1800)", "strftime(timestamp '2024-03-10 01:30:00' + to_seconds(i * 1800), '%Y-%m-%d %H:%M:%S')", 'string'],
  ["from_unixtime(unix_timestamp('2024-10-27 00:30:00') + j * 3600)", "strftime(timestamp '2024-10-27 00:30:00' + to_seconds(j * 3600), '%Y-%m-%d %H:%M:%S')", 'string'],
  ["hour(to_timestamp(from_unixtime(unix_timestamp('2024-03-31 00:30:00') + i * 1800)))", "hour(timestamp '2024-03-31 00:30:00' + to_seconds(i * 1800))", 'number'],
  ["minute(to_timestamp(from_unixtime(unix_timestamp('2024-11-03 01:00:00') + j * 1500)))", "minute(timestamp '2024-11-03 01:00:00' + to_seconds(j * 1500))", 'number'],
  // around leap days
  ["date_add(to_date('2024-02-27'), i)", "date '2024-02-27' + i", 'date'],
  ["date_add(to_date('2023-02-27'), i)", "date '2023-02-27' + i", 'date'],
  ["date_sub(to_date('2000-03-01'), j)", "date '2000-03-01' - j", 'date'],
  ["dayofyear(date_add(to_date('2024-02-27'), i))", "dayofyear(date '2024-02-27' + i)", 'number'],
  ["add_months(to_date('2024-02-29'), i * 12)", "cast(date '2024-02-29' + to_months(i * 12) as date)", 'date'],
  ["add_months(to_date('2024-01-31'), i)", "cast(date '2024-01-31' + to_months(i) as date)", 'date'],
  ["last_day(date_add(to_date('2024-02-27'), i))", "last_day(date '2024-02-27' + i)", 'date'],
  ["last_day(add_months(to_date('1900-01-15'), j))", "last_day(cast(date '1900-01-15' + to_months(j) as date))", 'date'],
  ['add_months(d, i)', 'cast(d + to_months(i) as date)', 'date'],
  ['add_months(d, -13)', 'cast(d - to_months(13) as date)', 'date'],
  ['last_day(d)', 'last_day(d)', 'date'],
  ["next_day(d, 'MO')", 'd + CAST((1 - isodow(d) + 6) % 7 + 1 AS integer)', 'date'],
  ["next_day(d, 'Sunday')", 'd + CAST((7 - isodow(d) + 6) % 7 + 1 AS integer)', 'date'],
  ["next_day(d, 'fri')", 'd + CAST((5 - isodow(d) + 6) % 7 + 1 AS integer)', 'date'],
  ['dayofweek(d)', 'dayofweek(d) + 1', 'number'],
  ['dayofweek(ts)', 'dayofweek(ts) + 1', 'number'],
  ['weekday(d)', 'isodow(d) - 1', 'number'],
  ['dayofmonth(d)', 'day(d)', 'number'],
  same('dayofyear(d)', 'number'),
  same('dayofyear(ts)', 'number'),
  same('weekofyear(d)', 'number'),
  ["weekofyear(date_add(to_date('2020-12-28'), i * 2))", "weekofyear(date '2020-12-28' + i * 2)", 'number'],
  ["weekofyear(date_add(to_date('2021-01-01'), j))", "weekofyear(date '2021-01-01' + j)", 'number'],
  same('quarter(d)', 'number'),
  same('quarter(ts)', 'number'),
  same('minute(ts)', 'number'),
  same('second(ts)', 'number'),
  same('month(ts)', 'number'),
  ['day(ts)', 'day(ts)', 'number'],
  ['HOUR(ts)', 'hour(ts)', 'number'],
  ["trunc(d, 'MM')", "cast(date_trunc('month', d) as date)", 'date'],
  ["trunc(d, 'year')", "cast(date_trunc('year', d) as date)", 'date'],
  ["trunc(ts, 'quarter')", "cast(date_trunc('quarter', ts) as date)", 'date'],
  ["trunc(d, 'week')", "cast(date_trunc('week', d) as date)", 'date'],
  ["date_trunc('week', ts)", "date_trunc('week', ts)", 'timestamp'],
  ["date_trunc('hour', ts)", "date_trunc('hour', ts)", 'timestamp'],
  ["date_trunc('quarter', d)", "CAST(date_trunc('quarter', d) AS timestamp)", 'timestamp'],
  ['make_date(year(d), month(d), 1)', 'make_date(year(d), month(d), 1)', 'date'],
  ['make_date(2024, 2, 28 + i)', 'case when 28 + i between 1 and 29 then make_date(2024, 2, 28 + i) end', 'date'],
  ['make_date(2023, 2, 28 + i)', 'case when 28 + i between 1 and 28 then make_date(2023, 2, 28 + i) end', 'date'],
  ['make_date(2000 + i, i + 6, j + 2)', 'case when i + 6 between 1 and 12 and j + 2 >= 1 then make_date(2000 + i, i + 6, j + 2) end', 'date'],
  ['months_between(ts, d)', monthsBetween('ts', 'CAST(d AS timestamp)'), 'number'],
  ["months_between(d, to_date('2000-02-29'))", monthsBetween("CAST(d AS timestamp)", "timestamp '2000-02-29'"), 'number'],
  ["months_between(to_date('2024-03-31'), add_months(to_date('2024-03-31'), i))", monthsBetween("timestamp '2024-03-31'", "CAST(CAST(date '2024-03-31' + to_months(i) AS date) AS timestamp)"), 'number'],
  ["d < current_date()", 'd < current_date', 'bool'],
  ['ts < current_timestamp', 'ts < now()', 'bool'],
  ['datediff(d, to_date(ts))', "datediff('day', CAST(ts AS date), d)", 'number'],
  ["to_date(date_format(d, 'dd/MM/yyyy'), 'dd/MM/yyyy')", 'd', 'date'],
  ["to_timestamp(date_format(ts, 'yyyy-MM-dd HH:mm:ss'))", "date_trunc('second', ts)", 'timestamp'],
  // JSON
  ...jsonCases(),
  // arrays, structs, time zones, formatting (the sparkapi additions)
  ...sparkApiCases(),
  // SQL's keyword forms (EXTRACT, TRIM … FROM, POSITION … IN, SUBSTRING … FROM … FOR) and rand/randn
  ...syntaxCases(),
];

/**
 * Spark-vs-DuckDB differences in these cases, with Spark's documented answer spelled out in the DuckDB text:
 * - size(NULL): Spark -1 (spark.sql.legacy.sizeOfNull, the non-ANSI default); DuckDB len(NULL) is NULL.
 * - array_contains: Spark NULL when the value is missing but the array holds a NULL; DuckDB false.
 * - array_distinct: Spark keeps one NULL; DuckDB's list_distinct drops NULLs.
 * - sort_array: Spark puts NULLs first ascending; DuckDB needs 'NULLS FIRST'.
 * - to_json: Spark leaves null struct fields out; DuckDB writes "i":null.
 * - format_string: Java's Formatter prints 'null' (space-padded to the width) for a NULL argument; DuckDB's printf returns NULL.
 * - date_part('SECOND', ts): Spark returns seconds with the fraction; DuckDB an integer (microseconds / 1e6 here).
 * - hash, xxhash64, soundex, format_number: no DuckDB equivalent (tested against Spark's documented values in test/spark).
 */
function sparkApiCases(): [string, string, Kind][] {
  return [
    ["size(split(s, ','))", "coalesce(len(string_split(s, ',')), -1)", 'number'],
    ["element_at(split(s, ' '), 1)", "string_split(s, ' ')[1]", 'string'],
    ["element_at(split(s, ' '), -1)", "string_split(s, ' ')[-1]", 'string'],
    ['array_contains(array(i, j), 2)', 'case when i = 2 or j = 2 then true when i is null or j is null then null else false end', 'bool'],
    ["array_join(array(s, lower(s)), '-')", "array_to_string(list_filter([s, lower(s)], x -> x is not null), '-')", 'string'],
    ["array_join(array(i, j), ',', 'none')", "coalesce(CAST(i AS varchar), 'none') || ',' || coalesce(CAST(j AS varchar), 'none')", 'string'],
    ['size(array_distinct(array(i, j, i)))', 'len(list_distinct([i, j, i])) + case when i is null or j is null then 1 else 0 end', 'number'],
    ['element_at(sort_array(array(i, j, 0)), 1)', "list_sort([i, j, 0], 'ASC', 'NULLS FIRST')[1]", 'number'],
    ['element_at(sort_array(array(i, j, 0), false), 1)', "list_sort([i, j, 0], 'DESC', 'NULLS LAST')[1]", 'number'],
    ["array_join(slice(array(i, j, 3), 2, 2), ',')", "array_to_string(list_filter([i, j, 3][2:3], x -> x is not null), ',')", 'string'],
    ["array_join(flatten(array(array(i, j), array(i))), ',')", "array_to_string(list_filter(flatten([[i, j], [i]]), x -> x is not null), ',')", 'string'],
    ['to_json(struct(i, s))', "'{' || concat_ws(',', '\"i\":' || CAST(i AS varchar), '\"s\":' || to_json(s)) || '}'", 'string'],
    ["format_string('%05d|%s', i, s)", "coalesce(printf('%05d', i), ' null') || '|' || coalesce(s, 'null')", 'string'],
    ["from_utc_timestamp(ts, 'America/New_York')", "(ts AT TIME ZONE 'UTC') AT TIME ZONE 'America/New_York'", 'timestamp'],
    ["from_utc_timestamp(ts, 'Asia/Kolkata')", "(ts AT TIME ZONE 'UTC') AT TIME ZONE 'Asia/Kolkata'", 'timestamp'],
    ["to_utc_timestamp(ts, 'Asia/Tokyo')", "(ts AT TIME ZONE 'Asia/Tokyo') AT TIME ZONE 'UTC'", 'timestamp'],
    ["to_utc_timestamp(ts, '+05:30')", "ts - INTERVAL '5 hours 30 minutes'", 'timestamp'],
    ['make_timestamp(year(d), month(d), day(d), hour(ts), minute(ts), second(ts))', 'make_timestamp(year(d), month(d), day(d), hour(ts), minute(ts), second(ts))', 'timestamp'],
    ["date_part('doy', d)", 'dayofyear(d)', 'number'],
    ["date_part('week', ts)", 'weekofyear(ts)', 'number'],
    ["date_part('quarter', d)", 'quarter(d)', 'number'],
    ["date_part('SECOND', ts)", "date_part('microseconds', ts) / 1000000", 'number'],
  ];
}

function monthsBetween(t1: string, t2: string): string {
  const months = `((year(${t1}) * 12 + month(${t1})) - (year(${t2}) * 12 + month(${t2})))`;
  const secs = (t: string) => `(epoch(${t}) - epoch(date_trunc('day', ${t})))`;
  return `case when day(${t1}) = day(${t2}) or (CAST(${t1} AS date) = last_day(${t1}) and CAST(${t2} AS date) = last_day(${t2})) then ${months}::double `
    + `else round(${months} + ((day(${t1}) - day(${t2})) * 86400 + floor(${secs(t1)}) - floor(${secs(t2)})) / 2678400.0, 8) end`;
}

function jsonCases(): [string, string, Kind][] {
  // A document per row built from the columns (null when i is null, as concat is).
  const doc = "concat('{\"a\":', CAST(i AS string), ',\"b\":[', CAST(j AS string), ',{\"c\":\"', CAST(d AS string), '\"}],\"n\":null,\"o\":{\"p\":', CAST(x AS string), '}}')";
  const duckDoc = "('{\"a\":' || CAST(i AS varchar) || ',\"b\":[' || CAST(j AS varchar) || ',{\"c\":\"' || strftime(d, '%Y-%m-%d') || '\"}],\"n\":null,\"o\":{\"p\":' || CAST(x AS varchar) || '}}')";
  return [
    [`get_json_object(${doc}, '$.a')`, `json_extract_string(${duckDoc}, '$.a')`, 'string'],
    [`get_json_object(${doc}, '$.b[0]')`, `json_extract_string(${duckDoc}, '$.b[0]')`, 'string'],
    [`get_json_object(${doc}, '$.b[1].c')`, `json_extract_string(${duckDoc}, '$.b[1].c')`, 'string'],
    [`get_json_object(${doc}, '$.b[1]')`, `json_extract_string(${duckDoc}, '$.b[1]')`, 'string'],
    [`length(get_json_object(${doc}, '$.o'))`, `length(json_extract_string(${duckDoc}, '$.o'))`, 'number'],
    [`CAST(get_json_object(${doc}, '$.o.p') AS double)`, `CAST(json_extract_string(${duckDoc}, '$.o.p') AS double)`, 'number'],
    [`get_json_object(${doc}, "$['a']")`, `json_extract_string(${duckDoc}, '$.a')`, 'string'],
  ];
}

/**
 * SQL's calls with keywords, and the functions they map to. Spark-vs-DuckDB differences:
 * - trim(chars, s), ltrim(chars, s), rtrim(chars, s): Spark's function form takes the characters
 *   first; DuckDB's trim(s, chars) the string first (btrim(s, chars) is Spark's string-first form).
 * - EXTRACT(DAYOFWEEK …): Spark 1 = Sunday; DuckDB 0 = Sunday. EXTRACT(SECOND …): Spark keeps the
 *   fraction (date_part's rule above).
 * - substring(s, 0, n): Spark reads position 0 as 1; DuckDB's substring starts before the string.
 * - rand/randn: no common values; a case checks they are numbers on every row (never null).
 */
function syntaxCases(): [string, string, Kind][] {
  return [
    ['EXTRACT(YEAR FROM d)', 'year(d)', 'number'],
    ['extract(month from ts)', 'month(ts)', 'number'],
    ['EXTRACT(DAY FROM d)', 'day(d)', 'number'],
    ['EXTRACT(DOY FROM d)', 'dayofyear(d)', 'number'],
    ['EXTRACT(DAYOFWEEK FROM ts)', 'dayofweek(ts) + 1', 'number'],
    ['EXTRACT(QUARTER FROM d)', 'quarter(d)', 'number'],
    ['EXTRACT(DAYOFWEEK_ISO FROM d)', 'isodow(d)', 'number'],
    ['EXTRACT(YEAROFWEEK FROM ts)', 'isoyear(ts)', 'number'],
    ["date_part('dow_iso', ts)", 'isodow(ts)', 'number'],
    ['EXTRACT(WEEK FROM d)', 'weekofyear(d)', 'number'],
    ['EXTRACT(HOUR FROM ts)', 'hour(ts)', 'number'],
    ['EXTRACT(MINUTE FROM ts)', 'minute(ts)', 'number'],
    ['EXTRACT(SECOND FROM ts)', "date_part('microseconds', ts) / 1000000", 'number'],
    ["trim(BOTH 'a' FROM s)", "trim(s, 'a')", 'string'],
    ["TRIM(LEADING 'ab' FROM s)", "ltrim(s, 'ab')", 'string'],
    ["trim(TRAILING 'c😀' FROM s)", "rtrim(s, 'c😀')", 'string'],
    ['trim(BOTH FROM s)', 'trim(s)', 'string'],
    ['trim(LEADING FROM s)', 'ltrim(s)', 'string'],
    ["trim('ab' FROM s)", "trim(s, 'ab')", 'string'],
    ["trim('a', s)", "trim(s, 'a')", 'string'],
    ["ltrim('a b', s)", "ltrim(s, 'a b')", 'string'],
    ["rtrim(' c', s)", "rtrim(s, ' c')", 'string'],
    ["btrim(s, 'ab ')", "trim(s, 'ab ')", 'string'],
    ["position('a' IN s)", "instr(s, 'a')", 'number'],
    ["POSITION('😀' IN s)", "instr(s, '😀')", 'number'],
    ['substring(s FROM 2 FOR 3)', 'substring(s, 2, 3)', 'string'],
    ['SUBSTRING(s FROM 3)', 'substring(s, 3)', 'string'],
    ['substr(s FROM i FOR 2)', 'substring(s, case when i = 0 then 1 else i end, 2)', 'string'],
    ['CASE WHEN rand(1) >= 0 AND rand(1) < 1 AND randn(2) IS NOT NULL THEN i END', 'i', 'number'],
    // INTERVAL literals (dates plus whole days stay dates; DuckDB's date + interval is a timestamp)
    ['d + INTERVAL 1 MONTH', 'CAST(d + INTERVAL 1 MONTH AS DATE)', 'date'],
    ["d - INTERVAL '10' DAYS", 'd - 10', 'date'],
    ['INTERVAL 1 YEAR 1 WEEK + d', "CAST(d + INTERVAL '1 year 7 days' AS DATE)", 'date'],
    ['d + INTERVAL 36 HOURS', "CAST(d AS TIMESTAMP) + INTERVAL '36 hours'", 'timestamp'],
    ['ts + INTERVAL 2 HOURS 30 MINUTES', "ts + INTERVAL '2 hours 30 minutes'", 'timestamp'],
    ["ts - INTERVAL '1 year 2 months'", "ts - INTERVAL '14 months'", 'timestamp'],
    // integral division (a div b, div(a, b)) and regexp_extract_all
    ['i div j', 'case when j = 0 then null else CAST(i AS BIGINT) // j end', 'bigint'],
    ['div(big, 7)', 'big // 7', 'bigint'],
    ['big div (i - 100)', 'case when i = 100 then null else big // (i - 100) end', 'bigint'],
    ["array_join(regexp_extract_all(s, '[a-z]+', 0), '|')", "array_to_string(regexp_extract_all(s, '[a-z]+', 0), '|')", 'string'],
    ["array_join(regexp_extract_all(s, '([a-zA-Z])([0-9a-z]*)'), ',')", "array_to_string(regexp_extract_all(s, '([a-zA-Z])([0-9a-z]*)', 1), ',')", 'string'],
    ["size(regexp_extract_all(s, '[aeiou]', 0))", "coalesce(len(regexp_extract_all(s, '[aeiou]', 0)), -1)", 'number'],
  ];
}
