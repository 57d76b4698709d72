import { existsSync, realpathSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import { isAbsolute, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { FnRef } from '../../../transforms/index.js';
import type { FunctionRefSpec } from './JobSpec.js';
import { JobSpecError } from './validateJobSpec.js';

/**
 * What a JSON job spec's `function.module` may name. A spec is data (it may come from a bucket,
 * a ticket, a placeholder), so it must not choose code: only module files inside the job's
 * folder or the folders the user allowed, and packages the user named. Code given through the
 * TypeScript API is the user's own and is not checked here.
 */
export interface ModulePolicy {
  /** The job's folder (relative module paths resolve from it); always allowed. */
  baseDir: string;
  /** More folders whose module files a spec may name (`--allow-module-dir`). */
  allowDirs?: readonly string[];
  /** Package names a spec may import (`--allow-module-package`), e.g. `my-fns` or `@team/fns`. */
  allowPackages?: readonly string[];
}

export interface ModulePlace {
  /** `nodes[3]` */
  where: string;
  /** The node's id, for the message. */
  id: string;
  /** The node's field holding the reference (default `function`). */
  field?: string;
  /** The spec's file, or '(object)'. */
  source: string;
}

const SCRIPT_EXTENSION = /\.(?:m|c)?(?:js|ts)$/i;
const URL_SCHEME = /^([a-z][a-z0-9+.-]*):/i;

/**
 * The module reference as an absolute `file:` URL of a real file inside an allowed folder (symlinks
 * resolved), or a JobSpecError naming the node. That URL is what the plan carries to any thread.
 */
export function approveModuleRef(ref: FunctionRefSpec, policy: ModulePolicy, place: ModulePlace): FnRef {
  const exportName = ref.export ?? 'default';
  const module = ref.module;
  const refuse = (why: string): never => {
    throw new JobSpecError(place.source, [`${place.where}.${place.field ?? 'function'}.module (node '${place.id}'): ${why}`]);
  };
  const scheme = URL_SCHEME.exec(module)?.[1].toLowerCase();
  if (scheme !== undefined && scheme !== 'file') {
    refuse(`'${preview(module)}' is a ${scheme}: URL; a job spec may name only module files in the job's folder (or a folder given with --allow-module-dir) and packages allowed with --allow-module-package`);
  }
  if (isBuiltin(module)) refuse(`'${module}' is a Node.js built-in module; a job spec may not import built-ins`);
  let path: string;
  if (scheme === 'file') {
    try {
      path = fileURLToPath(module);
    } catch (e) {
      return refuse(`'${preview(module)}' is not a valid file: URL (${(e as Error).message})`);
    }
  } else if (module.startsWith('.') || isAbsolute(module) || SCRIPT_EXTENSION.test(module)) {
    path = resolve(policy.baseDir, module);
  } else {
    return { module: approvePackage(module, policy, refuse), export: exportName };
  }
  if (!existsSync(path)) {
    // Worded as before this policy existed: the job folder is where relative paths start.
    throw new JobSpecError(place.source, [`${place.where}.${place.field ?? 'function'}.module: no file ${path} (module paths are relative to the job file's folder)`]);
  }
  const allowed = allowedDirs(policy);
  const described = `the job's folder ${policy.baseDir}${policy.allowDirs?.length ? ` and the --allow-module-dir folders (${policy.allowDirs.join(', ')})` : ''}`;
  if (!allowed.some((dir) => isInside(resolve(path), dir.lexical))) {
    refuse(`'${module}' is ${path}, outside ${described}; move the module there or allow its folder with --allow-module-dir`);
  }
  const real = realpathSync(path);
  if (!allowed.some((dir) => isInside(real, dir.real))) {
    refuse(`'${module}' is a symbolic link to ${real}, outside ${described}`);
  }
  return { module: pathToFileURL(real).href, export: exportName };
}

/** A package the user allowed by name, resolved from the job's folder to its entry file's URL. */
function approvePackage(specifier: string, policy: ModulePolicy, refuse: (why: string) => never): string {
  const name = packageName(specifier);
  if (!policy.allowPackages?.includes(name)) {
    refuse(`package '${name}' is not allowed: a job spec imports a package only when the user allows it (sluice run --allow-module-package ${name}, or the allowModulePackages option)`);
  }
  let url: string;
  try {
    url = pathToFileURL(createRequire(join(policy.baseDir, 'job.json')).resolve(specifier)).href;
  } catch {
    try {
      url = import.meta.resolve(specifier); // ESM-only packages ("exports" with "import" only)
    } catch (e) {
      return refuse(`package '${specifier}' cannot be found from ${policy.baseDir}: ${(e as Error).message}`);
    }
  }
  if (!url.startsWith('file:')) refuse(`package '${specifier}' resolves to ${url}, not a file`);
  return url;
}

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`. */
function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function allowedDirs(policy: ModulePolicy): { lexical: string; real: string }[] {
  return [policy.baseDir, ...(policy.allowDirs ?? [])].map((dir) => {
    const lexical = resolve(dir);
    return { lexical, real: existsSync(lexical) ? realpathSync(lexical) : lexical };
  });
}

const isInside = (path: string, dir: string): boolean => path === dir || path.startsWith(dir.endsWith(sep) ? dir : dir + sep);

const preview = (text: string): string => (text.length > 60 ? `${text.slice(0, 57)}...` : text);
