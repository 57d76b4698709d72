import * as builders from './builders.js';
import * as aggregates from './aggregates.js';
import { udf } from './udf.js';
import { callUdf } from './udfRegistry.js';
import * as generators from './generators.js';
import { Expr, toNode, type ExprLike } from './builders.js';
import { FUNCTIONS } from './functions.js';

/**
 * `F`: every SQL function under one name, as PySpark's `from pyspark.sql import functions as F`:
 *
 * ```ts
 * import { F, col } from 'sluice';
 * df.withColumns({ name: F.upper('name'), n: F.length(col('name')), parts: F.split('path', '/') });
 * df.filter(F.not(col('deleted')));
 * df.withColumns({ month: F.date_trunc('month', 'ts'), d: F.to_date('day', 'yyyy-MM-dd') });
 * ```
 *
 * What it holds, built when the module loads (no hand-kept list):
 * - every function of the registry (`src/expr/functions.ts`, `FUNCTIONS`) under its Spark name
 *   (`F.regexp_extract`, `F.date_trunc`, `F.datediff`) and, for a snake_case name, under its
 *   camelCase spelling too (`F.regexpExtract`, `F.dateTrunc`): a function added to the registry
 *   appears here by itself;
 * - the expression builders of `builders.ts` (`col`, `lit`, `expr`, `when`, `not`, `cast`,
 *   `dateLit`, …), as PySpark's F holds `col`, `lit`, `expr` and `when`.
 *
 * Arguments: a registry function with a builder of its own in builders.ts (matched by name,
 * ignoring case and underscores: `regexp_extract` ↔ `regexpExtract`) takes that builder's
 * arguments, where Spark's literal parameters are plain values — `F.split('s', ',')` splits
 * column `s` on the pattern `','`, `F.substring('s', 1, 3)`, `F.date_trunc('month', 'ts')`. Any
 * other registry function takes expressions: an `Expr`, a column name (a bare string), or a
 * number/boolean/null literal; a string *literal* is `lit('text')` (`F.date_sub('d', 7)`,
 * `F.coalesce('a', 'b', lit('none'))`) — except where PySpark itself takes a plain string as a
 * value (a separator, format, pattern, time zone, JSON path or schema: {@link LITERAL_STRINGS}),
 * so `F.concat_ws('-', 'a', 'b')` and `F.date_format('ts', 'yyyy-MM-dd')` read as in PySpark.
 */
export type Functions = BuilderFunctions & SnakeCaseBuilders & AggregateFunctions & GeneratorFunctions & { readonly udf: typeof udf; readonly call_udf: typeof callUdf; readonly callUdf: typeof callUdf } & RegistryFunctions;

/** A registry function without a builder of its own: expressions in, an expression out. */
export type SqlFunction = (...args: ExprLike[]) => Expr;

/** builders.ts exports that are not functions a user calls (classes and the node helper). */
const NOT_FUNCTIONS = new Set(['Expr', 'CaseExpr', 'WhenBuilder', 'SortOrder', 'toNode']);
type NotFunctions = 'Expr' | 'CaseExpr' | 'WhenBuilder' | 'SortOrder' | 'toNode';

/** The aggregates `groupBy(...).agg(...)` reads: `F.sum`, `F.count`, `F.countDistinct` (`F.count_distinct`), … */
type AggregateBuilders = { readonly [K in Exclude<keyof typeof aggregates, NotAggregates>]: (typeof aggregates)[K] };
/** Under PySpark's snake_case too: `F.collect_set`, `F.max_by`, `F.percentile_approx`, `F.count_distinct`. */
type AggregateFunctions = AggregateBuilders & { readonly [K in keyof AggregateBuilders as Snake<K & string>]: AggregateBuilders[K] };
/** aggregates.ts exports that are not builders. */
const NOT_AGGREGATES = new Set(['aggregateOf', 'aggregateColumnName', 'literalFractions']);
type NotAggregates = 'aggregateOf' | 'aggregateColumnName' | 'literalFractions' | 'AggregateCall' | 'AggregateName';

/** The generators `select` and `withColumn` turn into an Explode step: `F.explode`, `F.posexplode`, `*_outer`. */
type GeneratorFunctions = { readonly [K in Exclude<keyof typeof generators, 'generatorOf' | 'jsonTupleColumns'>]: (typeof generators)[K] };

type BuilderFunctions = { readonly [K in Exclude<keyof typeof builders, NotFunctions>]: (typeof builders)[K] };

type Snake<S extends string> = S extends `${infer H}${infer T}` ? `${H extends Lowercase<H> ? H : `_${Lowercase<H>}`}${Snake<T>}` : S;
/** `regexpExtract` is also `F.regexp_extract`, `dateTrunc` also `F.date_trunc`, and so on. */
type SnakeCaseBuilders = { readonly [K in keyof BuilderFunctions as Snake<K & string>]: BuilderFunctions[K] };

/**
 * The registry's names. While `FUNCTIONS` is typed `Record<string, FunctionDef>` this is an
 * index signature (any name type-checks, an unknown one is undefined at run time); once the
 * registry keeps its literal keys (`satisfies Record<string, FunctionDef>`) it is exact.
 */
type RegistryFunctions = { readonly [K in keyof typeof FUNCTIONS & string]: SqlFunction };

/**
 * Where PySpark's `functions` take a plain string as a value, not a column name: the
 * separator of `concat_ws`, a format, a pattern, a time zone, a JSON path or schema. There a
 * string argument is a literal (`F.date_format('ts', 'yyyy-MM-dd')`, `F.concat_ws('-', 'a', 'b')`).
 */
const LITERAL_STRINGS: Record<string, (position: number) => boolean> = {
  concat_ws: (i) => i === 0,
  format_string: (i) => i === 0,
  date_format: (i) => i === 1,
  from_unixtime: (i) => i === 1,
  unix_timestamp: (i) => i === 1,
  trunc: (i) => i === 1,
  next_day: (i) => i === 1,
  from_utc_timestamp: (i) => i === 1,
  to_utc_timestamp: (i) => i === 1,
  date_part: (i) => i === 0,
  regexp_replace: (i) => i === 1 || i === 2,
  translate: (i) => i === 1 || i === 2,
  instr: (i) => i === 1,
  locate: (i) => i === 0,
  lpad: (i) => i === 2,
  rpad: (i) => i === 2,
  split_part: (i) => i === 1,
  get_json_object: (i) => i === 1,
  from_json: (i) => i === 1,
  schema_of_json: (i) => i === 0,
  array_join: (i) => i === 1 || i === 2,
  array_contains: (i) => i === 1,
  element_at: (i) => i === 1,
  named_struct: (i) => i % 2 === 0,
};

const normal = (name: string) => name.replace(/_/g, '').toLowerCase();
const camel = (name: string) => name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

function build(): Functions {
  const out: Record<string, unknown> = {};
  const add = (name: string, fn: unknown) => { if (!Object.hasOwn(out, name)) out[name] = fn; };
  const byNormalName = new Map<string, unknown>();
  for (const [name, value] of Object.entries(builders)) {
    if (typeof value !== 'function' || NOT_FUNCTIONS.has(name)) continue;
    add(name, value);
    add(snake(name), value);
    byNormalName.set(normal(name), value);
  }
  add('udf', udf);
  add('call_udf', callUdf);
  add('callUdf', callUdf);
  for (const [name, value] of Object.entries(generators)) if (name !== 'generatorOf' && name !== 'jsonTupleColumns') (add(name, value), add(camel(name), value));
  for (const [name, value] of Object.entries(aggregates)) {
    if (NOT_AGGREGATES.has(name) || typeof value !== 'function') continue;
    add(name, value);
    add(snake(name), value);
  }
  for (const name of Object.keys(FUNCTIONS)) {
    const literal = LITERAL_STRINGS[name];
    const fn = byNormalName.get(normal(name))
      ?? ((...args: ExprLike[]): Expr => new Expr({
        kind: 'call', fn: name,
        args: args.map((a, i) => (typeof a === 'string' && literal?.(i) ? { kind: 'lit', value: a } : toNode(a))),
      }));
    add(name, fn);
    add(camel(name), fn);
  }
  return Object.freeze(out) as Functions;
}

/** The SQL functions, PySpark's `functions as F`; see {@link Functions}. */
export const F: Functions = build();
