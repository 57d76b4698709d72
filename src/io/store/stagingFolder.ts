import { joinPath } from './storePath.js';

/**
 * The folder under an output root where writes stage, lock and keep their commit manifests. A
 * dot-folder: DuckDB, Spark, Glue and sluice all skip `.`-prefixed paths when they list a table,
 * so `read_parquet('out/**\/*.parquet')` never counts a running (or killed) write's files.
 * (`_temporary`, Spark's name, is matched by DuckDB's `**`.)
 */
export const STAGING_FOLDER = '.sluice-staging';

/** `root/.sluice-staging`, on any store. */
export const stagingRootOf = (root: string): string => joinPath(root, STAGING_FOLDER);
