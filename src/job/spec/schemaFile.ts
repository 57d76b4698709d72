import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SCHEMA_RELATIVE = join('schema', 'job-spec.schema.json');

let cached: Record<string, unknown> | undefined;

/**
 * The JSON Schema of job specs, read from the repo's `schema/` folder. Found by walking up from
 * this file, so it works both from `src/job/spec` (tsx, tests) and from `dist/src/job/spec`.
 */
export function jobSpecSchema(): Record<string, unknown> {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, SCHEMA_RELATIVE);
    if (existsSync(candidate)) {
      cached = JSON.parse(readFileSync(candidate, 'utf8')) as Record<string, unknown>;
      return cached;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`sluice is installed without ${SCHEMA_RELATIVE}; reinstall the package`);
    dir = parent;
  }
}
