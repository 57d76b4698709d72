import { SluiceError } from '../../types/ErrorRecord.js';
import { absolutePath } from '../store/storePath.js';
import { isDynamicPattern } from '../store/fastGlob.js';

/**
 * What a path reads: everything under `base`; for a glob, files `depth` segments below it
 * (Infinity with `**`). A plain path (a file, or a folder read recursively) reads under itself.
 */
function readScope(input: string): { base: string; depth: number } {
  if (!isDynamicPattern(input)) return { base: absolutePath(input), depth: Infinity };
  const segments = input.split('/');
  const first = segments.findIndex((segment) => segment !== '' && isDynamicPattern(segment));
  const rest = segments.slice(first);
  return { base: absolutePath(segments.slice(0, first).join('/') || '.'), depth: rest.some((s) => s.includes('**')) ? Infinity : rest.length };
}

const trimmed = (path: string) => path.replace(/\/+$/, '');

/** `inner`'s segments below `outer`, or undefined when it is not `outer` or inside it. */
function depthUnder(outer: string, inner: string): number | undefined {
  const a = trimmed(outer);
  const b = trimmed(inner);
  if (a === b) return 0;
  if (!b.startsWith(`${a}/`)) return undefined;
  return b.slice(a.length + 1).split('/').length;
}

/**
 * True when a job reading `input` and writing `output` would read its own output (the output is
 * inside what the input reads) or lose its input (the input is inside the output, which an
 * overwrite replaces at commit).
 */
export function pathsOverlap(input: string, output: string): boolean {
  const { base, depth } = readScope(input);
  const out = absolutePath(output);
  if (depthUnder(out, base) !== undefined) return true;
  const below = depthUnder(base, out);
  // The output's files sit at least one segment below the output folder.
  return below !== undefined && below + 1 <= depth;
}

/** Refuses, before anything is read, a write whose output overlaps one of its inputs, naming both. */
export function assertNoOverlap(inputs: readonly string[], output: string, what = 'The write'): void {
  for (const input of inputs) {
    if (pathsOverlap(input, output)) {
      throw new SluiceError(
        `${what} reads ${input} and writes ${output}: the paths overlap (the output would be read as input, or the input deleted by the write); ` +
        'write to a folder outside the input, and read from outside the output',
        { file: output },
      );
    }
  }
}
