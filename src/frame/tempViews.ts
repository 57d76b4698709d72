import type { PlanNode } from '../plan/PlanNode.js';

/**
 * Temporary views of this process: name (lower case, as Spark matches them) → plan. Filled by
 * `df.createOrReplaceTempView(name)`, read by SQL (src/sql/). Spark keeps them per session; a
 * Node process has one driver, so one map serves, and a SqlSession's own tables come first.
 */
const views = new Map<string, { name: string; plan: PlanNode }>();

export function setTempView(name: string, plan: PlanNode): void {
  views.set(name.toLowerCase(), { name, plan });
}

export function tempView(name: string): PlanNode | undefined {
  return views.get(name.toLowerCase())?.plan;
}

export function dropTempView(name: string): boolean {
  return views.delete(name.toLowerCase());
}

export function tempViewNames(): string[] {
  return [...views.values()].map((v) => v.name);
}
