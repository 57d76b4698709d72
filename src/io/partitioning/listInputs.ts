import { stat } from 'node:fs/promises';
import { relative, resolve, sep } from 'node:path';
import fg from 'fast-glob';
import { SluiceError } from '../../types/ErrorRecord.js';
import { isS3Path } from '../store/s3Path.js';
import { isLiteralFile, literalInput, type PathMode } from './pathMode.js';

/**
 * Paths readers skip, as Spark and Glue do: names starting with `.` or `_` (`_SUCCESS`,
 * `_temporary/`, `.crc`), except `_`-prefixed partition folders such as `_col=1`.
 */
export const isHiddenSegment = (segment: string): boolean =>
  segment.startsWith('.') || (segment.startsWith('_') && !segment.includes('='));

const visibleUnder = (folder: string, file: string) =>
  !relative(folder, file).split(sep).some(isHiddenSegment);

/** The folder a glob starts from: its segments before the first one with a wildcard. */
function globBase(pattern: string): string {
  const segments = pattern.split('/');
  const firstDynamic = segments.findIndex((segment) => segment !== '' && fg.isDynamicPattern(segment));
  return segments.slice(0, firstDynamic).join('/') || '.';
}

/**
 * The input files a path names: the file itself, every visible file under a folder
 * (recursively), or the matches of a glob (`data/*.json.gz`, `logs/**\/2024-*.csv`). Sorted,
 * absolute. Throws a SluiceError naming the path when nothing matches. `s3://bucket/prefix`
 * paths and globs are listed the same way (listS3Inputs.ts).
 */
export async function listInputs(pathOrGlob: string, mode: PathMode = 'auto'): Promise<string[]> {
  if (mode === 'literal') return [await literalInput(pathOrGlob)];
  if (isS3Path(pathOrGlob)) return (await import('./listS3Inputs.js')).listS3Inputs(pathOrGlob);
  let files: string[];
  if (fg.isDynamicPattern(pathOrGlob) && !(await isLiteralFile(pathOrGlob, mode))) {
    files = await fg(pathOrGlob, { onlyFiles: true, absolute: true, dot: false, ignore: ['**/_temporary/**'] });
    const base = resolve(globBase(pathOrGlob));
    files = files.filter((file) => visibleUnder(base, file));
  } else {
    const info = await stat(pathOrGlob).catch(() => undefined);
    if (info?.isFile()) return [resolve(pathOrGlob)];
    if (info?.isDirectory()) {
      const folder = resolve(pathOrGlob);
      files = await fg('**/*', {
        cwd: folder,
        onlyFiles: true,
        absolute: true,
        dot: false,
        ignore: ['**/_temporary/**'],
      });
      files = files.filter((file) => visibleUnder(folder, file));
    } else {
      files = [];
    }
  }
  files.sort();
  if (files.length === 0) {
    throw new SluiceError(`No input files at ${pathOrGlob}: check the path (or glob) exists and holds visible files`, { file: pathOrGlob });
  }
  return files;
}
