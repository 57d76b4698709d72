import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { SluiceError } from '../types/ErrorRecord.js';

const SCRIPT_EXTENSION = /\.[cm]?[jt]s$/;

/**
 * A user function's module (a row function of Map/Filter, a UDF), given in code, as an absolute file: URL: paths (absolute, starting
 * with `.`, or ending in .js/.mjs/.cjs/.ts) resolve against process.cwd(), package names as an
 * import from sluice would. Anything that is not a file in the end (`data:`, `http:`, `node:`
 * built-ins) is refused: a row function is a module file, and only files travel to workers.
 */
export function moduleFileUrl(module: string, what: string): string {
  let url: string;
  if (/^[a-z][a-z0-9+.-]*:/i.test(module)) url = module; // file:, and data:/node:/http: to refuse below
  else if (isAbsolute(module) || module.startsWith('.') || SCRIPT_EXTENSION.test(module)) url = pathToFileURL(resolve(process.cwd(), module)).href;
  else {
    try {
      url = import.meta.resolve(module);
    } catch (e) {
      throw new SluiceError(`${what}: cannot find module '${module}': ${(e as Error).message}`);
    }
  }
  if (!url.startsWith('file:')) throw new SluiceError(`${what}: module '${preview(module)}' is not a module file (${preview(url)}); user functions are loaded from files only`);
  return url;
}

/** The specifier a plan's module reference may be imported by: only an absolute file: URL. */
export function importableModule(module: string): string {
  if (module.startsWith('file:')) {
    try {
      if (isAbsolute(fileURLToPath(module))) return module;
    } catch { /* refused below */ }
  }
  throw new SluiceError(`refusing to import row function module '${preview(module)}' (a row function or UDF): a plan carries module files as absolute file: URLs only`);
}

/** How a module is named in messages: its path when it is a file URL. */
export function shownModule(module: string): string {
  try {
    return module.startsWith('file:') ? fileURLToPath(module) : module;
  } catch {
    return module;
  }
}

const preview = (text: string): string => (text.length > 60 ? `${text.slice(0, 57)}...` : text);
