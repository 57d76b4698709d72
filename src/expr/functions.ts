import type { LitNode } from './ast.js';
import type { FunctionDef } from './library/define.js';
import { VARIADIC } from './library/define.js';
import { COLLECTIONS } from './library/collections.js';
import { CONDITIONAL } from './library/conditional.js';
import { DATE_PARTS } from './library/dateParts.js';
import { FORMATTING } from './library/formatting.js';
import { HASHING } from './library/hashing.js';
import { DATETIME } from './library/datetime.js';
import { JSON_FUNCTIONS } from './library/json.js';
import { JSON_CONVERT } from './library/jsonConvert.js';
import { MATH } from './library/math.js';
import { STRINGS } from './library/strings.js';
import { RANDOM } from './library/random.js';
import { INTERVALS } from './library/intervals.js';
import { SluiceError } from '../types/ErrorRecord.js';
import { MODULE_UDF_DEF } from './moduleUdf.js';

export type { EvalContext, FunctionDef } from './library/define.js';

/**
 * The registry of SQL functions: name → definition, each definition carrying its signature and
 * description (for `sluice functions` and the F namespace), arity, result type and kernel.
 * Definitions live in src/expr/library/ (one file per family). Adding a function: write its
 * FunctionDef (usually `define({...})` from library/define.ts) in a family file or a new file,
 * and register it with one line below.
 */
const DEFINITIONS: FunctionDef[] = [
  ...MATH,
  ...STRINGS,
  ...CONDITIONAL,
  ...DATETIME,
  ...JSON_FUNCTIONS,
  ...JSON_CONVERT,
  ...DATE_PARTS,
  ...FORMATTING,
  ...COLLECTIONS,
  ...HASHING,
  ...RANDOM,
  ...INTERVALS,
];

/** Canonical name → definition (lower case). */
export const FUNCTIONS: Record<string, FunctionDef> = {};
/** Every accepted name (canonical names and aliases) → definition. */
const BY_NAME = new Map<string, FunctionDef>();

for (const def of DEFINITIONS) {
  for (const name of [def.name, ...(def.aliases ?? [])]) {
    if (BY_NAME.has(name)) throw new Error(`function '${name}' is registered twice`);
    BY_NAME.set(name, def);
  }
  FUNCTIONS[def.name] = def;
}
// Calls of UDFs from modules (udf.register): plain data that any thread can run, never listed.
BY_NAME.set(MODULE_UDF_DEF.name, MODULE_UDF_DEF);

/**
 * Registers a function that lives in this process only (F.udf's row UDFs, named `udf:<fn>#<n>`):
 * callable by name here, never listed, unknown to worker threads and job specs.
 */
export function registerInlineFunction(def: FunctionDef): void {
  if (BY_NAME.has(def.name)) throw new Error(`function '${def.name}' is registered twice`);
  BY_NAME.set(def.name, def);
}

/** One line of the function listing. */
export interface FunctionInfo {
  name: string;
  aliases: string[];
  category: FunctionDef['category'];
  signature: string;
  description: string;
  minArgs: number;
  /** null: any number of arguments. */
  maxArgs: number | null;
}

/** Every function, sorted by name, as plain data (for `sluice functions`, F and docs). */
export function listFunctions(): FunctionInfo[] {
  return DEFINITIONS.map((d) => ({
    name: d.name, aliases: d.aliases ?? [], category: d.category, signature: d.signature, description: d.description,
    minArgs: d.minArgs, maxArgs: d.maxArgs === VARIADIC ? null : d.maxArgs,
  })).sort((a, b) => a.name.localeCompare(b.name));
}

/** The definition of a name or alias (any case), or undefined. */
export function findFunction(name: string): FunctionDef | undefined {
  return BY_NAME.get(name.toLowerCase());
}

export function lookupFunction(name: string, argCount: number): FunctionDef {
  const key = name.toLowerCase();
  const def = BY_NAME.get(key);
  if (!def && key.startsWith('udf:')) {
    throw new SluiceError(`row UDF '${name}' (F.udf) is not defined here: a UDF runs only in the process that defined it, not in a worker thread, Lambda or job spec; register it from a module (udf.register(name, { module, export }, type)) to run it there`);
  }
  if (!def) throw new SluiceError(`unknown function '${name}': known functions are ${[...BY_NAME.keys()].filter((n) => /^[a-z_][a-z0-9_]*$/.test(n)).sort().join(', ')}`);
  if (argCount < def.minArgs || argCount > def.maxArgs) {
    const range = def.maxArgs === VARIADIC ? `at least ${def.minArgs}` : def.minArgs === def.maxArgs ? `${def.minArgs}` : `${def.minArgs} to ${def.maxArgs}`;
    throw new SluiceError(`${key}() takes ${range} argument${range === '1' ? '' : 's'}, got ${argCount}`);
  }
  return def;
}

/** For functions fixed once per query (current_date, current_timestamp): the literal to parse the call as. */
export function foldAtParse(def: FunctionDef, nowMs: number): LitNode | undefined {
  return 'fold' in def && typeof (def as { fold?: unknown }).fold === 'function' ? (def as unknown as { fold(now: number): LitNode }).fold(nowMs) : undefined;
}
