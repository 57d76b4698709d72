import type { Field } from 'apache-arrow';
import { keep, rebuilt, resolvePath, structChildren, type ColumnPlan, type ParsedPath } from './columnPlan.js';

/**
 * A set of field paths as a tree: `true` marks a whole field, a nested tree marks some of a
 * struct's children. `a` together with `a.b` is simply `a`.
 */
export type PathTree = Map<string, PathTree | true>;

/** Builds the tree, checking every path against the schema first (clear errors for typos). */
export function pathTree(fields: readonly Field[], paths: ParsedPath[]): PathTree {
  const tree: PathTree = new Map();
  for (const path of paths) {
    resolvePath(fields, path, true);
    let level = tree;
    for (let depth = 0; depth < path.parts.length; depth++) {
      const name = path.parts[depth];
      const existing = level.get(name);
      if (existing === true) break;
      if (depth === path.parts.length - 1) {
        level.set(name, true);
        break;
      }
      const next = existing ?? new Map();
      level.set(name, next);
      level = next;
    }
  }
  return tree;
}

/** Plans that keep only the tree's fields, in the order they were first named. */
export function selectPlans(fields: readonly Field[], tree: PathTree): ColumnPlan[] {
  return [...tree].map(([name, sub]) => {
    const index = fields.findIndex((f) => f.name === name);
    const field = fields[index];
    return sub === true ? keep(field, index) : rebuilt(field, index, selectPlans(structChildren(field.type), sub));
  });
}

/** Plans that keep everything but the tree's fields; a struct left with no children is dropped too. */
export function dropPlans(fields: readonly Field[], tree: PathTree): ColumnPlan[] {
  const plans: ColumnPlan[] = [];
  fields.forEach((field, index) => {
    const sub = tree.get(field.name);
    if (sub === true) return;
    if (!sub) plans.push(keep(field, index));
    else {
      const children = dropPlans(structChildren(field.type), sub);
      if (children.length > 0) plans.push(rebuilt(field, index, children));
    }
  });
  return plans;
}
