import type { DataFrame, Row } from '../DataFrame.js';
import type { ExprNode } from '../../expr/ast.js';
import * as T from '../../../transforms/index.js';
import { SluiceError } from '../../types/ErrorRecord.js';
import { checkDistinctNames, type SelectEntry } from './selectItems.js';
import { generatorOf, jsonTupleColumns } from '../../expr/generators.js';

/**
 * Spark's select as sluice steps: plain columns alone are a SelectFields (cheapest: scans read
 * only them); anything computed is one WithColumns — every expression sees the input, as in
 * Spark — followed by a SelectFields of the outputs in order. `*` keeps every input column, the
 * computed ones replacing a column of their name in place or appended after.
 */
export function selectEntries(frame: DataFrame<Row>, given: SelectEntry[], method: string): DataFrame<Row> {
  if (given.length === 0) throw new SluiceError(`${method}: name at least one column`);
  const entries = given.flatMap(expandJsonTuple);
  const generators = entries.filter((e) => !e.star && generatorOf(e.node));
  if (generators.length > 1) throw new SluiceError(`${method}: only one generator (explode, posexplode, …) per select, as in Spark`);
  if (generators.length === 1) return selectGenerating(frame, entries, generators[0] as Extract<SelectEntry, { name: string }>, method);
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

/**
 * A select holding a generator (`F.explode(xs).alias('x')`): the generator's argument is selected
 * in its place, under the output name (Spark's default `col`), then an Explode step expands it;
 * posexplode adds `pos` before it, the `_outer` forms keep rows with no elements.
 */
function selectGenerating(frame: DataFrame<Row>, entries: SelectEntry[], generator: Extract<SelectEntry, { name: string }>, method: string): DataFrame<Row> {
  const { fn, arg } = generatorOf(generator.node)!;
  const name = generator.aliased ? generator.name : 'col';
  const selected = selectEntries(frame, entries.map((e) => (e === generator ? { name, node: arg, aliased: true } : e)), method);
  return T.Explode.apply({
    frame: selected, column: name,
    ...(fn.startsWith('pos') ? { position: 'pos' } : {}),
    ...(fn.endsWith('_outer') ? { outer: true } : {}),
  });
}

/** json_tuple(json, 'a', 'b') selects one string column per name: c0, c1, … as Spark names them. */
function expandJsonTuple(entry: SelectEntry): SelectEntry[] {
  if (entry.star) return [entry];
  let columns: ExprNode[] | undefined;
  try {
    columns = jsonTupleColumns(entry.node);
  } catch (e) {
    throw new SluiceError((e as Error).message);
  }
  if (!columns) return [entry];
  if (entry.aliased) throw new SluiceError('json_tuple makes one column per name (c0, c1, …); rename them afterwards with withColumnRenamed');
  return columns.map((node, i) => ({ name: `c${i}`, node }));
}
