import type { DataType } from 'apache-arrow';
import type { ExprNode } from './ast.js';
import { Expr, toNode, type ExprLike } from './builders.js';
import { findFunction } from './functions.js';
import { moduleFileUrl } from './moduleUrl.js';
import { moduleUdfCall } from './moduleUdf.js';
import { inlineUdf, type UserDefinedFunction } from './udf.js';
import type { UdfFunction } from './evaluateRows.js';
import { parseType, typeName } from '../types/typeNames.js';
import { SluiceError } from '../types/ErrorRecord.js';

/** Where a UDF's code lives: an export of a module file (a path, resolved against the working directory, or a package name). */
export interface UdfModuleRef { module: string; export: string }

type Registered = (args: ExprNode[]) => ExprNode;

/** UDFs by lower-case name, for SQL text and expressions (one registry per process, as Spark's per session). */
const registry = new Map<string, Registered>();

/**
 * Registers a UDF under a name that SQL (`session.sql`), `expr(...)` strings and `F.call_udf`
 * can call (Spark: `spark.udf.register(name, f, returnType)`). Give a module reference
 * `{ module, export }` and calls stay plain data: the plan runs on worker threads, and each
 * thread imports the module itself. Give a function and it runs on this thread only (a plan
 * holding it runs that step inline; a job spec or Lambda cannot carry it).
 *
 * @param name a SQL identifier, not a built-in function's name; registering again replaces.
 * @param f a module reference `{ module: './udfs.mjs', export: 'plusOne' }`, or a function.
 * @param returnType a type name (`'string'`, the default as in Spark; `'int'`, `'double'`, …) or an Arrow DataType.
 * @returns the UDF as a builder, like `F.udf`'s.
 * @example
 * ```ts
 * spark.udf.register('normalize_sku', { module: './udfs.mjs', export: 'normalizeSku' }, 'string');
 * await spark.sql('SELECT normalize_sku(sku) AS sku FROM orders');
 * ```
 */
export function registerUdf(name: string, f: UdfFunction | UdfModuleRef, returnType: string | DataType = 'string'): UserDefinedFunction {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new SluiceError(`udf.register: '${name}' is not a SQL function name (letters, digits and _)`);
  if (findFunction(name)) throw new SluiceError(`udf.register: '${name}' is a built-in function; give the UDF another name`);
  const type = typeof returnType === 'string' ? parseType(returnType) : returnType;
  let call: Registered;
  if (typeof f === 'function') call = inlineUdf(f, type, name).call;
  else if (f && typeof f === 'object' && typeof f.module === 'string' && typeof f.export === 'string') {
    const url = moduleFileUrl(f.module, `udf '${name}'`);
    const exportName = f.export;
    call = (args) => moduleUdfCall(url, exportName, typeName(type), args);
  } else {
    throw new SluiceError(`udf.register('${name}', …) needs a function or a module reference { module, export }, got ${JSON.stringify(f)}`);
  }
  registry.set(name.toLowerCase(), call);
  return (...args: ExprLike[]) => new Expr(call(args.map(toNode)), undefined);
}

/** The call node of a registered UDF, or undefined when no UDF has this name. */
export function registeredUdfCall(name: string, args: ExprNode[]): ExprNode | undefined {
  return registry.get(name.toLowerCase())?.(args);
}

/**
 * Calls a registered UDF by name (PySpark: `F.call_udf(name, *cols)`).
 *
 * @example
 * ```ts
 * df.withColumn('sku', F.call_udf('normalize_sku', 'sku'));
 * ```
 */
export function callUdf(name: string, ...args: ExprLike[]): Expr {
  const node = registeredUdfCall(name, args.map(toNode));
  if (!node) throw new SluiceError(`no UDF named '${name}' is registered (udf.register); registered: ${[...registry.keys()].sort().join(', ') || '(none)'}`);
  return new Expr(node, undefined);
}
