import { join, relative, resolve, sep } from 'node:path';
import { isS3Path, s3Join, s3Relative } from './s3Path.js';

/*
 * Path arithmetic for both stores, synchronous (storeFor is not: it loads the SDK on demand).
 * Relative paths are '/'-separated whatever the platform, as S3 keys and Hive folders are.
 */

/**
 * A path as stores report paths: local ones absolute (relative ones taken from `from`, default
 * the working folder), s3:// ones as they are, without a trailing '/'.
 */
export const absolutePath = (path: string, from?: string): string =>
  isS3Path(path) ? path.replace(/\/+$/, '') : from === undefined ? resolve(path) : resolve(from, path);

/** `root` + `year=2024/part-0.parquet`. */
export const joinPath = (root: string, relativePath: string): string =>
  isS3Path(root) ? s3Join(root, relativePath) : join(root, ...relativePath.split('/'));

/** The path of `path` under the folder `root`, '/'-separated. */
export const relativePath = (root: string, path: string): string =>
  isS3Path(root) ? s3Relative(root, path) : relative(root, path).split(sep).join('/');

/** The last segment of a path: a file's name. */
export const baseName = (path: string): string => path.slice(path.lastIndexOf(isS3Path(path) ? '/' : sep) + 1);
