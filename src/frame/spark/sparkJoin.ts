import type { DataFrame, Row } from '../DataFrame.js';
import type { ExprNode } from '../../expr/ast.js';
import { Expr } from '../../expr/builders.js';
import { formatExpr } from '../../expr/format.js';
import * as T from '../../../transforms/index.js';
import type { JoinType } from '../../../transforms/index.js';
import { SluiceError } from '../../types/ErrorRecord.js';

/** What Spark's `join` takes as `on`: column names both sides share, or an equality of columns. */
export type JoinOn = string | string[] | Expr | ExprNode;

/** Spark's join types by every name Spark accepts (case and underscores ignored). */
const HOW: Record<string, JoinType | 'cross'> = {
  inner: 'inner', cross: 'cross',
  outer: 'outer', full: 'outer', fullouter: 'outer',
  left: 'left', leftouter: 'left',
  right: 'right', rightouter: 'right',
  semi: 'semi', leftsemi: 'semi',
  anti: 'anti', leftanti: 'anti',
};

export function sparkJoinType(how: string): JoinType | 'cross' {
  const found = HOW[how.toLowerCase().replace(/_/g, '')];
  if (!found) {
    throw new SluiceError(`unknown join type '${how}'; Spark's join types: inner, cross, outer, full, fullouter, full_outer, left, leftouter, left_outer, right, rightouter, right_outer, semi, leftsemi, left_semi, anti, leftanti, left_anti`);
  }
  return found;
}

const CROSS_KEY = '__sluice_cross_join_key';

/**
 * Spark's `join(other, on, how)` over Glue's Join:
 * - `on` names (`'id'`, `['id', 'day']`): each key appears once in the output, as in Spark's
 *   `USING` join — for right and full joins it is the key of whichever side has the row;
 * - `on` an equality of columns, `col('customer_id').eq(col('id'))` (this frame's column on the
 *   left), several joined with `.and(...)`: both key columns are kept, a clashing name of the
 *   other frame gets `_right` appended;
 * - no `on`, or `how: 'cross'`: every pairing of rows (a cross join; mind the size).
 */
export function sparkJoin(left: DataFrame<Row>, right: DataFrame<Row>, on: JoinOn | undefined, how: string): DataFrame<Row> {
  const type = sparkJoinType(how);
  if (on === undefined || type === 'cross') {
    if (on !== undefined) throw new SluiceError(`a cross join takes no join condition; use how: 'inner' with on`);
    const key = { [CROSS_KEY]: new Expr({ kind: 'lit', value: 1 }) };
    const joined = T.Join.apply({ frame1: left.withColumns(key), frame2: right.withColumns(key), keys1: [CROSS_KEY], keys2: [CROSS_KEY], how: 'inner' });
    return joined.dropFields([CROSS_KEY, `${CROSS_KEY}_right`]);
  }
  if (typeof on === 'string' || Array.isArray(on)) {
    const names = typeof on === 'string' ? [on] : on;
    if (names.length === 0 || names.some((n) => typeof n !== 'string' || n === '')) throw new SluiceError(`join on: give column names, got ${JSON.stringify(on)}`);
    const joined = T.Join.apply({ frame1: left, frame2: right, keys1: names, keys2: names, how: type });
    if (type === 'semi' || type === 'anti') return joined;
    const rightKeys = names.map((n) => `${n}_right`);
    // Right and full joins: the key comes from whichever side has the row.
    const merged = type === 'right' || type === 'outer'
      ? joined.withColumns(Object.fromEntries(names.map((n, i) => [n, { kind: 'call', fn: 'coalesce', args: [{ kind: 'col', name: n }, { kind: 'col', name: rightKeys[i] }] } as ExprNode])))
      : joined;
    return merged.dropFields(rightKeys.map((n) => (n.includes('.') ? `\`${n}\`` : n)));
  }
  const pairs = equalityPairs(on instanceof Expr ? on.node : on);
  return T.Join.apply({ frame1: left, frame2: right, keys1: pairs.map((p) => p[0]), keys2: pairs.map((p) => p[1]), how: type });
}

/** `a = b AND c = d` as [[a, b], [c, d]]; anything else is refused. */
function equalityPairs(node: ExprNode): [string, string][] {
  if (node.kind === 'logic' && node.op === 'and') return [...equalityPairs(node.left), ...equalityPairs(node.right)];
  if (node.kind === 'compare' && node.op === '=' && node.left.kind === 'col' && node.right.kind === 'col') return [[node.left.name, node.right.name]];
  throw new SluiceError(`join on: only equalities of columns joined by AND are supported (col('a').eq(col('b')), this frame's column first), got ${formatExpr(node)}`);
}
