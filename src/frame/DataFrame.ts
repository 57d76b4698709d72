import { Field, RecordBatch, Schema, Table, type Data } from 'apache-arrow';
import { nodeInfoOf, type NodeInfo, type PlanNode } from '../plan/PlanNode.js';
import { explainPlan } from '../plan/explain.js';
import { pushDownProjection } from '../plan/pushDownProjection.js';
import { preparePlan, type PreparedPlan } from '../exec/execute.js';
import { resolveDeferredScans } from '../exec/resolveDeferredScans.js';
import { executePlan, type ExecutePlanOptions } from '../exec/parallel/executePlan.js';
import type { RunOptions } from '../exec/parallel/settings.js';
import type { ChunkStream } from '../exec/Kernel.js';
import type { ErrorRecord } from '../types/ErrorRecord.js';
import { schemaFromSpec } from '../types/typeNames.js';
import { columnFromValues, inferTypeOfValues } from '../columns/fromValues.js';
import { columnValues } from '../columns/toValues.js';
import { ownField } from '../columns/ownFields.js';
import { rowObjects } from '../columns/rowObjects.js';
import { makeBatch } from '../columns/take.js';
import { formatTable } from './formatTable.js';
import { transformDefs } from '../../transforms/registry.js';
import * as T from '../../transforms/index.js';
import type { Aggregation, ExprInput, FieldPath, JoinType, Mapping, RowFunction, RowPredicate, SortKey } from '../../transforms/index.js';
import type { AnyTransform } from '../../transforms/TransformDef.js';
import { SluiceError } from '../types/ErrorRecord.js';
import { nearestName } from '../types/nearestName.js';
import { DataFrameWriter } from './DataFrameWriter.js';
import { setTempView } from './tempViews.js';

/** A row as a plain object: column name → value. */
export type Row = Record<string, unknown>;

/**
 * An immutable, lazy table: a plan that produces a schema and a stream of Arrow RecordBatches.
 * Transform methods return a new DataFrame (nothing runs); actions (toRows, count, show, write…)
 * run the plan and are `async`. `DynamicFrame` is the Glue name for the same class; the methods
 * cover Glue's DynamicFrame transforms and Spark's DataFrame basics.
 *
 * The type parameter is the row shape; it narrows through selectFields, dropFields, renameField
 * and join, and widens to `Row` where a transform's output cannot be known statically.
 *
 * Every transform method takes an optional last `info` ({@link NodeInfo}): `transformationCtx`
 * (the step's name in errors, metrics and bookmarks) and Glue's `stageThreshold` /
 * `totalThreshold` (fail once the step, or the step and all before it, raised more error records).
 *
 * @example
 * ```ts
 * import { read, col } from 'sluice';
 * const big = read.csv('orders.csv', { withHeader: true })
 *   .filter(col('amount').gt(100))
 *   .withColumns({ year: 'year(ts)' });
 * await big.show(5);
 * await big.write.parquet('lake/orders', { partitionKeys: ['year'] });
 * ```
 */
export class DataFrame<T extends Row = Row> {
  constructor(readonly plan: PlanNode) {}

  // ---- constructors ------------------------------------------------------------------------

  /**
   * A frame over plain row objects, held in memory (Spark: `spark.createDataFrame(rows)`).
   *
   * @param rows objects whose keys are the columns; a key missing from a row is null there.
   * @param schema an Arrow `Schema` or `{ column: 'type' }` (`'int32'`, `'string'`, `'timestamp'`,
   *   `'decimal(10,2)'`, …); without it each column's type is inferred from its values, and the
   *   columns come in order of first appearance.
   * @example
   * ```ts
   * const df = DataFrame.fromRows([{ id: 1, name: 'a' }, { id: 2, name: null }], { id: 'int32', name: 'string' });
   * ```
   */
  static fromRows<R extends Row>(rows: readonly R[], schema?: Schema | Record<string, string>): DataFrame<R> {
    const resolved = schema ? toSchema(schema) : inferSchema(rows);
    const columns = resolved.fields.map((f) => columnFromValues(f.type, rows.map((r) => ownField(r, f.name) ?? null)));
    return DataFrame.fromBatches<R>(resolved, [makeBatch(resolved, columns, rows.length)]);
  }

  /**
   * A frame over column arrays, held in memory.
   *
   * @param columns one array per column, all of the same length: `{ a: [1, 2], b: ['x', 'y'] }`.
   * @param schema an Arrow `Schema` or `{ column: 'type' }`; inferred from the values when absent.
   * @example
   * ```ts
   * const df = DataFrame.fromColumns({ id: [1, 2], country: ['FR', 'DE'] });
   * ```
   */
  static fromColumns<R extends Row>(columns: { [K in keyof R]: readonly R[K][] }, schema?: Schema | Record<string, string>): DataFrame<R> {
    const names = Object.keys(columns);
    const length = names.length ? (columns[names[0]] as unknown[]).length : 0;
    const resolved = schema
      ? toSchema(schema)
      : new Schema(names.map((n) => new Field(n, inferTypeOfValues(columns[n] as unknown[]), true)));
    const data = resolved.fields.map((f) => columnFromValues(f.type, (columns[f.name] as unknown[]) ?? new Array(length).fill(null)));
    return DataFrame.fromBatches<R>(resolved, [makeBatch(resolved, data, length)]);
  }

  /**
   * A frame over an Arrow `Table` (its batches are shared, not copied): the way in from other
   * Arrow libraries. `df.toArrow()` is the way out.
   */
  static fromArrow<R extends Row = Row>(table: Table): DataFrame<R> {
    return DataFrame.fromBatches<R>(table.schema, table.batches);
  }

  /** A frame over Arrow record batches of one schema, with error records carried along (as `cache()` makes). */
  static fromBatches<R extends Row = Row>(schema: Schema, batches: RecordBatch[], errors?: ErrorRecord[]): DataFrame<R> {
    return new DataFrame<R>({ kind: 'values', schema, batches, errors });
  }

  // ---- plan building -----------------------------------------------------------------------

  /** A new frame whose plan applies transform `name` to this frame (and `others`). */
  derive<U extends Row = Row>(name: string, params: Record<string, unknown>, others: DataFrame<Row>[] = [], info: NodeInfo = {}): DataFrame<U> {
    const node: PlanNode = { kind: 'transform', name, inputs: [this.plan, ...others.map((o) => o.plan)], params, ...nodeInfoOf(info) };
    return new DataFrame<U>(node);
  }

  /**
   * The plan as an indented tree, one line per step, sources at the bottom (Spark: `df.explain()`).
   * Runs nothing.
   */
  explain(): string {
    return explainPlan(this.plan);
  }

  // ---- Glue transforms (each delegates to transforms/<GlueName>.ts) -------------------------

  /**
   * Any transform of one input, by its definition or its registered name, with the parameters
   * its `apply` takes beside the frame. The methods below are typed shorthands for the same;
   * `npx sluice transforms` lists the transforms and their parameters.
   *
   * @param def the transform (`Concatenate`) or its name (`'Concatenate'`).
   * @param params its parameters without `frame`; a misspelt one fails now, naming the nearest.
   * @example
   * ```ts
   * df.transform(Concatenate, { colName: 'date', colList: ['year', 'month', 'day'], spacer: '-' });
   * // Glue: Concatenate.apply({ frame: df, colName: 'date', ... })
   * ```
   */
  transform<A extends { frame: DataFrame<Row> }>(def: { apply(args: A): DataFrame<Row> }, params: Omit<A, 'frame'>): DataFrame<Row>;
  transform(name: string, params: Record<string, unknown>): DataFrame<Row>;
  transform(def: string | { apply(args: never): DataFrame<Row> }, params: Record<string, unknown>): DataFrame<Row> {
    const found = (typeof def === 'string' ? transformDefs.get(def) : def) as AnyTransform | undefined;
    if (!found) {
      const names = [...transformDefs.values()].filter((t) => !t.internal && t.inputs === 'one').map((t) => t.name);
      const near = nearestName(String(def), names);
      throw new SluiceError(`unknown transform '${String(def)}' for df.transform${near ? ` (did you mean '${near}'?)` : ''}; transforms of one frame: ${names.join(', ')}`);
    }
    if (found.inputs !== undefined && found.inputs !== 'one') {
      throw new SluiceError(`${found.name} takes two frames: use its method (df.join, df.union) or ${found.name}.apply({ frame1, frame2, ... })`);
    }
    return found.apply({ ...params, frame: this });
  }

  /**
   * Picks, casts and renames fields in one step: only mapped fields are output, in mapping
   * order; a value that cannot be cast becomes null (Glue: `ApplyMapping.apply(frame, mappings)`).
   *
   * @param mappings `[sourcePath, sourceType, targetPath, targetType]` per output field; dotted
   *   paths reach into structs and build them.
   * @example
   * ```ts
   * df.applyMapping([['id', 'string', 'order_id', 'int'], ['addr.city', 'string', 'city', 'string']]);
   * ```
   */
  applyMapping(mappings: Mapping[], info?: NodeInfo): DataFrame<Row> {
    return T.ApplyMapping.apply({ frame: this, mappings, ...info });
  }
  /**
   * Keeps only the named fields, in the order named (Glue: `SelectFields.apply`, Spark: `select`).
   * A nested path (`'address.city'`) keeps the struct with just the chosen children; backticks
   * quote names holding dots.
   *
   * @example
   * ```ts
   * df.selectFields(['id', 'address.city']);
   * ```
   */
  selectFields<K extends keyof T & string>(paths: K[], info?: NodeInfo): DataFrame<Pick<T, K>>;
  selectFields(paths: FieldPath[], info?: NodeInfo): DataFrame<Row>;
  selectFields(paths: string[], info?: NodeInfo): DataFrame<Row> {
    return T.SelectFields.apply({ frame: this, paths, ...info });
  }
  /**
   * Drops the named fields (Glue: `DropFields.apply`, Spark: `drop`). A nested path drops a
   * struct's child; a struct left without children is dropped as well.
   *
   * @example
   * ```ts
   * df.dropFields(['note', 'address.zip']);
   * ```
   */
  dropFields<K extends keyof T & string>(paths: K[], info?: NodeInfo): DataFrame<Omit<T, K>>;
  dropFields(paths: FieldPath[], info?: NodeInfo): DataFrame<Row>;
  dropFields(paths: string[], info?: NodeInfo): DataFrame<Row> {
    return T.DropFields.apply({ frame: this, paths, ...info });
  }
  /**
   * Renames one field (Glue: `RenameField.apply`, Spark: `withColumnRenamed`). Both names are
   * full dotted paths, and a field stays inside its struct (`'address.zip'` → `'address.postcode'`).
   *
   * @example
   * ```ts
   * df.renameField('cust_id', 'customer_id');
   * ```
   */
  renameField<O extends keyof T & string, N extends string>(oldName: O, newName: N, info?: NodeInfo): DataFrame<Omit<T, O> & Record<N, T[O]>>;
  renameField(oldName: FieldPath, newName: string, info?: NodeInfo): DataFrame<Row>;
  renameField(oldName: string, newName: string, info?: NodeInfo): DataFrame<Row> {
    return T.RenameField.apply({ frame: this, oldName, newName, ...info });
  }
  /**
   * Keeps the rows where a condition holds (Glue: `Filter.apply`, Spark: `filter`/`where`).
   *
   * @param condition a Spark SQL expression (text or `col(...)` builders), evaluated column-wise
   *   — rows where it is NULL are dropped, as by WHERE; or a row function `(row) => boolean`
   *   (`{ module, export }` to run it on worker threads). A row on which the function throws
   *   becomes an error record.
   * @example
   * ```ts
   * df.filter("amount > 100 AND status <> 'cancelled'");
   * df.filter(col('amount').gt(100).and(col('status').neq('cancelled')));
   * df.filter((row) => row.amount > 100);
   * ```
   */
  filter(condition: ExprInput | RowPredicate<T>, info?: NodeInfo): DataFrame<T> {
    return T.Filter.apply({ frame: this, f: condition as ExprInput | RowPredicate<Row>, ...info }) as unknown as DataFrame<T>;
  }
  /**
   * Applies a row function record → record (Glue: `Map.apply`). Prefer `withColumns` for
   * columnar speed. A row on which the function throws, or whose result does not fit the
   * schema, becomes an error record.
   *
   * @param f `(row) => newRow`, or `{ module: './fns.js', export: 'fn' }` to run on worker threads.
   * @param options `schema` (`{ name: 'type' }`) declares the output's columns; without it the
   *   output keeps the input's.
   * @example
   * ```ts
   * df.map((r) => ({ ...r, total: r.price * r.qty }), { schema: { id: 'int32', total: 'float64' } });
   * ```
   */
  map<U extends Row = Row>(f: RowFunction<T, U>, options?: NodeInfo & { schema?: Record<string, string> }): DataFrame<U> {
    return T.Map.apply({ frame: this, f: f as RowFunction<Row, Row>, ...options }) as unknown as DataFrame<U>;
  }
  /**
   * Adds or replaces columns computed by expressions, evaluated column-wise (Spark:
   * `withColumns`). Every expression sees the input's columns, not each other's results; a
   * replaced column keeps its position, new ones are appended in the order given.
   *
   * @param columns `{ name: expression }`: Spark SQL text or builders (`col`, `lit`, `when`, `F.*`).
   * @example
   * ```ts
   * df.withColumns({ year: 'year(ts)', usd: col('amount').mul(1.1), name: F.upper('name') });
   * ```
   */
  withColumns(columns: Record<string, ExprInput>, info?: NodeInfo): DataFrame<Row> {
    return T.WithColumns.apply({ frame: this, columns, ...info });
  }
  /**
   * Equality join on `keys1 = keys2` (Glue: `Join.apply(frame1, frame2, keys1, keys2)`, Spark:
   * `join`). A hash join: `other` is read into a hash index, so make it the smaller side. Rows
   * come in this frame's order (then `other`'s unmatched rows for right and outer joins); null
   * keys never match.
   *
   * @param how `inner` (default), `left`, `right`, `outer`, `semi` or `anti`.
   * @example
   * ```ts
   * orders.join(customers, ['customer_id'], ['id'], 'left');
   * ```
   */
  join<U extends Row>(other: DataFrame<U>, keys1: string[], keys2: string[], how: JoinType = 'inner', info?: NodeInfo): DataFrame<T & U> {
    return T.Join.apply({ frame1: this, frame2: other, keys1, keys2, how, ...info }) as unknown as DataFrame<T & U>;
  }
  /**
   * The rows of this frame, then those of `other`, duplicates kept (Glue: `Union.apply`, Spark:
   * `unionByName(allowMissingColumns=True)`). Columns match by name; a column one side lacks is
   * null there; differing types widen as in Spark.
   *
   * @example
   * ```ts
   * january.union(february);
   * ```
   */
  union(other: DataFrame<T>, info?: NodeInfo): DataFrame<T> {
    return T.Union.apply({ frame1: this, frame2: other, ...info }) as unknown as DataFrame<T>;
  }
  /**
   * Drops the top-level columns that are null in every row (Glue: `DropNullFields.apply`). Reads
   * its whole input before its output schema is known.
   */
  dropNullFields(info?: NodeInfo): DataFrame<Row> {
    return T.DropNullFields.apply({ frame: this, ...info });
  }
  /**
   * Keeps the first row of each distinct value of `columns` (all columns when absent), in input
   * order; nulls equal each other (Spark: `dropDuplicates`).
   *
   * @example
   * ```ts
   * events.dropDuplicates(['event_id']);
   * ```
   */
  dropDuplicates(columns?: (keyof T & string)[], info?: NodeInfo): DataFrame<T> {
    return T.DropDuplicates.apply({ frame: this, columns, ...info }) as unknown as DataFrame<T>;
  }
  /**
   * Groups rows by key columns; `.agg(...)` on the result names the aggregates (Spark:
   * `groupBy(...).agg(...)`). With no keys, one group over all rows. See {@link GroupedFrame.agg}.
   *
   * @example
   * ```ts
   * df.groupBy('segment', 'country').agg({ amount: ['sum', 'amount'], orders: ['count'], buyers: ['countDistinct', 'customer_id'] });
   * ```
   */
  groupBy(...keys: (keyof T & string)[]): GroupedFrame {
    return new GroupedFrame(this, keys);
  }
  /**
   * Sorts all rows by keys, most significant first (Spark: `orderBy`). The sort is stable; nulls
   * come first ascending and last descending, as in Spark, unless a key's `nullsFirst` says
   * otherwise. Reads its whole input before the first row comes out.
   *
   * @param keys column names (ascending) or `{ column, descending?, nullsFirst? }`.
   * @example
   * ```ts
   * df.orderBy('segment', { column: 'amount', descending: true });
   * ```
   */
  orderBy(...keys: (string | SortKey)[]): DataFrame<T> {
    const sortKeys = keys.map((k) => (typeof k === 'string' ? { column: k } : k));
    return T.OrderBy.apply({ frame: this, keys: sortKeys }) as unknown as DataFrame<T>;
  }
  /** The first `n` rows (Spark: `limit`); stops reading upstream once it has them. */
  limit(n: number): DataFrame<T> {
    return this.derive<T>('Limit', { n });
  }

  /**
   * Names this frame for SQL: `session.sql('SELECT … FROM name')` reads it (Spark:
   * `createOrReplaceTempView`). Names match case-insensitively; a later call replaces the view.
   * Runs nothing.
   *
   * @example
   * ```ts
   * read.parquet('lake/orders').createOrReplaceTempView('orders');
   * const big = await spark.sql('SELECT customer_id, sum(amount) AS total FROM orders GROUP BY customer_id');
   * ```
   */
  createOrReplaceTempView(name: string): void {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new SluiceError(`a view name is letters, digits and _, not starting with a digit; got '${name}'`);
    setTempView(name, this.plan);
  }

  // ---- actions -----------------------------------------------------------------------------

  /**
   * Binds the plan: resolves schemas and checks every step, reading only schema samples.
   * `columns` are the output columns the caller needs (undefined = all; [] = only the row
   * count): scans are rewritten to read no more than that.
   */
  async prepare(signal?: AbortSignal, columns?: string[]): Promise<PreparedPlan> {
    const plan = pushDownProjection(await resolveDeferredScans(this.plan), columns ? new Set(columns) : null, transformDefs);
    return preparePlan(plan, { registry: transformDefs, signal });
  }

  /**
   * The output's Arrow schema (Spark: `df.schema`), checking every step on the way. Reads only
   * schema samples (inference), not the data — but for a step whose output columns depend on
   * the data (`dropNullFields`).
   */
  async schema(): Promise<Schema> {
    return (await this.prepare()).schema;
  }

  /** The transform definitions and run options an action executes with (see exec/parallel/executePlan.ts). */
  execOptions(run: RunOptions = {}): ExecutePlanOptions {
    return { ...run, registry: transformDefs };
  }

  /**
   * Runs the plan as a stream of batches with their error records: split-parallel on worker
   * threads where the plan and input allow, with the same rows in the same order as inline.
   * For results too large to hold in memory.
   *
   * @param options an `AbortSignal`, or run options (`threads`, `parallel`, `splitSize`, `signal`).
   * @example
   * ```ts
   * const { chunks } = await df.stream();
   * for await (const { batch, errors } of chunks) console.log(batch.numRows, errors.length);
   * ```
   */
  async stream(options?: AbortSignal | RunOptions): Promise<{ schema: Schema; chunks: ChunkStream }> {
    const prepared = await this.execute(options instanceof AbortSignal ? { signal: options } : options);
    return { schema: prepared.schema, chunks: prepared.run() };
  }

  /** As `prepare`, for running: through executePlan, which fans parallel regions out to workers. */
  private async execute(run: RunOptions = {}, columns?: string[]): Promise<PreparedPlan> {
    const plan = pushDownProjection(await resolveDeferredScans(this.plan), columns ? new Set(columns) : null, transformDefs);
    return executePlan(plan, this.execOptions(run));
  }

  /**
   * Runs the plan and keeps everything in memory: the rows as an Arrow Table, and the error
   * records (Spark: `collect`, with Glue's error records beside).
   *
   * @param options run options: `threads`, `parallel: false`, `splitSize`, `signal` to cancel.
   */
  async collect(options?: RunOptions): Promise<{ table: Table; errors: ErrorRecord[] }> {
    const { schema, chunks } = await this.stream(options);
    const batches: RecordBatch[] = [];
    const errors: ErrorRecord[] = [];
    for await (const c of chunks) {
      if (c.batch.numRows > 0) batches.push(c.batch);
      for (const e of c.errors) errors.push(e);
    }
    return { table: batches.length ? new Table(batches) : new Table(schema), errors };
  }

  /**
   * Runs the plan once and returns a frame over the in-memory result, error records included
   * (Spark: `cache()` + an action), so later actions do not re-read the input.
   */
  async cache(): Promise<DataFrame<T>> {
    const { table, errors } = await this.collect();
    return DataFrame.fromBatches<T>(table.schema, table.batches, errors);
  }

  /** Runs the plan; the rows as an Arrow `Table` (Polars: `to_arrow`). Error records are left out: see `collect`. */
  async toArrow(): Promise<Table> {
    return (await this.collect()).table;
  }

  /**
   * Runs the plan; the rows as plain objects (Spark: `collect()`). Values: numbers (int64 as a
   * number when safe, else bigint), strings, booleans, `Date` for dates and timestamps, decimals
   * as numbers, structs as objects, lists as arrays, `null`.
   *
   * @example
   * ```ts
   * const rows = await df.limit(10).toRows();   // [{ id: 1, name: 'a' }, ...]
   * ```
   */
  async toRows(): Promise<T[]> {
    return tableRows<T>(await this.toArrow());
  }

  /** Runs the plan; column arrays `{ a: [...], b: [...] }` (Polars: `to_dict`): the easiest shape to compare in tests. */
  async toColumns(): Promise<{ [K in keyof T]: T[K][] }> {
    const table = await this.toArrow();
    const out: Record<string, unknown[]> = {};
    table.schema.fields.forEach((f, i) => {
      out[f.name] = table.batches.flatMap((b) => columnValues(b.data.children[i] as Data));
    });
    return out as { [K in keyof T]: T[K][] };
  }

  /**
   * Runs the plan and counts the rows (Spark: `count()`); scans read no columns they need not.
   *
   * @param options run options: `threads`, `parallel: false`, `signal` to cancel.
   */
  async count(options?: RunOptions): Promise<number> {
    const chunks = (await this.execute(options, [])).run();
    let n = 0;
    for await (const c of chunks) n += c.batch.numRows;
    return n;
  }

  /**
   * Prints the first `n` rows as an aligned table under a header of `name: type`, and returns
   * the text (Spark: `show(n)`).
   *
   * @param n how many rows (default 20).
   * @param print where the text goes (default `console.log`).
   */
  async show(n = 20, print: (text: string) => void = console.log): Promise<string> {
    const table = await this.limit(n).toArrow();
    const text = formatTable(table.schema, tableRows(table));
    print(text);
    return text;
  }

  /**
   * Runs the plan; how many error records it raised — rows that could not be read or made a
   * `map`/`filter` function throw (Glue: `errorsCount()`).
   */
  async errorsCount(): Promise<number> {
    return (await this.collect()).errors.length;
  }

  /**
   * Runs the plan; its error records as a frame of `message, node, file, line, column, raw,
   * record` (the failed record as JSON) (Glue: `errorsAsDynamicFrame()`).
   *
   * @example
   * ```ts
   * await (await df.errorsAsDynamicFrame()).show();
   * ```
   */
  async errorsAsDynamicFrame(): Promise<DataFrame<ErrorRow>> {
    const { errors } = await this.collect();
    return DataFrame.fromRows<ErrorRow>(errors.map(errorRow), ERROR_SCHEMA);
  }

  /**
   * The writer (Spark: `df.write`): `.parquet(path, options)`, `.csv(...)`, `.json(...)`. Writes
   * are atomic: every part file appears, then `_SUCCESS`, or nothing. See {@link DataFrameWriter}.
   *
   * @example
   * ```ts
   * await df.write.parquet('lake/orders', { partitionKeys: ['year', 'month'], compression: 'zstd' });
   * ```
   */
  get write(): DataFrameWriter {
    return new DataFrameWriter(this);
  }
}

/** A frame waiting for its aggregates: the result of `groupBy`. */
export class GroupedFrame {
  constructor(private readonly frame: DataFrame<Row>, private readonly keys: string[]) {}

  /**
   * Aggregates per group: one row per distinct key combination, holding the keys and one column
   * per aggregate (Glue Studio: Aggregate; Spark: `agg`). Nulls are skipped by every aggregate
   * but `count` without a column (count(*)); null keys form their own group; groups come in
   * order of first appearance.
   *
   * @param aggregations a record `{ outName: [fn, column?] }` or a list `{ name, fn, column? }`;
   *   `fn` is `count`, `sum`, `min`, `max`, `avg`, `countDistinct`, `variance`, `variancePop`,
   *   `stddev`, `stddevPop` (the sample forms are Spark's `variance`/`stddev`), `first`, `last`,
   *   `firstIgnoreNulls`, `lastIgnoreNulls` (in input order) or `collectList` (a list per group).
   * @example
   * ```ts
   * df.groupBy('segment').agg({ total: ['sum', 'amount'], orders: ['count'], avgAmount: ['avg', 'amount'] });
   * ```
   */
  agg(aggregations: Aggregation[] | Record<string, [Aggregation['fn'], string?]>, info?: NodeInfo): DataFrame<Row> {
    const list = Array.isArray(aggregations)
      ? aggregations
      : Object.entries(aggregations).map(([name, [fn, column]]) => (column === undefined ? { name, fn } : { name, fn, column }));
    return T.GroupBy.apply({ frame: this.frame, keys: this.keys, aggregations: list, ...info });
  }
}

/** The Glue name for a DataFrame. */
export { DataFrame as DynamicFrame };

/** A row of `errorsAsDynamicFrame()`: one error record. */
export interface ErrorRow extends Row {
  message: string;
  node: string | null;
  file: string | null;
  line: number | null;
  column: number | null;
  raw: string | null;
  record: string | null;
}

const ERROR_SCHEMA = { message: 'string', node: 'string', file: 'string', line: 'int32', column: 'int32', raw: 'string', record: 'string' };

function errorRow(e: ErrorRecord): ErrorRow {
  return {
    message: e.message, node: e.node ?? null, file: e.file ?? null, line: e.line ?? null, column: e.column ?? null, raw: e.raw ?? null,
    record: e.record ? JSON.stringify(e.record, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)) : null,
  };
}

function tableRows<R>(table: Table): R[] {
  const names = table.schema.fields.map((f) => f.name);
  return table.batches.flatMap((batch) => rowObjects(names, batch.data.children as Data[], batch.numRows) as R[]);
}

function toSchema(schema: Schema | Record<string, string>): Schema {
  return schema instanceof Schema ? schema : schemaFromSpec(schema);
}

function inferSchema(rows: readonly Row[]): Schema {
  const names: string[] = [];
  const seen = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r)) if (!seen.has(k)) (seen.add(k), names.push(k));
  return new Schema(names.map((n) => new Field(n, inferTypeOfValues(rows.map((r) => r[n])), true)));
}
