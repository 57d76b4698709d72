import { Field, Schema, Type, Utf8, type RecordBatch } from 'apache-arrow';
import { makeBatch } from '../columns/makeBatch.js';
import type { ExprNode } from '../expr/ast.js';
import { conjuncts, allOf } from '../expr/conjuncts.js';
import { referencedColumns } from '../expr/ast.js';
import { evaluatePredicate } from '../expr/evaluate.js';
import { columnFromValues } from '../columns/fromValues.js';
import { inferPartitionType, type PartitionedFile } from '../io/partitioning/discoverPartitions.js';
import type { PartitionFolderFilter } from '../io/partitioning/listPartitionsPruned.js';

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

/**
 * The folder filter a pruned listing (io/partitioning/listPartitionsPruned.ts) applies at each
 * level of a Hive tree: the parts of `predicate` that read only the keys down to that level,
 * evaluated as prunePartitions evaluates them, over one row per folder. A level's key types are
 * inferred from that level's values; the scan's are inferred from every listed file, so a folder
 * is kept when the parts hold under either typing or with the keys as text (never dropping what
 * the scan's own pruning would keep). Undefined without a predicate.
 */
export function partitionFolderFilter(predicate: ExprNode | undefined): PartitionFolderFilter | undefined {
  if (!predicate) return undefined;
  const parts = conjuncts(predicate);
  return (keys, values) => {
    const keySet = new Set(keys);
    const onKeys = allOf(parts.filter((part) => onlyReads(part, keySet)));
    if (!onKeys) return values.map(() => true);
    const typed = new Schema(keys.map((key, k) => new Field(key, inferPartitionType(values.map((row) => row[k])), true)));
    const mask = maskOf(onKeys, typed, values);
    const asText = typed.fields.some((f) => f.type.typeId !== Type.Utf8) ? maskOf(onKeys, new Schema(keys.map((key) => new Field(key, new Utf8(), true))), values) : undefined;
    return values.map((_, i) => mask[i] === 1 || asText?.[i] === 1);
  };
}

/** The predicate over one row per folder; all kept when it cannot be evaluated on these types (the scan's pruning and the Filter report the error). */
function maskOf(predicate: ExprNode, schema: Schema, values: (string | null)[][]): ArrayLike<number> {
  try {
    return evaluatePredicate(predicate, partitionBatch(schema, values));
  } catch {
    return new Uint8Array(values.length).fill(1);
  }
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
