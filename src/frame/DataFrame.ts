import { Field, RecordBatch, Schema, Table, type Data } from 'apache-arrow';
import { nodeInfoOf, nodeLabel, type NodeInfo, type PlanNode } from '../plan/PlanNode.js';
import { explainPlan } from '../plan/explain.js';
import { optimisePlan } from '../plan/optimisePlan.js';
import { pushDownFilters } from '../plan/pushDownFilters.js';
import { preparePlan, type PreparedPlan } from '../exec/execute.js';
import { resolveDeferredScans } from '../exec/resolveDeferredScans.js';
import { settledStream } from '../exec/settledStream.js';
import { planNumPartitions } from '../exec/numPartitions.js';
import { withWidening } from '../exec/widening.js';
import { executePlan, type ExecutePlanOptions } from '../exec/parallel/executePlan.js';
import type { RunOptions } from '../exec/parallel/settings.js';
import type { ChunkStream } from '../exec/Kernel.js';
import type { ErrorRecord } from '../types/ErrorRecord.js';
import { schemaFromSpec } from '../types/typeNames.js';
import { printSchema as printSchemaText } from '../types/printSchema.js';
import { columnFromValues, inferTypeOfValues } from '../columns/fromValues.js';
import { columnValues } from '../columns/toValues.js';
import { ownField } from '../columns/ownFields.js';
import { rowObjects } from '../columns/rowObjects.js';
import { makeBatch } from '../columns/take.js';
import { formatTable } from './formatTable.js';
import { transformDefs } from '../../transforms/registry.js';
import * as T from '../../transforms/index.js';
import type {
  Aggregation, ComparisonDict, ExplodeParams, ExprInput, FieldPath, FlatRowFunction, JoinType, Mapping, ResolveChoiceParams, RowFunction, RowPredicate, SortKey, SpigotOptions,
} from '../../transforms/index.js';
import type { AnyTransform } from '../../transforms/TransformDef.js';
import { SluiceError } from '../types/ErrorRecord.js';
import { nearestName } from '../types/nearestName.js';
import { DataFrameWriter } from './DataFrameWriter.js';
import type { DynamicFrameCollection } from './DynamicFrameCollection.js';
import { Expr } from '../expr/builders.js';
import { generatorOf } from '../expr/generators.js';
import type { ExprNode } from '../expr/ast.js';
import { selectEntries } from './spark/select.js';
import { selectEntry, selectExprEntry, type SelectItem } from './spark/selectItems.js';
import { sparkJoin, type JoinOn } from './spark/sparkJoin.js';
import { aggregateDict, aggregateExprs } from './spark/aggregateExprs.js';
import { sortBy, type OrderItem, type OrderOptions } from './spark/sortBy.js';
import { NaFunctions } from './spark/NaFunctions.js';
import { sparkTypeName } from './spark/sparkTypeName.js';
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
      const names = [...transformDefs.values()].filter((t) => !t.internal && t.inputs === 'one' && t.output !== 'collection').map((t) => t.name);
      const near = nearestName(String(def), names);
      throw new SluiceError(`unknown transform '${String(def)}' for df.transform${near ? ` (did you mean '${near}'?)` : ''}; transforms of one frame: ${names.join(', ')}`);
    }
    if (found.inputs === 'collection' || found.output === 'collection') {
      throw new SluiceError(`${found.name} ${found.inputs === 'collection' ? 'takes' : 'returns'} a collection, not a frame: use ${found.name}.apply({ ... })`);
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
   * columnar speed. A row on which the function throws, or that returns a non-record, becomes an
   * error record.
   *
   * @param f `(row) => newRow`, or `{ module: './fns.js', export: 'fn' }` to run on worker threads.
   * @param options `schema` (`{ name: 'type' }`) declares the output's columns (streams,
   *   and a module function runs on worker threads; a value that does not fit it makes an error
   *   record). Without it the output schema is inferred from the returned records: added fields
   *   appear, changed types widen, fields no record returns go.
   * @example
   * ```ts
   * df.map((r) => ({ ...r, total: r.price * r.qty }));                        // schema inferred
   * df.map((r) => ({ id: r.id, total: r.price * r.qty }), { schema: { id: 'int32', total: 'float64' } });
   * ```
   */
  map<U extends Row = Row>(f: RowFunction<T, U>, options?: NodeInfo & { schema?: Record<string, string> }): DataFrame<U> {
    return T.Map.apply({ frame: this, f: f as RowFunction<Row, Row>, ...options }) as unknown as DataFrame<U>;
  }
  /**
   * Applies a row function record → 0..n records and keeps them all (Spark: `flatMap`; Glue
   * scripts do this with an RDD flatMap; Glue's own `FlatMap` works on a collection:
   * `DynamicFrameCollection.flatMap`). Schema inferred or declared as for `map`.
   *
   * @param f `(row) => rows[]` (`[]`, `null` or `undefined` for none), or a module reference.
   * @param options `schema` declares the output's columns, as for `map`.
   * @example
   * ```ts
   * orders.flatMap((o) => o.items.map((item) => ({ order: o.id, item })));
   * ```
   */
  flatMap<U extends Row = Row>(f: FlatRowFunction<T, U>, options?: NodeInfo & { schema?: Record<string, string> }): DataFrame<U> {
    return T.FlatMapRecords.apply({ frame: this, f: f as FlatRowFunction, ...options }) as unknown as DataFrame<U>;
  }
  /**
   * Decides how many part files a write makes (Glue/Spark: `repartition(numPartitions)`): the
   * frame is written by `n` tasks of equal rows, one file per task (and per Hive folder its rows
   * touch). Row-wise steps after it keep it; a join, aggregate or sort does not.
   *
   * @param n the number of partitions, >= 1.
   * @example
   * ```ts
   * await df.repartition(4).write.parquet('out');   // 4 part files
   * ```
   */
  repartition(n: number, info?: NodeInfo): DataFrame<T> {
    return T.Repartition.apply({ frame: this, numPartitions: n, ...info }) as unknown as DataFrame<T>;
  }
  /**
   * Merges partitions without a shuffle (Glue/Spark: `coalesce(numPartitions)`): after
   * `repartition(m)` the write makes min(n, m) files; otherwise one file per output folder.
   *
   * @param n at most this many partitions, >= 1.
   * @example
   * ```ts
   * await df.coalesce(1).write.csv('report');   // a single CSV file
   * ```
   */
  coalesce(n: number, info?: NodeInfo): DataFrame<T> {
    return T.Coalesce.apply({ frame: this, numPartitions: n, ...info }) as unknown as DataFrame<T>;
  }  /**
   * How many partitions the frame has: the part files a write of it makes, before Hive folders
   * and `maxRowsPerFile` cut them further (Glue/Spark: `getNumPartitions()`). `repartition(n)` and
   * `coalesce(n)` decide it; otherwise it is the number of input splits a split-parallel write
   * runs (a scan and its streaming steps over an input large enough to split), else 1. Async, as
   * it lists the input; it reads no data.
   *
   * @param options the run options a write would use (`threads`, `parallel`, `splitSize`).
   * @example
   * ```ts
   * await df.repartition(4).getNumPartitions();   // 4
   * ```
   */
  getNumPartitions(options: RunOptions = {}): Promise<number> {
    return planNumPartitions(this.plan, this.execOptions(options));
  }

  /**
   * Merges a staging frame into this one on primary keys (Glue: `mergeDynamicFrame`): a record
   * whose keys are in `stageDynamicFrame` is replaced by the staging record; the others are kept.
   * Staging records that match no record here are not added (Glue documents only the two cases
   * above: an overwrite, not an upsert). The last staging record of a key wins.
   *
   * @param stageDynamicFrame the frame whose records overwrite matching ones.
   * @param primaryKeys the columns that identify a record in both frames.
   * @example
   * ```ts
   * const current = lake.mergeDynamicFrame(changes, ['id']);
   * ```
   */
  mergeDynamicFrame(stageDynamicFrame: DataFrame<Row>, primaryKeys: string[], info?: NodeInfo): DataFrame<Row> {
    return T.MergeDynamicFrame.apply({ frame1: this, frame2: stageDynamicFrame, primaryKeys, ...info });
  }
  /**
   * Adds `outputColumn` (default `<column>_filled`): the column's value where present, an
   * estimate where it is null or empty (Glue: `FillMissingValues.apply`). Deterministic, not
   * Glue's trained model: numeric columns by a least-squares regression on the other complete
   * numeric columns (else the median), strings and booleans by the most frequent value.
   *
   * @param missingValuesColumn the column to fill.
   * @param outputColumn the column to write; an existing column of that name is replaced.
   * @example
   * ```ts
   * df.fillMissingValues('age');                  // adds age_filled
   * ```
   */
  fillMissingValues(missingValuesColumn: string, outputColumn?: string, info?: NodeInfo): DataFrame<Row> {
    return T.FillMissingValues.apply({ frame: this, missingValuesColumn, ...(outputColumn ? { outputColumn } : {}), ...info });
  }
  /**
   * Adds `match_id` (bigint), equal for records judged to be the same entity (Glue:
   * `FindMatches.apply`). By rule, not Glue's trained model: records are blocked on their
   * normalised key values and matched by mean Jaro-Winkler similarity against a threshold that
   * `precisionRecallTradeoff` moves; matches are transitive.
   *
   * @param options `keyColumns` (default every string column), `precisionRecallTradeoff` (0 recall … 1 precision, default 0.5),
   *   `enforcedMatches` (Glue's labelled frame: `labeling_set_id`, `label` and the `primaryKeyColumnName` column; within a set,
   *   records with one label are matched, records with different labels are kept apart).
   * @example
   * ```ts
   * df.findMatches({ keyColumns: ['name', 'city'], precisionRecallTradeoff: 0.7 });
   * df.findMatches({ enforcedMatches: labels, primaryKeyColumnName: 'id' });
   * ```
   */
  findMatches(options: { keyColumns?: string[]; precisionRecallTradeoff?: number; enforcedMatches?: DataFrame<Row>; primaryKeyColumnName?: string } = {}, info?: NodeInfo): DataFrame<Row> {
    return T.FindMatches.apply({ frame: this, ...options, ...info });
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
   * Equality join on `keys1 = keys2` (Glue: `Join.apply(frame1, frame2, keys1, keys2)`), or
   * Spark's `join(other, on, how)`. A hash join: `other` is read into a hash index, so make it
   * the smaller side. Rows come in this frame's order (then `other`'s unmatched rows for right
   * and outer joins); null keys never match.
   *
   * Glue's form keeps both key columns (a clashing name of `other` gets `_right` appended).
   * Spark's form takes `on` as column names both sides share — each key then appears once, as in
   * Spark (for right and full joins the key of whichever side has the row) — or as an equality
   * of columns, `col('customer_id').eq(col('id'))` (this frame's column first; several joined by
   * `.and`), which keeps both; no `on` is a cross join.
   *
   * @param how Glue: `inner` (default), `left`, `right`, `outer`, `semi`, `anti`. Spark's form
   *   accepts all of Spark's names too: `cross`, `full`, `fullouter`/`full_outer`,
   *   `leftouter`/`left_outer`, `rightouter`/`right_outer`, `leftsemi`/`left_semi`, `leftanti`/`left_anti`.
   * @example
   * ```ts
   * orders.join(customers, ['customer_id'], ['id'], 'left');   // Glue
   * orders.join(customers, 'customer_id', 'left_outer');        // Spark, one customer_id column
   * orders.join(customers, col('customer_id').eq(col('id')));   // Spark, an equality
   * ```
   */
  join<U extends Row>(other: DataFrame<U>, keys1: string[], keys2: string[], how?: JoinType, info?: NodeInfo): DataFrame<T & U>;
  join<U extends Row>(other: DataFrame<U>, on?: JoinOn, how?: string): DataFrame<Row>;
  join<U extends Row>(other: DataFrame<U>, on?: JoinOn, howOrKeys2?: string | string[], how: JoinType = 'inner', info?: NodeInfo): DataFrame<Row> {
    if (Array.isArray(howOrKeys2)) {
      if (!Array.isArray(on)) throw new SluiceError('join(other, keys1, keys2, how): keys1 must be a list of column names like keys2');
      return T.Join.apply({ frame1: this, frame2: other, keys1: on, keys2: howOrKeys2, how, ...info });
    }
    return sparkJoin(this, other as DataFrame<Row>, on, howOrKeys2 ?? 'inner');
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
   * Resolves choice columns — a value that is a number in some records and a string in others,
   * which reads keep as Glue's choice type (types/choice.ts) — by `specs` (`[path, action]`) or
   * one `choice` action for every choice column (Glue: `resolveChoice` / `ResolveChoice.apply`).
   * Actions: `cast:<type>` (uncastable values become null), `project:<type>` (keeps that type's
   * values), `make_cols` (`<col>_<type>` columns), `make_struct` (a struct with a field per type),
   * `match_catalog` (cast to the type of the column in the catalog table `database`.`tableName`).
   *
   * @param params `{ specs: [[path, action], ...] }` or `{ choice: action }`, exactly one; with
   *   match_catalog, `database`, `tableName` and optionally `catalog` (default env SLUICE_CATALOG).
   * @example
   * ```ts
   * df.resolveChoice({ specs: [['provider id', 'cast:long']] });
   * df.resolveChoice({ choice: 'make_cols' });
   * df.resolveChoice({ choice: 'match_catalog', database: 'lake', tableName: 'medicare' });
   * ```
   */
  resolveChoice(params: ResolveChoiceParams, info?: NodeInfo): DataFrame<Row> {
    return T.ResolveChoice.apply({ frame: this, ...params, ...info });
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
   * `groupBy(...).agg(...)`, `groupByKey` not included). With no keys, one group over all rows.
   * See {@link GroupedFrame.agg}.
   *
   * @example
   * ```ts
   * df.groupBy('segment', 'country').agg({ amount: ['sum', 'amount'], orders: ['count'], buyers: ['countDistinct', 'customer_id'] });
   * ```
   */
  groupBy(...keys: ((keyof T & string) | Expr | (keyof T & string)[])[]): GroupedFrame {
    return new GroupedFrame(this, keys.flat().map(groupKey));
  }
  /**
   * Sorts all rows by keys, most significant first (Spark: `orderBy`, `sort`). The sort is
   * stable; nulls come first ascending and last descending, as in Spark, unless a key's
   * `nullsFirst` says otherwise. Reads its whole input before the first row comes out.
   *
   * @param keys column names (ascending), `{ column, descending?, nullsFirst? }`, expressions,
   *   `col('x').desc()` / `F.desc('x')`; a last `{ ascending: false }` (or one flag per key) as
   *   PySpark's `ascending=`.
   * @example
   * ```ts
   * df.orderBy('segment', { column: 'amount', descending: true });
   * df.orderBy(col('amount').desc(), 'id');
   * df.orderBy('a', 'b', { ascending: [true, false] });
   * ```
   */
  orderBy(...keys: (OrderItem | OrderItem[] | OrderOptions)[]): DataFrame<T> {
    return sortBy(this, keys) as unknown as DataFrame<T>;
  }
  /** `orderBy` by its other Spark name. */
  sort(...keys: (OrderItem | OrderItem[] | OrderOptions)[]): DataFrame<T> {
    return sortBy(this, keys) as unknown as DataFrame<T>;
  }
  // ---- nested data and collections (each delegates to transforms/<GlueName>.ts) --------------

  /**
   * Flattens nested data into relational tables (Glue: `Relationalize.apply`,
   * `DynamicFrame.relationalize`): the root table with structs as dotted columns and a bigint
   * join key per array, plus one table per array, `<name>_<column>`, with `id`, `index` and the
   * element (`<column>.val`, or `<column>.val.<field>` for structs).
   *
   * @param rootTableName the root table's name (default `roottable`), the prefix of the others.
   * @param stagingPath Glue's staging folder; accepted for compatibility, unused.
   * @example
   * ```ts
   * const tables = people.relationalize('root');
   * await tables.select('root_friends').show();   // id, index, friends.val.name, ...
   * ```
   */
  relationalize(rootTableName = 'roottable', stagingPath?: string, info?: NodeInfo): DynamicFrameCollection {
    return T.Relationalize.apply({ frame: this, name: rootTableName, ...(stagingPath ? { stagingPath } : {}), ...info });
  }

  /**
   * Flattens every struct into top-level columns named with dots (Glue: `DynamicFrame.unnest()`,
   * `UnnestFrame.apply`). A struct inside an array is flattened too, its fields named
   * `<array>.val.<field>` as in Glue; the array stays an array.
   *
   * @example
   * ```ts
   * df.unnest();   // address: {city, zip} → address.city, address.zip
   * ```
   */
  unnest(info?: NodeInfo): DataFrame<Row> {
    return T.Unnest.apply({ frame: this, ...info });
  }

  /**
   * Parses a string column into a struct under the same name (Glue: `DynamicFrame.unbox`,
   * `Unbox.apply`). Types are inferred over every value (the JSON reader's rules), so the whole
   * input is read before the schema is known; a value that does not parse becomes an error record.
   *
   * @param path the string column (dots reach into structs).
   * @param format `json`, or `csv` with `options.separator` (default `,`) and `options.withHeader`.
   * @param options also `withSchema`: the parsed type, declared (`'struct<city:string,zip:int32>'`):
   *   no inference pass (it streams), and a value that does not fit becomes an error record.
   * @example
   * ```ts
   * df.unbox('address', 'json');            // address: '{"city":"Paris"}' → address: struct<city>
   * df.unbox('line', 'csv', { separator: ';' }); // → line: struct<col0, col1, ...>
   * ```
   */
  unbox(path: FieldPath, format: 'json' | 'csv', options: { separator?: string; withHeader?: boolean; withSchema?: string } & NodeInfo = {}): DataFrame<Row> {
    return T.Unbox.apply({ frame: this, path, format, ...options });
  }

  /**
   * Splits the columns into a collection of two frames (Glue: `DynamicFrame.split_fields`,
   * `SplitFields.apply`): `name1` with the fields at `paths` (as selectFields), `name2` with the
   * rest (as dropFields).
   *
   * @example
   * ```ts
   * const parts = df.splitFields(['id', 'address.city'], 'picked', 'rest');
   * await parts.select('rest').show();
   * ```
   */
  splitFields(paths: FieldPath[], name1 = 'frame1', name2 = 'frame2', info?: NodeInfo): DynamicFrameCollection {
    return T.SplitFields.apply({ frame: this, paths, name1, name2, ...info });
  }
  /**
   * Splits the rows into a collection of two frames (Glue: `DynamicFrame.split_rows`,
   * `SplitRows.apply`): `name1` with the rows meeting every comparison, `name2` with all the
   * others, rows whose compared value is null included.
   *
   * @param comparisonDict `{ path: { operator: value } }`; operators `=`, `!=`, `<`, `<=`, `>`, `>=`, ANDed.
   * @example
   * ```ts
   * const byAge = df.splitRows({ age: { '>': 10, '<': 20 } }, 'teens', 'others');
   * ```
   */
  splitRows(comparisonDict: ComparisonDict, name1 = 'frame1', name2 = 'frame2', info?: NodeInfo): DynamicFrameCollection {
    return T.SplitRows.apply({ frame: this, comparisonDict, name1, name2, ...info });
  }
  /**
   * Passes the frame through and writes a sample of its rows as JSON lines to `path` when it has
   * been read to the end (Glue: `DynamicFrame.spigot`, `Spigot.apply`).
   *
   * @param options `topk` (default 100), `prob` (default 1), `seed` (default 0).
   * @example
   * ```ts
   * await df.spigot('samples/orders', { topk: 20, prob: 0.1 }).write.parquet('lake/orders');
   * ```
   */
  spigot(path: string, options: SpigotOptions = {}, info?: NodeInfo): DataFrame<T> {
    return T.Spigot.apply({ frame: this, path, options, ...info }) as unknown as DataFrame<T>;
  }

  /** The first `n` rows (Spark: `limit`); stops reading upstream once it has them. */
  limit(n: number): DataFrame<T> {
    return this.derive<T>('Limit', { n });
  }

  /**
   * One row per element of an array column (or entry of a map column, as columns `key` and
   * `value`), the other columns repeated (Spark: `explode`, `posexplode`, `explode_outer`).
   *
   * @param column the array or map column.
   * @param options `as` names the element column (default: `column`'s own name, in its place);
   *   `position` adds a column with each element's 0-based position; `outer` keeps a row whose
   *   array is null or empty, with a null element.
   * @example
   * ```ts
   * orders.explode('items', { as: 'item', position: 'line' });   // SELECT *, posexplode(items) AS (line, item)
   * ```
   */
  explode(column: string, options: Omit<ExplodeParams, 'column'> & NodeInfo = {}): DataFrame<Row> {
    return T.Explode.apply({ frame: this, column, ...options });
  }

  // ---- Spark's DataFrame API, for ported scripts (each delegates to spark/ or a transform) -----

  /**
   * Adds or replaces one column (Spark: `withColumn`): `withColumns` with one entry. A generator
   * (`F.explode('items')`) makes one row per element, as in Spark.
   *
   * @example
   * ```ts
   * df.withColumn('total', col('price').mul(col('qty'))).withColumn('day', 'to_date(ts)');
   * ```
   */
  withColumn(name: string, expression: ExprInput, info?: NodeInfo): DataFrame<Row> {
    const generator = expression instanceof Expr ? generatorOf(expression.node) : undefined;
    if (!generator) return this.withColumns({ [name]: expression }, info);
    // withColumn('item', F.explode('items')): the array in the new column, then one row per element.
    return T.Explode.apply({
      frame: this.withColumns({ [name]: generator.arg }), column: name, ...info,
      ...(generator.fn.startsWith('pos') ? { position: 'pos' } : {}),
      ...(generator.fn.endsWith('_outer') ? { outer: true } : {}),
    });
  }
  /** Renames one column (Spark: `withColumnRenamed`); unlike Spark, a missing column is an error naming the columns there are. */
  withColumnRenamed(existing: string, newName: string, info?: NodeInfo): DataFrame<Row> {
    return this.renameField(existing, newName, info);
  }
  /**
   * Picks and computes columns (Spark: `select`): column names (`'a'`, `'address.city'` → `city`),
   * `'*'` first for every column, and expressions, named by `.alias(...)` or else by their SQL
   * text. Every expression sees this frame's columns.
   *
   * @example
   * ```ts
   * df.select('id', col('price').mul(col('qty')).alias('total'), F.upper('name').alias('name'));
   * df.select('*', F.year('ts').alias('year'));
   * ```
   */
  select(...items: (SelectItem | SelectItem[])[]): DataFrame<Row> {
    return selectEntries(this, items.flat().map(selectEntry), 'select');
  }
  /**
   * `select` of Spark SQL texts, each optionally ending in `AS alias` (Spark: `selectExpr`).
   *
   * @example
   * ```ts
   * df.selectExpr('id', 'price * qty AS total', "upper(name) name", '*');
   * ```
   */
  selectExpr(...sql: (string | string[])[]): DataFrame<Row> {
    return selectEntries(this, sql.flat().map(selectExprEntry), 'selectExpr');
  }
  /** `filter` by its SQL name (Spark: `where`). */
  where(condition: ExprInput | RowPredicate<T>, info?: NodeInfo): DataFrame<T> {
    return this.filter(condition, info);
  }
  /** The distinct rows, first occurrence kept, in input order (Spark: `distinct`). */
  distinct(info?: NodeInfo): DataFrame<T> {
    return this.dropDuplicates(undefined, info);
  }
  /** Drops top-level columns by name (Spark: `drop`); a nested path drops a struct's child as in `dropFields`. */
  drop(...columns: (string | string[])[]): DataFrame<Row> {
    return this.dropFields(columns.flat());
  }
  /**
   * Aggregates over all rows: one row (Spark: `df.agg(...)`, a `groupBy()` with no keys).
   *
   * @example
   * ```ts
   * df.agg(F.count('*').alias('n'), F.max('amount'));
   * ```
   */
  agg(...aggregates: (Expr | Expr[])[]): DataFrame<Row>;
  agg(aggregates: Record<string, string>): DataFrame<Row>;
  agg(...aggregates: unknown[]): DataFrame<Row> {
    return new GroupedFrame(this, []).agg(...(aggregates as [Record<string, string>]));
  }
  /**
   * The rows of this frame then those of `other`, columns matched by name (Spark: `unionByName`).
   * As in Spark, both must have the same columns unless `allowMissingColumns` (then a missing
   * column is null); differing types widen. `union` is the Glue form, which always allows missing columns.
   *
   * @example
   * ```ts
   * january.unionByName(february, { allowMissingColumns: true });
   * ```
   */
  unionByName(other: DataFrame<Row>, options: { allowMissingColumns?: boolean } = {}, info?: NodeInfo): DataFrame<Row> {
    return T.Union.apply({ frame1: this, frame2: other, allowMissingColumns: options.allowMissingColumns ?? false, ...info });
  }
  /** Missing-value handling (Spark: `df.na`): `na.fill(...)`, `na.drop(...)`. See {@link NaFunctions}. */
  get na(): NaFunctions<T> {
    return new NaFunctions(this);
  }
  /** `na.fill` by its Spark name (`fillna`). */
  fillna(value: Parameters<NaFunctions['fill']>[0], subset?: string | string[]): DataFrame<T> {
    return this.na.fill(value, subset);
  }
  /** `na.drop` by its Spark name (`dropna`). */
  dropna(options?: Parameters<NaFunctions['drop']>[0]): DataFrame<T> {
    return this.na.drop(options);
  }
  /**
   * With no names, this frame (Glue: `dynamicFrame.toDF()`, the conversion Glue scripts call
   * before Spark methods — here one class serves both); with names, every column renamed by
   * position (Spark: `toDF(*names)`).
   *
   * @example
   * ```ts
   * const df = glueContext.createDynamicFrame.fromOptions(...).toDF();
   * df.toDF('id', 'name');
   * ```
   */
  toDF(...names: string[]): DataFrame<Row> {
    return names.length === 0 ? this : T.ToDF.apply({ frame: this, names });
  }
  /**
   * The frame itself (Glue: `DynamicFrame.fromDF(df, glueContext, name)`, the conversion back
   * from a Spark DataFrame; DataFrame and DynamicFrame are one class here).
   *
   * @param name Glue's frame name, kept for the signature (the steps' names come from `transformationCtx`).
   */
  static fromDF<R extends Row>(frame: DataFrame<R>, _glueContext?: unknown, _name?: string): DataFrame<R> {
    if (!(frame instanceof DataFrame)) throw new SluiceError('DynamicFrame.fromDF: the first argument must be a DataFrame');
    return frame;
  }
  /**
   * The output's column names (Spark: `df.columns`; a promise here, as finding them checks the plan).
   *
   * @example
   * ```ts
   * for (const c of await df.columns) df = df.withColumnRenamed(c, c.toLowerCase());
   * ```
   */
  get columns(): Promise<string[]> {
    return this.schema().then((s) => s.fields.map((f) => f.name));
  }
  /**
   * `[name, type]` per output column, types as Spark names them: `int`, `bigint`, `double`,
   * `string`, `decimal(10,2)`, `array<string>`, … (Spark: `df.dtypes`; a promise here).
   */
  get dtypes(): Promise<[string, string][]> {
    return this.schema().then((s) => s.fields.map((f) => [f.name, sparkTypeName(f.type)] as [string, string]));
  }
  /** Runs the plan; the first `n` rows as objects (Spark: `take(n)`, `head(n)`). */
  async take(n: number): Promise<T[]> {
    return this.limit(n).toRows();
  }
  /** Runs the plan; the first row, or null when there is none (Spark: `first()`). */
  async first(): Promise<T | null> {
    return (await this.take(1))[0] ?? null;
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
    const plan = optimisePlan(await resolveDeferredScans(pushDownFilters(this.plan, transformDefs)), columns ? new Set(columns) : null, transformDefs);
    return preparePlan(plan, { registry: transformDefs, signal });
  }

  /**
   * The output's Arrow schema (Spark: `df.schema`), checking every step on the way. Reads only
   * schema samples (inference), not the data — but for a step whose output columns depend on
   * the data (`dropNullFields`, and `map`/`flatMap` without a declared schema).
   */
  async schema(): Promise<Schema> {
    return (await this.prepare()).schema;
  }

  /**
   * Prints the schema as Glue's `printSchema()` does (`root`, `|-- name: type`, nested fields and a
   * choice's alternatives one level in) and returns the text (Glue: `DynamicFrame.printSchema`;
   * Spark's `printSchema` is the same tree). Like Glue's, it reads the data once: a column that
   * widens or becomes a choice after the sampled rows shows its final type (`schema()` does not read).
   *
   * @param print where the text goes (default `console.log`).
   * @example
   * ```ts
   * await read.csv('medicare.csv', { withHeader: true }).printSchema();
   * // root
   * // |-- Provider Id: choice
   * // |    |-- int
   * // |    |-- string
   * ```
   */
  async printSchema(print: (text: string) => void = console.log): Promise<string> {
    const schema = await withWidening(async () => {
      const { schema, chunks } = await this.runStream();
      for await (const chunk of chunks) void chunk;
      return schema;
    });
    const text = printSchemaText(schema);
    print(text);
    return text;
  }

  /** The transform definitions and run options an action executes with (see exec/parallel/executePlan.ts). */
  execOptions(run: RunOptions = {}): ExecutePlanOptions {
    return { ...run, registry: transformDefs };
  }

  /**
   * Runs the plan as a stream of batches with their error records: split-parallel on worker
   * threads where the plan and input allow, with the same rows in the same order as inline.
   * For results too large to hold in memory. Every batch has the returned schema: when a CSV or
   * JSON column was inferred from samples and a later value widens it, the run starts over with
   * the wider type before the first batch is handed out — such a stream (an inferred CSV/JSON
   * schema) runs to its end first, keeping up to `bufferBytes` (64 MiB) in memory and the rest in
   * a temp Arrow IPC file (exec/settledStream.ts). Declare the `schema` to stream at once.
   *
   * @param options an `AbortSignal`, or run options (`threads`, `parallel`, `splitSize`, `signal`, `bufferBytes`).
   * @example
   * ```ts
   * const { chunks } = await df.stream();
   * for await (const { batch, errors } of chunks) console.log(batch.numRows, errors.length);
   * ```
   */
  async stream(options?: AbortSignal | (RunOptions & { bufferBytes?: number })): Promise<{ schema: Schema; chunks: ChunkStream }> {
    const { bufferBytes, ...run } = options instanceof AbortSignal ? { signal: options, bufferBytes: undefined } : options ?? {};
    return settledStream(() => this.execute(run), bufferBytes);
  }

  /** The run as it comes, for actions that restart on a widen signal themselves (withWidening). */
  private async runStream(options?: RunOptions): Promise<{ schema: Schema; chunks: ChunkStream }> {
    const prepared = await this.execute(options);
    return { schema: prepared.schema, chunks: prepared.run() };
  }

  /** As `prepare`, for running: through executePlan, which fans parallel regions out to workers. */
  private async execute(run: RunOptions = {}, columns?: string[]): Promise<PreparedPlan> {
    const plan = optimisePlan(await resolveDeferredScans(pushDownFilters(this.plan, transformDefs)), columns ? new Set(columns) : null, transformDefs);
    return executePlan(plan, this.execOptions(run));
  }

  /**
   * Runs the plan and keeps everything in memory: the rows as an Arrow Table, and the error
   * records (Spark: `collect`, with Glue's error records beside).
   *
   * @param options run options: `threads`, `parallel: false`, `splitSize`, `signal` to cancel.
   */
  async collect(options?: RunOptions): Promise<{ table: Table; errors: ErrorRecord[] }> {
    // A column that widens after the sampled rows starts the run over (exec/widening.ts).
    return withWidening(async () => {
      const { schema, chunks } = await this.runStream(options);
      const batches: RecordBatch[] = [];
      const errors: ErrorRecord[] = [];
      for await (const c of chunks) {
        if (c.batch.numRows > 0) batches.push(c.batch);
        for (const e of c.errors) errors.push(e);
      }
      return { table: batches.length ? new Table(batches) : new Table(schema), errors };
    });
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
    return withWidening(async () => {
      const chunks = (await this.execute(options, [])).run();
      let n = 0;
      for await (const c of chunks) n += c.batch.numRows;
      return n;
    });
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
   * Runs the plan; how many error records this step itself raised, upstream ones left out
   * (Glue: `stageErrorsCount()`). Errors are attributed by the step's label (its
   * `transformationCtx`, else its transform name): give steps of the same transform distinct
   * `transformationCtx` values to count them apart.
   *
   * @example
   * ```ts
   * const mapped = df.map(fix, { transformationCtx: 'fix' });
   * console.log(await mapped.stageErrorsCount(), await mapped.errorsCount());
   * ```
   */
  async stageErrorsCount(): Promise<number> {
    const label = nodeLabel(this.plan);
    return (await this.collect()).errors.filter((e) => e.node === label).length;
  }

  /**
   * Runs the plan and throws when its error records pass this step's `stageThreshold` or
   * `totalThreshold` (Glue: `assertErrorThreshold()`); 0, the default, means no limit. The same
   * check every action makes while it runs, as an explicit action.
   *
   * @example
   * ```ts
   * await df.map(fix, { stageThreshold: 10 }).assertErrorThreshold();   // throws past 10 error records
   * ```
   */
  async assertErrorThreshold(): Promise<void> {
    await this.collect();
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
   * @param aggregations Spark's aggregates of `F` (`F.sum('x').alias('total')`, `F.count('*')`,
   *   `F.avg`, `F.mean`, `F.min`, `F.max`, `F.countDistinct`, `F.variance`, `F.stddev`, `F.first`,
   *   `F.last`, `F.collect_list`, `F.collect_set`, `F.percentile_approx(x, p | [p…], accuracy?)`,
   *   `F.percentile`, `F.max_by(x, ord)`, `F.min_by`, `F.bool_and`/`F.every`, `F.bool_or`/`F.some`,
   *   `F.count_if`; unaliased ones are named `sum(x)`,
   *   `count(1)` as in Spark), PySpark's `{ column: 'sum' }`, or sluice's record
   *   `{ outName: [fn, column?] }` / list `{ name, fn, column?, by?, percentage?, accuracy? }` with `fn` one of `count`, `sum`,
   *   `min`, `max`, `avg`, `countDistinct`, `variance`, `variancePop`, `stddev`, `stddevPop` (the
   *   sample forms are Spark's `variance`/`stddev`), `first`, `last`, `firstIgnoreNulls`,
   *   `lastIgnoreNulls` (in input order), `collectList`/`collectSet` (a list per group),
   *   `percentileApprox`/`percentile` (with `percentage`), `maxBy`/`minBy` (with `by`).
   * @example
   * ```ts
   * df.groupBy('segment').agg(F.sum('amount').alias('total'), F.count('*').alias('orders'));
   * df.groupBy('segment').agg({ total: ['sum', 'amount'], orders: ['count'], avgAmount: ['avg', 'amount'] });
   * df.groupBy('customer').agg(F.max_by('status', 'updated_at').alias('latest'), F.percentile_approx('amount', 0.5));
   * ```
   */
  agg(...aggregates: (Expr | Expr[])[]): DataFrame<Row>;
  agg(aggregations: Aggregation[] | Record<string, [Aggregation['fn'], string?]> | Record<string, string>, info?: NodeInfo): DataFrame<Row>;
  agg(...args: unknown[]): DataFrame<Row> {
    const first = args[0];
    if (first instanceof Expr || (Array.isArray(first) && first[0] instanceof Expr)) return aggregateExprs(this.frame, this.keys, (args as (Expr | Expr[])[]).flat());
    const [aggregations, info] = args as [Aggregation[] | Record<string, [Aggregation['fn'], string?] | string>, NodeInfo | undefined];
    if (!Array.isArray(aggregations) && typeof aggregations === 'object' && aggregations !== null
      && Object.values(aggregations).length > 0 && Object.values(aggregations).every((v) => typeof v === 'string')) {
      return aggregateDict(this.frame, this.keys, aggregations as Record<string, string>);
    }
    const list = Array.isArray(aggregations)
      ? aggregations
      : Object.entries(aggregations as Record<string, [Aggregation['fn'], string?]>).map(([name, [fn, column]]) => (column === undefined ? { name, fn } : { name, fn, column }));
    return T.GroupBy.apply({ frame: this.frame, keys: this.keys, aggregations: list, ...info });
  }
  /** Rows per group, in a column `count` (Spark: `groupBy(...).count()`). */
  count(): DataFrame<Row> {
    return T.GroupBy.apply({ frame: this.frame, keys: this.keys, aggregations: [{ name: 'count', fn: 'count' }] });
  }
  /** `sum(c)` per group of each column (Spark: `groupBy(...).sum(...)`). */
  sum(...columns: string[]): DataFrame<Row> { return this.each('sum', columns); }
  /** `avg(c)` per group of each column (Spark: `groupBy(...).avg(...)`, `mean`). */
  avg(...columns: string[]): DataFrame<Row> { return this.each('avg', columns); }
  /** `avg` by its other Spark name. */
  mean(...columns: string[]): DataFrame<Row> { return this.each('avg', columns); }
  /** `min(c)` per group of each column (Spark: `groupBy(...).min(...)`). */
  min(...columns: string[]): DataFrame<Row> { return this.each('min', columns); }
  /** `max(c)` per group of each column (Spark: `groupBy(...).max(...)`). */
  max(...columns: string[]): DataFrame<Row> { return this.each('max', columns); }

  private each(fn: 'sum' | 'avg' | 'min' | 'max', columns: string[]): DataFrame<Row> {
    if (columns.length === 0) throw new SluiceError(`groupBy(...).${fn}(): name the columns (Spark's all-numeric-columns default is not supported)`);
    return aggregateExprs(this.frame, this.keys, columns.map((c) => new Expr({ kind: 'call', fn, args: [{ kind: 'col', name: c }] } as ExprNode)));
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

/** A groupBy key: a column name or `col('name')` (group by an expression: withColumn first). */
function groupKey(key: string | Expr): string {
  if (typeof key === 'string') return key;
  if (key instanceof Expr && key.node.kind === 'col') return key.node.name;
  throw new SluiceError(`groupBy: a key is a column name or col('name'), got ${String(key)}; compute an expression first with withColumn`);
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
