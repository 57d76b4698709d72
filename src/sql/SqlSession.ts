import { Schema } from 'apache-arrow';
import { DataFrame } from '../frame/DataFrame.js';
import { read, readFrame } from '../frame/read.js';
import { tempView, tempViewNames } from '../frame/tempViews.js';
import { explainPlan } from '../plan/explain.js';
import { SluiceError } from '../types/ErrorRecord.js';
import { nearestName } from '../types/nearestName.js';
import { compileQuery } from './compileQuery.js';
import { parseSql } from './SqlParser.js';
import type { CompileContext, Relation } from './Relation.js';
import type { Query } from './ast.js';
import { SqlSyntaxError } from './SqlSyntaxError.js';
import { Catalog } from '../catalog/Catalog.js';
import { readTable } from '../frame/readTable.js';
import { registerUdf } from '../expr/udfRegistry.js';
import { runCommand, type CommandScope } from './catalogCommands.js';

/**
 * Finds a table that is not a view: `['db', 'table']` for a catalog table. Returns undefined
 * when it has no such table. The Data Catalog plugs in here (`setCatalogResolver`).
 */
export type TableResolver = (parts: string[]) => Promise<DataFrame | undefined> | DataFrame | undefined;

let catalogResolver: TableResolver | undefined;

/** Sets the resolver every session uses for `db.table` names it does not hold itself (the Data Catalog). */
export function setCatalogResolver(resolver: TableResolver | undefined): void {
  catalogResolver = resolver;
}

/** The default resolver: `database.table` from the Data Catalog (the session's, else env SLUICE_CATALOG, else `.sluice/catalog`). */
async function catalogTable(parts: string[], root?: string): Promise<DataFrame | undefined> {
  if (parts.length !== 2) return undefined;
  const [database, table] = parts.map((p) => p.toLowerCase());
  const catalog = Catalog.open(root);
  if (!(await catalog.getTable(database, table))) return undefined;
  return readTable({ database, table }, { catalog });
}

export interface SqlSessionOptions {
  /** Tables of this session only, by name (matched case-insensitively); they hide temp views of the same name. */
  tables?: Record<string, DataFrame>;
  /** Resolves names neither the session nor the temp views hold (default: the catalog resolver, if one is set). */
  resolveTable?: TableResolver;
  /** The Data Catalog's root (a folder or s3:// prefix) for `db.table`, SHOW and DESCRIBE; default env SLUICE_CATALOG, else `.sluice/catalog`. */
  catalog?: string;
}

/**
 * Spark SQL over frames: `session.sql(text)` compiles one SELECT statement to a lazy DataFrame
 * whose plan is made of the same transforms as the fluent API (Filter, Join, GroupBy, OrderBy…),
 * so it streams, runs split-parallel and reads only the columns it uses. Tables are the
 * session's own (`tables`), temp views (`df.createOrReplaceTempView`), paths
 * (``parquet.`lake/orders` ``, ``csv.`…` ``, ``json.`…` ``) and, through the resolver, catalog tables.
 * Names of tables and columns match case-insensitively; backticks quote.
 *
 * @example
 * ```ts
 * const session = new SqlSession({ tables: { orders: read.parquet('lake/orders') } });
 * const top = await session.sql('SELECT customer_id, sum(amount) AS total FROM orders GROUP BY customer_id ORDER BY total DESC LIMIT 10');
 * await top.show();
 * ```
 */
export class SqlSession {
  /**
   * UDFs callable by name from SQL and expressions (Spark: `spark.udf.register(name, f, returnType)`);
   * see {@link registerUdf}. A module reference `{ module, export }` runs on worker threads too.
   *
   * @example
   * ```ts
   * session.udf.register('plus_one', { module: './udfs.mjs', export: 'plusOne' }, 'int');
   * await session.sql('SELECT plus_one(qty) FROM orders');
   * ```
   */
  readonly udf: UdfRegistration = udfRegistration;

  private readonly tables = new Map<string, DataFrame>();
  private readonly resolveTable?: TableResolver;
  private readonly catalogRoot?: string;

  constructor(options: SqlSessionOptions = {}) {
    for (const [name, df] of Object.entries(options.tables ?? {})) this.tables.set(name.toLowerCase(), df);
    if (options.resolveTable) this.resolveTable = options.resolveTable;
    if (options.catalog !== undefined) this.catalogRoot = options.catalog;
  }

  /** Adds or replaces a table of this session (Spark: `createOrReplaceTempView`, session-scoped). */
  register(name: string, df: DataFrame): this {
    this.tables.set(name.toLowerCase(), df);
    return this;
  }

  /** The names SQL can read without a resolver: this session's tables and the temp views. */
  tableNames(): string[] {
    return [...new Set([...this.tables.keys(), ...tempViewNames()])];
  }

  /** A table by name, as a frame (Spark: `spark.table(name)`). */
  async table(name: string): Promise<DataFrame> {
    return (await this.lookup(name.split('.'))) ?? this.unknownTable(name.split('.'));
  }

  /**
   * Runs nothing: parses and compiles one SQL statement into a lazy DataFrame (Spark:
   * `spark.sql`). Reads schema samples of the tables it names, to resolve column names.
   * `EXPLAIN SELECT …` gives a one-column frame (`plan`) holding the plan's text; `SHOW DATABASES`,
   * `SHOW TABLES [IN db]` and `DESCRIBE [TABLE] t` give Spark's columns (catalogCommands.ts).
   *
   * @param text one SELECT statement (WITH, UNION, INTERSECT, EXCEPT; a trailing `;` is fine), or SHOW / DESCRIBE.
   * @throws SqlSyntaxError naming the line and column, with a caret under the offending token.
   */
  async sql(text: string): Promise<DataFrame> {
    const statement = parseSql(text);
    if (statement.command) return runCommand(this.commandScope(text), statement.command);
    const rel = await this.compile(text, statement.query!, statement.positions);
    if (statement.explain) return DataFrame.fromColumns({ plan: [explainPlan(rel.df.plan)] });
    return rel.df;
  }

  /** The plan a statement compiles to, as text (Spark: `EXPLAIN`). */
  async explain(text: string): Promise<string> {
    const statement = parseSql(text);
    if (!statement.query) throw new SluiceError('EXPLAIN explains a query; SHOW and DESCRIBE have no plan');
    return explainPlan((await this.compile(text, statement.query, statement.positions)).df.plan);
  }

  private commandScope(source: string): CommandScope {
    return {
      catalog: () => Catalog.open(this.catalogRoot),
      temporaryNames: () => this.tableNames(),
      schemaOf: async (parts, pos) => (await this.tableAt(source, parts, pos)).schema(),
    };
  }

  private async compile(source: string, query: Query, positions: WeakMap<object, number>): Promise<Relation> {
    let counter = 0;
    const ctx: CompileContext = {
      source,
      positions,
      fresh: (prefix = 't') => `__${prefix.replace(/[^A-Za-z0-9_]/g, '')}_${++counter}`,
      table: async (parts, pos) => {
        const df = await this.tableAt(source, parts, pos);
        return relationOf(df);
      },
      path: async (format, path) => relationOf(readFrame({ format, paths: path })),
      compile: (q) => compileQuery(ctx, q),
    };
    return compileQuery(ctx, query);
  }

  /** The table a query names at `pos`, or a syntax error pointing there that says what is known. */
  private async tableAt(source: string, parts: string[], pos: number): Promise<DataFrame> {
    const df = await this.lookup(parts);
    if (df) return df;
    try {
      this.unknownTable(parts);
    } catch (error) {
      throw SqlSyntaxError.at(source, pos, (error as Error).message);
    }
  }

  private async lookup(parts: string[]): Promise<DataFrame | undefined> {
    if (parts.length === 1) {
      const own = this.tables.get(parts[0].toLowerCase());
      if (own) return own;
      const view = tempView(parts[0]);
      if (view) return new DataFrame(view);
    }
    const resolver = this.resolveTable ?? catalogResolver ?? ((p: string[]) => catalogTable(p, this.catalogRoot));
    return await resolver(parts);
  }

  private unknownTable(parts: string[]): never {
    const name = parts.join('.');
    const known = this.tableNames();
    if (parts.length > 1 && !(this.resolveTable ?? catalogResolver)) {
      throw new SluiceError(`table '${name}' is not in the Data Catalog at ${Catalog.open(this.catalogRoot).root} (chosen by sluice sql --catalog or the session's catalog option, else env SLUICE_CATALOG, else .sluice/catalog; \`sluice crawl\` adds tables), nor a view: register a frame with df.createOrReplaceTempView('${parts[parts.length - 1]}') or read a path (parquet.\`s3://…\`)`);
    }
    const near = nearestName(name, known);
    throw new SluiceError(`table or view '${name}' not found${near ? ` (did you mean '${near}'?)` : ''}; known: ${known.join(', ') || '(none)'}`);
  }
}


async function relationOf(df: DataFrame): Promise<Relation> {
  const schema: Schema = await df.schema();
  return { df, columns: schema.fields.map((f) => ({ name: f.name, internal: f.name })) };
}

/** `spark.udf` / `session.udf`: registers UDFs by name (one registry per process, as in a Spark session). */
export interface UdfRegistration { register: typeof registerUdf }

const udfRegistration: UdfRegistration = { register: registerUdf };

/** The session behind `spark.sql` and `glueContext.sql`. */
export const defaultSession = new SqlSession();

/**
 * For ported PySpark/Glue scripts: `spark.sql(text)` (awaited: it returns a Promise of a lazy
 * DataFrame), `spark.table(name)`, `spark.read` and `spark.udf.register(name, f, returnType)`.
 *
 * @example
 * ```ts
 * df.createOrReplaceTempView('orders');
 * const out = await spark.sql('SELECT * FROM orders WHERE amount > 100');
 * ```
 */
export const spark: { sql(text: string): Promise<DataFrame>; table(name: string): Promise<DataFrame>; read: typeof read; udf: UdfRegistration } = {
  sql: (text: string): Promise<DataFrame> => defaultSession.sql(text),
  table: (name: string): Promise<DataFrame> => defaultSession.table(name),
  read,
  udf: udfRegistration,
};
