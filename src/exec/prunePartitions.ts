import { Type, type RecordBatch, type Schema } from 'apache-arrow';
import { makeBatch } from '../columns/makeBatch.js';
import type { ExprNode } from '../expr/ast.js';
import { conjuncts, allOf } from '../expr/conjuncts.js';
import { referencedColumns } from '../expr/ast.js';
import { evaluatePredicate } from '../expr/evaluate.js';
import { columnFromValues } from '../columns/fromValues.js';
import type { PartitionedFile } from '../io/partitioning/discoverPartitions.js';

export interface PrunedFiles {
  files: PartitionedFile[];
  /** Distinct partitions (value tuples) listed, and how many of them the predicate ruled out. */
  partitions: number;
  partitionsSkipped: number;
}

/**
 * Partition pruning: keeps the files whose partition values can satisfy the parts of `predicate`
 * that read only partition columns — evaluated once per distinct partition by the same
 * expression code the Filter runs on rows (so casts and NULLs agree), over a batch of one row per
 * partition. Parts that read data columns are left to the Filter.
 */
export function prunePartitions(files: PartitionedFile[], partitionSchema: Schema, predicate: ExprNode | undefined): PrunedFiles {
  const keys = new Set(partitionSchema.fields.map((f) => f.name));
  const onKeys = predicate && keys.size ? allOf(conjuncts(predicate).filter((part) => onlyReads(part, keys))) : undefined;
  const partitions = new Map<string, PartitionedFile[]>();
  for (const file of files) {
    const id = JSON.stringify(file.values);
    const group = partitions.get(id);
    if (group) group.push(file);
    else partitions.set(id, [file]);
  }
  if (!onKeys) return { files, partitions: partitions.size, partitionsSkipped: 0 };
  const groups = [...partitions.values()];
  const mask = evaluatePredicate(onKeys, partitionBatch(partitionSchema, groups.map((g) => g[0].values)));
  const kept = new Set(groups.filter((_, i) => mask[i] === 1).flat());
  return { files: files.filter((file) => kept.has(file)), partitions: groups.length, partitionsSkipped: groups.length - mask.reduce((n, m) => n + m, 0) };
}

function onlyReads(part: ExprNode, keys: Set<string>): boolean {
  const columns = referencedColumns(part);
  return columns.size > 0 && [...columns].every((c) => keys.has(c));
}

/** One row per partition, its values typed as the scan types the partition columns. */
function partitionBatch(schema: Schema, rows: (string | null)[][]): RecordBatch {
  const children = schema.fields.map((field, k) => {
    const values = rows.map((row) => {
      const value = row[k];
      if (value === null) return null;
      if (field.type.typeId === Type.Int) return (field.type as { bitWidth: number }).bitWidth === 64 ? BigInt(value) : Number(value);
      return value;
    });
    return columnFromValues(field.type, values);
  });
  return makeBatch(schema, children, rows.length);
}
