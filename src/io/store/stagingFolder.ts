import { dirname } from 'node:path';
import { isS3Path } from './s3Path.js';
import { absolutePath, baseName, joinPath } from './storePath.js';

/**
 * Where writes to an output stage, lock and keep their commit manifests: a hidden folder beside
 * the output, `<parent>/.<name>.sluice-staging/`, on the same store (a local rename, an S3 copy
 * within the bucket). Beside it, not inside it: a glob over the output (DuckDB's
 * `read_parquet('out/**\/*.parquet')`) matches dot-folders and `_temporary` alike — checked in
 * test/hardening/durability.test.ts — so nothing staged may sit under the output folder. Readers
 * of the parent folder skip it (a dot path). An output with no parent (a filesystem or bucket
 * root) stages in `<root>/.sluice-staging/`.
 */
export const STAGING_SUFFIX = '.sluice-staging';

export function stagingRootOf(root: string): string {
  const base = absolutePath(root);
  const name = baseName(base);
  const parent = isS3Path(base) ? base.slice(0, base.length - name.length - 1) : dirname(base);
  const hasParent = name !== '' && parent !== base && (isS3Path(base) ? /^s3:\/\/[^/]+/.test(parent) : true);
  return hasParent ? joinPath(parent, `.${name}${STAGING_SUFFIX}`) : joinPath(base, STAGING_SUFFIX);
}
