import { describe, expect, it } from 'vitest';
import { DataFrame, DynamicFrame } from '../../src/frame/DataFrame.js';
import { col, lit, F } from '../../src/index.js';
import { schemaToSpec } from '../../src/types/typeNames.js';

const people = () => DataFrame.fromRows(
  [
    { id: 1, name: 'ann', city: 'Paris', age: 31, score: 1.5 },
    { id: 2, name: 'bob', city: 'Berlin', age: null, score: Number.NaN },
    { id: 3, name: null, city: 'Paris', age: 25, score: null },
    { id: 4, name: 'dan', city: null, age: 40, score: 3 },
  ],
  { id: 'int32', name: 'string', city: 'string', age: 'int32', score: 'float64' },
);

describe('Spark-shaped DataFrame API', () => {
  it('withColumn adds and replaces; withColumnRenamed renames', async () => {
    const out = people().withColumn('age2', col('age').mul(2)).withColumn('name', F.upper('name')).withColumnRenamed('city', 'town');
    expect(await out.columns).toEqual(['id', 'name', 'town', 'age', 'score', 'age2']);
    expect((await out.select('name', 'age2').toRows())).toEqual([
      { name: 'ANN', age2: 62 }, { name: 'BOB', age2: null }, { name: null, age2: 50 }, { name: 'DAN', age2: 80 },
    ]);
  });

  it('select takes names, dotted struct paths, expressions with aliases and *', async () => {
    const out = people().select('id', col('age').add(1).alias('next'), F.concat_ws(lit('-'), 'name', 'city'), lit(7).as('seven'));
    expect(await out.columns).toEqual(['id', 'next', "concat_ws('-', name, city)", 'seven']);
    expect(await out.limit(2).toRows()).toEqual([
      { id: 1, next: 32, "concat_ws('-', name, city)": 'ann-Paris', seven: 7 },
      { id: 2, next: null, "concat_ws('-', name, city)": 'bob-Berlin', seven: 7 },
    ]);
    const star = people().select('*', col('id').mul(10).alias('id10'));
    expect(await star.columns).toEqual(['id', 'name', 'city', 'age', 'score', 'id10']);
    const nested = DataFrame.fromRows([{ a: { b: 1, c: 'x' } }], { a: 'struct<b:int32,c:string>' }).select('a.c', 'a.b');
    expect(await nested.toRows()).toEqual([{ c: 'x', b: 1 }]);
    // Every expression sees the input: a swap works as in Spark.
    expect(await people().select(col('name').alias('city'), col('city').alias('name')).limit(1).toRows()).toEqual([{ city: 'ann', name: 'Paris' }]);
    expect(() => people().select('id', col('age').alias('id'))).toThrow("select: two output columns are named 'id'");
  });

  it('selectExpr parses SQL with AS aliases, bare aliases and *', async () => {
    const out = people().selectExpr('id', 'age * 2 AS double_age', 'upper(name) shout', 'id + 1');
    expect(await out.columns).toEqual(['id', 'double_age', 'shout', '(id + 1)']);
    expect(await out.limit(1).toRows()).toEqual([{ id: 1, double_age: 62, shout: 'ANN', '(id + 1)': 2 }]);
    expect(await people().selectExpr('*', 'id * 100 as big').columns).toEqual(['id', 'name', 'city', 'age', 'score', 'big']);
  });

  it('where, distinct, dropDuplicates, limit', async () => {
    expect(await people().where('age > 26').select('id').toRows()).toEqual([{ id: 1 }, { id: 4 }]);
    expect(await people().where(col('city').eq('Paris')).count()).toBe(2);
    const dupes = DataFrame.fromRows([{ a: 1, b: 'x' }, { a: 1, b: 'x' }, { a: 1, b: 'y' }, { a: null, b: 'y' }, { a: null, b: 'y' }]);
    expect(await dupes.distinct().toRows()).toEqual([{ a: 1, b: 'x' }, { a: 1, b: 'y' }, { a: null, b: 'y' }]);
    expect(await dupes.dropDuplicates(['b']).toRows()).toEqual([{ a: 1, b: 'x' }, { a: 1, b: 'y' }]);
    expect(await dupes.limit(1).toRows()).toEqual([{ a: 1, b: 'x' }]);
  });

  it('groupBy(...).agg with F aggregates, aliases and Spark default names', async () => {
    const out = people().groupBy('city').agg(F.count('*').alias('n'), F.sum('age'), F.avg(col('age').mul(2)).alias('avg2'), F.max('name'), F.countDistinct('name'));
    expect(await out.columns).toEqual(['city', 'n', 'sum(age)', 'avg2', 'max(name)', 'count(DISTINCT name)']);
    expect(await out.toRows()).toEqual([
      { city: 'Paris', n: 2, 'sum(age)': 56, avg2: 56, 'max(name)': 'ann', 'count(DISTINCT name)': 1 },
      { city: 'Berlin', n: 1, 'sum(age)': null, avg2: null, 'max(name)': 'bob', 'count(DISTINCT name)': 1 },
      { city: null, n: 1, 'sum(age)': 40, avg2: 80, 'max(name)': 'dan', 'count(DISTINCT name)': 1 },
    ]);
    expect(await people().groupBy(col('city')).count().toRows()).toEqual([{ city: 'Paris', count: 2 }, { city: 'Berlin', count: 1 }, { city: null, count: 1 }]);
    expect(await people().groupBy('city').agg({ age: 'max' }).toRows()).toEqual([
      { city: 'Paris', 'max(age)': 31 }, { city: 'Berlin', 'max(age)': null }, { city: null, 'max(age)': 40 },
    ]);
    expect(await people().agg(F.count('age').alias('with_age'), F.min('id')).toRows()).toEqual([{ with_age: 3, 'min(id)': 1 }]);
    // The Glue-style record form still works.
    expect(await people().groupBy('city').agg({ total: ['sum', 'age'] }).limit(1).toRows()).toEqual([{ city: 'Paris', total: 56 }]);
    expect(() => people().groupBy('city').agg(F.upper('name'))).toThrow('agg: upper(name) is not an aggregate');
  });

  it('orderBy/sort take names, col().desc(), F.desc, expressions and ascending flags', async () => {
    const ids = async (df: DataFrame) => (await df.toRows()).map((r) => r.id);
    expect(await ids(people().orderBy(col('age').desc()))).toEqual([4, 1, 3, 2]);
    expect(await ids(people().sort(F.desc('age')))).toEqual([4, 1, 3, 2]);
    expect(await ids(people().orderBy('age'))).toEqual([2, 3, 1, 4]);
    expect(await ids(people().orderBy('city', 'id', { ascending: [false, true] }))).toEqual([1, 3, 2, 4]);
    expect(await ids(people().orderBy(col('id').mod(2), col('id').desc()))).toEqual([4, 2, 3, 1]);
    expect(await people().orderBy(col('id').mod(2)).columns).toEqual(['id', 'name', 'city', 'age', 'score']);
    expect(await ids(people().orderBy(col('age').desc_nulls_first()))).toEqual([2, 4, 1, 3]);
  });

  it("join(other, on, how) with Spark's names keeps one key column", async () => {
    const left = DataFrame.fromRows([{ k: 1, a: 'x' }, { k: 2, a: 'y' }, { k: null, a: 'z' }], { k: 'int32', a: 'string' });
    const right = DataFrame.fromRows([{ k: 2, b: 'B2' }, { k: 3, b: 'B3' }], { k: 'int32', b: 'string' });
    expect(await left.join(right, 'k').toRows()).toEqual([{ k: 2, a: 'y', b: 'B2' }]);
    expect(await left.join(right, ['k'], 'left_outer').toRows()).toEqual([
      { k: 1, a: 'x', b: null }, { k: 2, a: 'y', b: 'B2' }, { k: null, a: 'z', b: null },
    ]);
    expect(await left.join(right, 'k', 'full_outer').toRows()).toEqual([
      { k: 1, a: 'x', b: null }, { k: 2, a: 'y', b: 'B2' }, { k: null, a: 'z', b: null }, { k: 3, a: null, b: 'B3' },
    ]);
    expect(await left.join(right, 'k', 'rightouter').toRows()).toEqual([{ k: 2, a: 'y', b: 'B2' }, { k: 3, a: null, b: 'B3' }]);
    expect(await left.join(right, 'k', 'leftsemi').toRows()).toEqual([{ k: 2, a: 'y' }]);
    expect(await left.join(right, 'k', 'left_anti').toRows()).toEqual([{ k: 1, a: 'x' }, { k: null, a: 'z' }]);
    const other = right.withColumnRenamed('k', 'id');
    expect(await left.join(other, col('k').eq(col('id')), 'inner').toRows()).toEqual([{ k: 2, a: 'y', id: 2, b: 'B2' }]);
    expect(await left.limit(2).join(right, undefined, 'cross').toRows()).toEqual([
      { k: 1, a: 'x', k_right: 2, b: 'B2' }, { k: 1, a: 'x', k_right: 3, b: 'B3' },
      { k: 2, a: 'y', k_right: 2, b: 'B2' }, { k: 2, a: 'y', k_right: 3, b: 'B3' },
    ]);
    // Glue's form is unchanged: both keys kept.
    expect(await left.join(right, ['k'], ['k'], 'inner').toRows()).toEqual([{ k: 2, a: 'y', k_right: 2, b: 'B2' }]);
    expect(() => left.join(right, 'k', 'sideways')).toThrow("unknown join type 'sideways'");
    expect(() => left.join(right, col('k').gt(col('k')))).toThrow('join on: only equalities of columns');
  });

  it('unionByName requires the same columns unless allowMissingColumns', async () => {
    const a = DataFrame.fromRows([{ x: 1, y: 'a' }]);
    const b = DataFrame.fromRows([{ y: 'b', x: 2 }]);
    const c = DataFrame.fromRows([{ x: 3, z: true }]);
    expect(await a.unionByName(b).toRows()).toEqual([{ x: 1, y: 'a' }, { x: 2, y: 'b' }]);
    await expect(a.unionByName(c).toRows()).rejects.toThrow('cannot union by name: only frame1 has y; only frame2 has z; pass allowMissingColumns: true');
    expect(await a.unionByName(c, { allowMissingColumns: true }).toRows()).toEqual([{ x: 1, y: 'a', z: null }, { x: 3, y: null, z: true }]);
  });

  it('na.fill fills the columns of the value\'s kind (NaN too); na.drop drops any/all/thresh', async () => {
    expect(await people().na.fill(0).select('age', 'score').toRows()).toEqual([
      { age: 31, score: 1.5 }, { age: 0, score: 0 }, { age: 25, score: 0 }, { age: 40, score: 3 },
    ]);
    expect(await people().na.fill('?').select('name', 'city').toRows()).toEqual([
      { name: 'ann', city: 'Paris' }, { name: 'bob', city: 'Berlin' }, { name: '?', city: 'Paris' }, { name: 'dan', city: '?' },
    ]);
    expect(await people().fillna(2.7, ['age']).select('age').toRows()).toEqual([{ age: 31 }, { age: 2 }, { age: 25 }, { age: 40 }]);
    expect(await people().na.fill({ city: 'nowhere', age: -1 }).select('city', 'age').toRows()).toEqual([
      { city: 'Paris', age: 31 }, { city: 'Berlin', age: -1 }, { city: 'Paris', age: 25 }, { city: 'nowhere', age: 40 },
    ]);
    expect(schemaToSpec(await people().na.fill(0).schema())).toEqual(schemaToSpec(await people().schema()));
    const ids = async (df: DataFrame) => (await df.toRows()).map((r) => r.id);
    expect(await ids(people().na.drop())).toEqual([1]);
    expect(await ids(people().na.drop({ subset: ['age'] }))).toEqual([1, 3, 4]);
    expect(await ids(people().dropna({ how: 'all', subset: ['age', 'score'] }))).toEqual([1, 3, 4]);
    expect(await ids(people().na.drop({ thresh: 4 }))).toEqual([1, 4]);
    await expect(people().na.fill({ nope: 1 }).toRows()).rejects.toThrow("na.fill: no column 'nope'");
    await expect(people().na.fill({ age: 'x' }).toRows()).rejects.toThrow("na.fill: cannot fill column 'age' of type int32 with \"x\"");
  });

  it('toDF renames by position or is the identity; fromDF is the identity; columns and dtypes', async () => {
    const df = people();
    expect(df.toDF()).toBe(df);
    expect(DynamicFrame.fromDF(df, {}, 'people')).toBe(df);
    expect(await df.toDF('a', 'b', 'c', 'd', 'e').columns).toEqual(['a', 'b', 'c', 'd', 'e']);
    await expect(df.toDF('a').toRows()).rejects.toThrow('toDF: the frame has 5 columns (id, name, city, age, score) but 1 names were given');
    const typed = DataFrame.fromRows([], { i: 'int32', l: 'int64', d: 'float64', s: 'string', b: 'bool', dt: 'date', ts: 'timestamp', dec: 'decimal(10,2)', arr: 'array<string>', st: 'struct<x:int32>' });
    expect(await typed.dtypes).toEqual([
      ['i', 'int'], ['l', 'bigint'], ['d', 'double'], ['s', 'string'], ['b', 'boolean'], ['dt', 'date'], ['ts', 'timestamp'],
      ['dec', 'decimal(10,2)'], ['arr', 'array<string>'], ['st', 'struct<x:int>'],
    ]);
    expect(await df.first()).toEqual({ id: 1, name: 'ann', city: 'Paris', age: 31, score: 1.5 });
    expect((await df.take(2)).map((r) => r.id)).toEqual([1, 2]);
    expect(await df.drop('score', 'age').columns).toEqual(['id', 'name', 'city']);
  });
});

describe('F.udf', () => {
  it('runs a function per row with nulls passed as null, typed by returnType', async () => {
    const initials = F.udf((name: string | null, city: string | null) => (name === null ? null : `${name[0]}${city?.[0] ?? '_'}`), 'string');
    const plusOne = F.udf((n: number | null) => (n === null ? -1 : n + 1), 'int');
    const out = people().select('id', initials('name', 'city').alias('ini'), plusOne('age').alias('next'));
    expect(schemaToSpec(await out.schema())).toEqual({ id: 'int32', ini: 'string', next: 'int32' });
    expect(await out.toRows()).toEqual([
      { id: 1, ini: 'aP', next: 32 }, { id: 2, ini: 'bB', next: -1 }, { id: 3, ini: null, next: 26 }, { id: 4, ini: 'd_', next: 41 },
    ]);
    expect(await people().where(F.udf((n: number | null) => n !== null && n > 30, 'boolean')('age')).count()).toBe(2);
  });

  it('fails the step naming the UDF and the row when the function throws', async () => {
    const boom = F.udf(function explode(n: number | null) { if (n === 25) throw new Error('no 25'); return n; }, 'int');
    await expect(people().withColumn('x', boom('age')).toRows()).rejects.toThrow("udf 'explode' threw on row 3 of a batch (arguments [25]): no 25");
  });

  it('cannot travel: a plan holding a UDF runs on this thread, and a copy elsewhere says why it fails', async () => {
    const up = F.udf((s: string | null) => s?.toUpperCase() ?? null);
    const expr = up('name');
    const travelled = JSON.parse(JSON.stringify(expr));
    expect(travelled.inline).toBeUndefined();
    const fresh = DataFrame.fromRows([{ name: 'a' }]);
    const copy = { ...travelled, fn: 'udf:other#999' };
    await expect(fresh.withColumn('x', copy).toRows()).rejects.toThrow("row UDF 'udf:other#999' (F.udf) is not defined here");
    expect(await fresh.withColumn('x', expr).toRows()).toEqual([{ name: 'a', x: 'A' }]);
  });
});
