import { describe, expect, it } from 'vitest';
import { DataFrame } from '../../src/frame/DataFrame.js';
import { schemaToSpec } from '../../src/types/typeNames.js';

const one = () => DataFrame.fromRows([{ id: 1 }], { id: 'int32' });
const value = async (sql: string) => (await one().selectExpr(`${sql} AS v`).toRows())[0].v;

describe('to_json, from_json, schema_of_json', () => {
  it("to_json writes structs, arrays and nested values as Spark does (null fields left out)", async () => {
    expect(await value("to_json(named_struct('a', 1, 'b', 2))")).toBe('{"a":1,"b":2}');
    expect(await value("to_json(named_struct('time', to_timestamp('2015-08-26', 'yyyy-MM-dd')))")).toBe('{"time":"2015-08-26T00:00:00.000Z"}');
    expect(await value("to_json(array(named_struct('a', 1, 'b', 2)))")).toBe('[{"a":1,"b":2}]');
    expect(await value("to_json(named_struct('a', 'x\"y', 'n', NULL, 'd', to_date('2024-02-29'), 'xs', array(1, NULL)))")).toBe('{"a":"x\\"y","d":"2024-02-29","xs":[1,null]}');
    const rows = await DataFrame.fromRows([{ s: { a: 1, b: 'q' } }, { s: null }], { s: 'struct<a:int64,b:string>' }).selectExpr('to_json(s) AS j').toRows();
    expect(rows).toEqual([{ j: '{"a":1,"b":"q"}' }, { j: null }]);
  });

  it('from_json parses into a DDL schema, PERMISSIVE', async () => {
    const df = DataFrame.fromRows([{ j: '{"a":1, "b":0.8}' }, { j: '{"a":"x","b":2}' }, { j: '{"a" 1}' }, { j: null }, { j: '{"a":3,"tags":["p","q"],"extra":true}' }]);
    const out = df.selectExpr("from_json(j, 'a INT, b DOUBLE, tags ARRAY<STRING>') AS v");
    expect(schemaToSpec(await out.schema())).toEqual({ v: 'struct<a:int32,b:float64,tags:array<string>>' });
    expect(await out.toRows()).toEqual([
      { v: { a: 1, b: 0.8, tags: null } },
      { v: { a: null, b: 2, tags: null } },
      { v: { a: null, b: null, tags: null } },
      { v: null },
      { v: { a: 3, b: null, tags: ['p', 'q'] } },
    ]);
    expect(await value("from_json('{\"teacher\": \"Alice\", \"student\": [{\"name\": \"Bob\", \"rank\": 1}]}', 'STRUCT<teacher: STRING, student: ARRAY<STRUCT<name: STRING, rank: INT>>>')"))
      .toEqual({ teacher: 'Alice', student: [{ name: 'Bob', rank: 1 }] });
  });

  it("schema_of_json infers Spark's DDL", async () => {
    expect(await value("schema_of_json('[{\"col\":0}]')")).toBe('ARRAY<STRUCT<col: BIGINT>>');
    expect(await value("schema_of_json('{\"b\": 1.5, \"a\": [1, 2.5], \"c\": null, \"d\": {\"x\": true}}')")).toBe('STRUCT<a: ARRAY<DOUBLE>, b: DOUBLE, c: STRING, d: STRUCT<x: BOOLEAN>>');
    expect(await value("from_json('{\"a\": 5}', schema_of_json('{\"a\": 0}'))")).toEqual({ a: 5 });
  });
});

describe('json_tuple', () => {
  it('selects one string column per field name, c0, c1, … (Spark: get_json_object per name)', async () => {
    const { F, col } = await import('../../src/index.js');
    const df = DataFrame.fromRows([{ id: 1, j: '{"a":1, "b":"x", "c":{"d":2}}' }, { id: 2, j: '{"b":null}' }, { id: 3, j: null }]);
    expect(await df.select('id', F.json_tuple(col('j'), 'a', 'b', 'c')).toRows()).toEqual([
      { id: 1, c0: '1', c1: 'x', c2: '{"d":2}' }, { id: 2, c0: null, c1: null, c2: null }, { id: 3, c0: null, c1: null, c2: null },
    ]);
    expect(await df.selectExpr("json_tuple(j, 'b', 'a')").limit(1).toRows()).toEqual([{ c0: 'x', c1: '1' }]);
  });
});
