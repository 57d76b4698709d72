import type { DataFrame, Row } from '../DataFrame.js';
import type { ExprNode } from '../../expr/ast.js';
import * as T from '../../../transforms/index.js';
import { SluiceError } from '../../types/ErrorRecord.js';
import { checkDistinctNames, type SelectEntry } from './selectItems.js';

/**
 * Spark's select as sluice steps: plain columns alone are a SelectFields (cheapest: scans read
 * only them); anything computed is one WithColumns — every expression sees the input, as in
 * Spark — followed by a SelectFields of the outputs in order. `*` keeps every input column, the
 * computed ones replacing a column of their name in place or appended after.
 */
export function selectEntries(frame: DataFrame<Row>, entries: SelectEntry[], method: string): DataFrame<Row> {
  if (entries.length === 0) throw new SluiceError(`${method}: name at least one column`);
  checkDistinctNames(entries, method);
  const stars = entries.filter((e) => e.star).length;
  const named = entries.filter((e): e is Extract<SelectEntry, { name: string }> => !e.star);
  const isPlain = (e: { name: string; node: ExprNode }) => e.node.kind === 'col' && e.node.name === e.name;
  if (stars > 0) {
    if (stars > 1 || !entries[0].star || named.some(isPlain)) {
      throw new SluiceError(`${method}: '*' must come first and be followed only by new expressions, e.g. select('*', F.upper('name').alias('NAME'))`);
    }
    return named.length ? frame.withColumns(Object.fromEntries(named.map((e) => [e.name, e.node]))) : frame;
  }
  const computed = named.filter((e) => !isPlain(e));
  const withComputed = computed.length ? frame.withColumns(Object.fromEntries(computed.map((e) => [e.name, e.node]))) : frame;
  // Backticks keep a name with dots one column for SelectFields.
  return T.SelectFields.apply({ frame: withComputed, paths: named.map((e) => (e.name.includes('.') ? `\`${e.name.replace(/`/g, '``')}\`` : e.name)) });
}
