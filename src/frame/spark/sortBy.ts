import type { DataFrame, Row } from '../DataFrame.js';
import type { ExprNode } from '../../expr/ast.js';
import { Expr, SortOrder } from '../../expr/builders.js';
import * as T from '../../../transforms/index.js';
import type { SortKey } from '../../../transforms/index.js';
import { SluiceError } from '../../types/ErrorRecord.js';

/** An `orderBy`/`sort` key: a column name, `{ column, descending?, nullsFirst? }`, an expression or `col('x').desc()`. */
export type OrderItem = string | SortKey | Expr | SortOrder;

/** PySpark's `ascending=` argument: one flag for all keys or one per key. */
export interface OrderOptions { ascending: boolean | boolean[] }

const TEMP = '__sluice_sort_';

/**
 * Sorts by Spark-shaped keys over the OrderBy transform: a key that is an expression rather than
 * a column is computed into a temporary column first and dropped after the sort.
 */
export function sortBy(frame: DataFrame<Row>, items: (OrderItem | OrderItem[] | OrderOptions)[]): DataFrame<Row> {
  let options: OrderOptions | undefined;
  const keys: OrderItem[] = [];
  for (const item of items) {
    if (Array.isArray(item)) keys.push(...item);
    else if (typeof item === 'object' && item !== null && 'ascending' in item) options = item;
    else keys.push(item);
  }
  if (keys.length === 0) throw new SluiceError('orderBy: name at least one column');
  const ascending = (i: number): boolean | undefined => {
    if (!options) return undefined;
    if (!Array.isArray(options.ascending)) return options.ascending;
    if (options.ascending.length !== keys.length) throw new SluiceError(`orderBy: ascending has ${options.ascending.length} flags for ${keys.length} keys`);
    return options.ascending[i];
  };
  const computed: Record<string, ExprNode> = {};
  const sortKeys: SortKey[] = keys.map((key, i) => {
    const flag = ascending(i);
    const direction = (descending: boolean, nullsFirst?: boolean): Partial<SortKey> => {
      const down = flag === undefined ? descending : !flag;
      return { ...(down ? { descending: true } : {}), ...(nullsFirst !== undefined ? { nullsFirst } : {}) };
    };
    if (typeof key === 'string') return { column: key, ...direction(false) };
    if (key instanceof SortOrder || key instanceof Expr) {
      const node = key.node;
      const { descending, nullsFirst } = key instanceof SortOrder ? key : { descending: false, nullsFirst: undefined };
      let column: string;
      if (node.kind === 'col') column = node.name;
      else {
        column = `${TEMP}${i}`;
        computed[column] = node;
      }
      return { column, ...direction(descending, nullsFirst) };
    }
    if (typeof key === 'object' && key !== null && typeof key.column === 'string') return flag === undefined ? key : { ...key, descending: !flag };
    throw new SluiceError(`orderBy: a key is a column name, { column, descending }, an expression or col('x').desc(), got ${JSON.stringify(key)}`);
  });
  const temps = Object.keys(computed);
  const input = temps.length ? frame.withColumns(computed) : frame;
  const sorted = T.OrderBy.apply({ frame: input, keys: sortKeys });
  return temps.length ? sorted.dropFields(temps) : sorted;
}
