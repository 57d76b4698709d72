import { Struct, type Field } from 'apache-arrow';
import { choicesAsText, mergeDataTypes } from '../../types/mergeSchemas.js';
import type { Classification } from './Classification.js';

/**
 * When "the majority of schemas at a folder level are similar" (GDG crawler-s3-folder-table-partition.md)
 * the folders are partitions of one table. Glue does not publish its measure; the numbers it states
 * (re:Post knowledge center) are these: the largest group of similar schemas holds more than 70 %
 * of them, and there are at most five groups.
 */
export const PARTITION_THRESHOLD = 0.7;
export const MAX_CLUSTERS = 5;

/** Columns of one unit (a file, or the files below a folder) and how its types merge. */
export interface SchemaUnit {
  fields: Field[];
  conflicts: Classification['conflicts'];
}

/** The columns of both, merged (first's order, then the second's new ones); undefined when their types cannot merge (binary formats). */
export function mergeFields(a: readonly Field[], b: readonly Field[], conflicts: Classification['conflicts']): Field[] | undefined {
  try {
    // Text formats keep a clash as a string column: a catalog column has one Hive type.
    const merged = mergeDataTypes(new Struct([...a]), new Struct([...b]), conflicts === 'string' ? 'choice' : 'conflict');
    return (choicesAsText(merged) as Struct).children;
  } catch {
    return undefined;
  }
}

const names = (fields: readonly Field[]) => new Set(fields.map((f) => f.name.toLowerCase()));

/**
 * Two schemas are similar when their types merge and one's columns contain the other's (a column
 * added over time), or they share at least PARTITION_THRESHOLD of all their columns.
 */
export function similar(a: SchemaUnit, b: SchemaUnit): boolean {
  if (!mergeFields(a.fields, b.fields, a.conflicts)) return false;
  const left = names(a.fields);
  const right = names(b.fields);
  let shared = 0;
  for (const name of left) if (right.has(name)) shared++;
  if (shared === Math.min(left.size, right.size)) return true;
  return shared / (left.size + right.size - shared) >= PARTITION_THRESHOLD;
}

/**
 * Whether units at one folder level are partitions of one table: they form at most MAX_CLUSTERS
 * groups of similar schemas, the largest holding more than PARTITION_THRESHOLD of them.
 */
export function majoritySimilar(units: readonly SchemaUnit[]): boolean {
  if (units.length <= 1) return true;
  const clusters: { unit: SchemaUnit; size: number }[] = [];
  for (const unit of units) {
    const home = clusters.find((cluster) => similar(cluster.unit, unit));
    if (home) {
      home.size++;
      home.unit = { fields: mergeFields(home.unit.fields, unit.fields, unit.conflicts) ?? home.unit.fields, conflicts: unit.conflicts };
    } else clusters.push({ unit, size: 1 });
  }
  if (clusters.length > MAX_CLUSTERS) return false;
  const largest = Math.max(...clusters.map((c) => c.size));
  return largest / units.length > PARTITION_THRESHOLD;
}

/** Every unit's columns merged, in order; undefined when two types cannot merge. */
export function mergeAll(units: readonly SchemaUnit[]): Field[] | undefined {
  let merged: Field[] = [];
  for (const unit of units) {
    const next = mergeFields(merged, unit.fields, unit.conflicts);
    if (!next) return undefined;
    merged = next;
  }
  return merged;
}
