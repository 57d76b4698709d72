/**
 * How a read path is taken:
 * - `auto` (default): a file, a folder, or a glob; a local path that names an existing file is
 *   that file even when it has glob characters (`data[1].csv`);
 * - `glob`: a glob, even when a file has that very name (the CLI's `--glob`);
 * - `literal`: exactly one file or object, never a folder, prefix or glob: what an S3 event
 *   names (`day[1].csv`, `star*.csv` and `h/` would otherwise read other objects).
 */
export type PathMode = 'auto' | 'glob' | 'literal';
