/** The compressions readers decode, told by the file name's ending as Spark and Glue do. */
export type FileCompression = 'gzip' | 'bzip2' | 'zstd';

/** File name ending (no dot) → compression. Kept free of imports: format descriptions load it at start-up. */
export const COMPRESSION_ENDINGS: Readonly<Record<string, FileCompression>> = { gz: 'gzip', bz2: 'bzip2', zst: 'zstd' };

/** The endings of compressed text files a reader opens (`orders.csv.gz`, `.bz2`, `.zst`). */
export const COMPRESSION_EXTENSIONS: readonly string[] = Object.keys(COMPRESSION_ENDINGS);

/** The compression a path's ending names, or undefined for a plain file. */
export function compressionOfPath(path: string): FileCompression | undefined {
  const dot = path.lastIndexOf('.');
  return dot < 0 ? undefined : COMPRESSION_ENDINGS[path.slice(dot + 1).toLowerCase()];
}
