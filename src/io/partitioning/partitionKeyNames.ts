import { SluiceError } from '../../types/ErrorRecord.js';

/**
 * Refuses partition columns whose folders readers would hide or the writer could not clean:
 * `.p=1/` is skipped by every reader (a dot path), and `_q=1/` by Hadoop-style listings that hide
 * `_` paths (so an overwrite seen through them leaves it behind). Checked before anything is written.
 */
export function checkPartitionKeys(keys: readonly string[]): void {
  for (const key of keys) {
    if (key === '' || key.startsWith('.') || key.startsWith('_') || /[/\\=]/.test(key)) {
      throw new SluiceError(
        `Partition column '${key}' cannot name a folder: names starting with '.' or '_', or holding '/', '\\' or '=', ` +
        'make folders readers skip or misread; rename the column (e.g. withColumnRenamed) before partitioning by it',
      );
    }
  }
}
