import { createRequire } from 'node:module';
import type FastGlob from 'fast-glob';
import type Picomatch from 'picomatch';

const require = createRequire(import.meta.url);
let loaded: typeof FastGlob | undefined;
let loadedPicomatch: typeof Picomatch | undefined;

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

/** picomatch (fast-glob's matcher), loaded on first use like fast-glob: only a glob needs it. */
export function picomatch(): typeof Picomatch {
  return (loadedPicomatch ??= require('picomatch') as typeof Picomatch);
}
