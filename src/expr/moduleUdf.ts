import type { DataType } from 'apache-arrow';
import type { ExprNode, LitNode } from './ast.js';
import type { FunctionDef } from './library/define.js';
import { importableModule, shownModule } from './moduleUrl.js';
import type { Operand } from './operand.js';
import { evaluateRows, type UdfFunction } from './evaluateRows.js';
import { columnValues } from '../columns/toValues.js';
import { asColumn } from './operand.js';
import { parseType } from '../types/typeNames.js';
import { SluiceError } from '../types/ErrorRecord.js';

/**
 * A UDF that travels as a module reference: the call node is plain data,
 * `{ kind: 'call', fn: 'module-udf', args: [<file: URL>, <export>, <return type>, ...arguments] }`,
 * so a plan holding it goes to worker threads (and job specs, Lambda) like any other. The name
 * has a '-' no SQL text can spell, so only code (`udf.register`, `F.call_udf`) builds one. Before
 * a plan runs, its executor loads the modules its calls name (`loadModuleUdfs`); evaluation then
 * finds each function synchronously.
 */
export const MODULE_UDF = 'module-udf';

/** A call of `export` of the module at `url` (an absolute file: URL) on `args`, typed `returnType`. */
export function moduleUdfCall(url: string, exportName: string, returnType: string, args: ExprNode[]): ExprNode {
  const lit = (value: string): LitNode => ({ kind: 'lit', value });
  return { kind: 'call', fn: MODULE_UDF, args: [lit(url), lit(exportName), lit(returnType), ...args] };
}

const loaded = new Map<string, UdfFunction>();
const loading = new Map<string, Promise<void>>();
const keyOf = (url: string, exportName: string) => `${url}#${exportName}`;

/**
 * Imports every module UDF that calls inside `value` (plan parameters, a task, any plain data)
 * name, once per process. Throws a SluiceError naming the module and export that cannot be loaded.
 */
export async function loadModuleUdfs(value: unknown): Promise<void> {
  const refs = new Map<string, [string, string]>();
  collect(value, refs, 0);
  await Promise.all([...refs].map(([key, [url, exportName]]) => load(key, url, exportName)));
}

function load(key: string, url: string, exportName: string): Promise<void> {
  if (loaded.has(key)) return Promise.resolve();
  let pending = loading.get(key);
  if (!pending) {
    const shown = shownModule(url);
    pending = Promise.resolve()
      .then(() => import(importableModule(url)))
      .then(
        (mod: Record<string, unknown>) => {
          const fn = mod[exportName];
          if (typeof fn !== 'function') throw new SluiceError(`UDF module '${shown}' has no function export '${exportName}'; its exports: ${Object.keys(mod).join(', ') || '(none)'}`);
          loaded.set(key, fn as UdfFunction);
        },
        (e: Error) => {
          throw e instanceof SluiceError ? e : new SluiceError(`cannot load UDF '${exportName}' from module '${shown}': ${e.message}`);
        },
      );
    pending.catch(() => loading.delete(key)); // a fixed file can be retried
    loading.set(key, pending);
  }
  return pending;
}

/** Finds module UDF calls in plain objects and arrays (Arrow data and typed arrays are skipped). */
function collect(value: unknown, into: Map<string, [string, string]>, depth: number): void {
  if (value === null || typeof value !== 'object' || depth > 200) return;
  if (Array.isArray(value)) {
    for (const v of value) collect(v, into, depth + 1);
    return;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return;
  const node = value as { kind?: unknown; fn?: unknown; args?: unknown };
  if (node.kind === 'call' && node.fn === MODULE_UDF && Array.isArray(node.args)) {
    const [url, exportName] = node.args.map((a: { value?: unknown }) => a?.value);
    if (typeof url === 'string' && typeof exportName === 'string') into.set(keyOf(url, exportName), [url, exportName]);
  }
  for (const v of Object.values(value)) collect(v, into, depth + 1);
}

const literal = (node: ExprNode | undefined, what: string): string => {
  if (node?.kind !== 'lit' || typeof node.value !== 'string') throw new SluiceError(`${MODULE_UDF}: argument ${what} must be a string literal`);
  return node.value;
};

/** The function definition behind MODULE_UDF calls (registered by functions.ts, never listed). */
export const MODULE_UDF_DEF: FunctionDef = {
  name: MODULE_UDF, category: 'conditional', signature: 'a UDF loaded from a module (udf.register)', description: 'a module UDF',
  minArgs: 3, maxArgs: Infinity,
  returnType: (_types: DataType[], nodes?: ExprNode[]) => parseType(literal(nodes?.[2], 'return type')),
  evaluate(args: Operand[], length: number, type: DataType): Operand {
    // Literals arrive as scalars, or as one-row columns when every argument is constant.
    const [url, exportName] = args.slice(0, 2).map((a) => String(a.kind === 'scalar' ? a.value : columnValues(asColumn(a, 1))[0]));
    const fn = loaded.get(keyOf(url, exportName));
    if (!fn) throw new SluiceError(`UDF '${exportName}' of module '${shownModule(url)}' was not loaded before this plan ran (its executor loads the modules a plan names)`);
    return evaluateRows(fn, exportName, args.slice(3), length, type);
  },
};
