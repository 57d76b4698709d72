import { createRequire } from 'node:module';
import type FastGlob from 'fast-glob';

const require = createRequire(import.meta.url);
let loaded: typeof FastGlob | undefined;

/**
 * fast-glob, loaded on first use (about 60 modules with its dependencies): a plain path never
 * needs it. fast-glob is CommonJS, so loading it where it is first needed stays synchronous.
 */
export function fastGlob(): typeof FastGlob {
  return (loaded ??= require('fast-glob') as typeof FastGlob);
}

/** Characters without which fast-glob never sees a pattern (wildcards, classes, braces, extglobs, escapes). */
const GLOB_CHARS = /[*?[\]{}()!+@\\]/;

/** fast-glob's `isDynamicPattern`, without loading fast-glob for a path that holds none of its special characters. */
export function isDynamicPattern(pattern: string): boolean {
  return GLOB_CHARS.test(pattern) && fastGlob().isDynamicPattern(pattern);
}
