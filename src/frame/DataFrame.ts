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

export type Row = Record<string, unknown>;

/**
 * An immutable, lazy table: a plan that produces a schema and a stream of Arrow RecordBatches.
 * Transform methods return a new DataFrame (nothing runs); actions (toRows, count, show, write…)
 * run the plan. `DynamicFrame` is the Glue name for the same class.
 *
 * The type parameter is the row shape; it narrows through selectFields, dropFields, renameField
 * and join, and widens to `Row` where a transform's output cannot be known statically.
 */
export class DataFrame<T extends Row = Row> {
  constructor(readonly plan: PlanNode) {}

  // ---- constructors ------------------------------------------------------------------------

  /** From plain row objects; the schema is inferred from the values unless given. */
  static fromRows<R extends Row>(rows: readonly R[], schema?: Schema | Record<string, string>): DataFrame<R> {
    const resolved = schema ? toSchema(schema) : inferSchema(rows);
    const columns = resolved.fields.map((f) => columnFromValues(f.type, rows.map((r) => ownField(r, f.name) ?? null)));
    return DataFrame.fromBatches<R>(resolved, [makeBatch(resolved, columns, rows.length)]);
  }

  /** From column arrays `{ a: [1, 2], b: ['x', 'y'] }`. */
  static fromColumns<R extends Row>(columns: { [K in keyof R]: readonly R[K][] }, schema?: Schema | Record<string, string>): DataFrame<R> {
    const names = Object.keys(columns);
    const length = names.length ? (columns[names[0]] as unknown[]).length : 0;
    const resolved = schema
      ? toSchema(schema)
      : new Schema(names.map((n) => new Field(n, inferTypeOfValues(columns[n] as unknown[]), true)));
    const data = resolved.fields.map((f) => columnFromValues(f.type, (columns[f.name] as unknown[]) ?? new Array(length).fill(null)));
    return DataFrame.fromBatches<R>(resolved, [makeBatch(resolved, data, length)]);
  }

  /** From an Arrow Table (its batches are shared, not copied). */
  static fromArrow<R extends Row = Row>(table: Table): DataFrame<R> {
    return DataFrame.fromBatches<R>(table.schema, table.batches);
  }

  static fromBatches<R extends Row = Row>(schema: Schema, batches: RecordBatch[], errors?: ErrorRecord[]): DataFrame<R> {
    return new DataFrame<R>({ kind: 'values', schema, batches, errors });
  }

  // ---- plan building -----------------------------------------------------------------------

  /** A new frame whose plan applies transform `name` to this frame (and `others`). */
  derive<U extends Row = Row>(name: string, params: Record<string, unknown>, others: DataFrame<Row>[] = [], info: NodeInfo = {}): DataFrame<U> {
    const node: PlanNode = { kind: 'transform', name, inputs: [this.plan, ...others.map((o) => o.plan)], params, ...nodeInfoOf(info) };
    return new DataFrame<U>(node);
  }

  /** The plan as an indented tree. */
  explain(): string {
    return explainPlan(this.plan);
  }

  // ---- Glue transforms (each delegates to transforms/<GlueName>.ts) -------------------------

  /**
   * Any transform of one input, by its definition or its registered name, with the parameters
   * its `apply` takes beside the frame: `df.transform(Concatenate, { colName, colList })`, or
   * `df.transform('Concatenate', {...})`. The methods below are typed shorthands for the same.
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

  applyMapping(mappings: Mapping[], info?: NodeInfo): DataFrame<Row> {
    return T.ApplyMapping.apply({ frame: this, mappings, ...info });
  }
  selectFields<K extends keyof T & string>(paths: K[], info?: NodeInfo): DataFrame<Pick<T, K>>;
  selectFields(paths: FieldPath[], info?: NodeInfo): DataFrame<Row>;
  selectFields(paths: string[], info?: NodeInfo): DataFrame<Row> {
    return T.SelectFields.apply({ frame: this, paths, ...info });
  }
  dropFields<K extends keyof T & string>(paths: K[], info?: NodeInfo): DataFrame<Omit<T, K>>;
  dropFields(paths: FieldPath[], info?: NodeInfo): DataFrame<Row>;
  dropFields(paths: string[], info?: NodeInfo): DataFrame<Row> {
    return T.DropFields.apply({ frame: this, paths, ...info });
  }
  renameField<O extends keyof T & string, N extends string>(oldName: O, newName: N, info?: NodeInfo): DataFrame<Omit<T, O> & Record<N, T[O]>>;
  renameField(oldName: FieldPath, newName: string, info?: NodeInfo): DataFrame<Row>;
  renameField(oldName: string, newName: string, info?: NodeInfo): DataFrame<Row> {
    return T.RenameField.apply({ frame: this, oldName, newName, ...info });
  }
  /** Keeps the rows where an expression is TRUE, or where a row function returns true. */
  filter(condition: ExprInput | RowPredicate<T>, info?: NodeInfo): DataFrame<T> {
    return T.Filter.apply({ frame: this, f: condition as ExprInput | RowPredicate<Row>, ...info }) as unknown as DataFrame<T>;
  }
  /**
   * Applies a row function record → record. Prefer withColumns for columnar speed. The output
   * keeps the input's columns unless `schema` (`{"name": "type"}`) declares the result's.
   */
  map<U extends Row = Row>(f: RowFunction<T, U>, options?: NodeInfo & { schema?: Record<string, string> }): DataFrame<U> {
    return T.Map.apply({ frame: this, f: f as RowFunction<Row, Row>, ...options }) as unknown as DataFrame<U>;
  }
  /** Adds or replaces columns computed by expressions, evaluated column-wise. */
  withColumns(columns: Record<string, ExprInput>, info?: NodeInfo): DataFrame<Row> {
    return T.WithColumns.apply({ frame: this, columns, ...info });
  }
  join<U extends Row>(other: DataFrame<U>, keys1: string[], keys2: string[], how: JoinType = 'inner', info?: NodeInfo): DataFrame<T & U> {
    return T.Join.apply({ frame1: this, frame2: other, keys1, keys2, how, ...info }) as unknown as DataFrame<T & U>;
  }
  union(other: DataFrame<T>, info?: NodeInfo): DataFrame<T> {
    return T.Union.apply({ frame1: this, frame2: other, ...info }) as unknown as DataFrame<T>;
  }
  dropNullFields(info?: NodeInfo): DataFrame<Row> {
    return T.DropNullFields.apply({ frame: this, ...info });
  }
  dropDuplicates(columns?: (keyof T & string)[], info?: NodeInfo): DataFrame<T> {
    return T.DropDuplicates.apply({ frame: this, columns, ...info }) as unknown as DataFrame<T>;
  }
  /**
   * Groups rows by key columns; `.agg(...)` names the aggregates:
   * `df.groupBy('segment').agg({ amount: ['sum', 'amount'], orders: ['count'] })`.
   */
  groupBy(...keys: (keyof T & string)[]): GroupedFrame {
    return new GroupedFrame(this, keys);
  }
  /** Sorts all rows (stable): `orderBy('segment', { column: 'amount', descending: true })`. */
  orderBy(...keys: (string | SortKey)[]): DataFrame<T> {
    const sortKeys = keys.map((k) => (typeof k === 'string' ? { column: k } : k));
    return T.OrderBy.apply({ frame: this, keys: sortKeys }) as unknown as DataFrame<T>;
  }
  /** The first `n` rows. */
  limit(n: number): DataFrame<T> {
    return this.derive<T>('Limit', { n });
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

  /** Runs the plan and keeps everything in memory: the rows as an Arrow Table, and the errors. */
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

  /** Runs the plan once and returns a frame over the in-memory result (errors included). */
  async cache(): Promise<DataFrame<T>> {
    const { table, errors } = await this.collect();
    return DataFrame.fromBatches<T>(table.schema, table.batches, errors);
  }

  async toArrow(): Promise<Table> {
    return (await this.collect()).table;
  }

  async toRows(): Promise<T[]> {
    return tableRows<T>(await this.toArrow());
  }

  /** Column arrays `{ a: [...], b: [...] }`: the easiest shape to compare in tests. */
  async toColumns(): Promise<{ [K in keyof T]: T[K][] }> {
    const table = await this.toArrow();
    const out: Record<string, unknown[]> = {};
    table.schema.fields.forEach((f, i) => {
      out[f.name] = table.batches.flatMap((b) => columnValues(b.data.children[i] as Data));
    });
    return out as { [K in keyof T]: T[K][] };
  }

  async count(options?: RunOptions): Promise<number> {
    const chunks = (await this.execute(options, [])).run();
    let n = 0;
    for await (const c of chunks) n += c.batch.numRows;
    return n;
  }

  /** Prints the schema-aware first `n` rows as an aligned table, and returns the text. */
  async show(n = 20, print: (text: string) => void = console.log): Promise<string> {
    const table = await this.limit(n).toArrow();
    const text = formatTable(table.schema, tableRows(table));
    print(text);
    return text;
  }

  async errorsCount(): Promise<number> {
    return (await this.collect()).errors.length;
  }

  /** The error records as a frame: message, file, line, column, raw, node, record (JSON). */
  async errorsAsDynamicFrame(): Promise<DataFrame<ErrorRow>> {
    const { errors } = await this.collect();
    return DataFrame.fromRows<ErrorRow>(errors.map(errorRow), ERROR_SCHEMA);
  }

  /** Writers: `df.write.parquet(path, { partitionKeys })`, `.csv(path)`, `.json(path)`. */
  get write(): DataFrameWriter {
    return new DataFrameWriter(this);
  }
}

/** A frame waiting for its aggregates: the result of `groupBy`. */
export class GroupedFrame {
  constructor(private readonly frame: DataFrame<Row>, private readonly keys: string[]) {}

  /**
   * Aggregates per group, as a list (`{ name, fn, column? }`) or a record
   * `{ outName: [fn, column?] }`; fn is count, sum, min, max, avg or countDistinct.
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
