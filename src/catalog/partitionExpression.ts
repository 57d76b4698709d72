import { Field, makeData, RecordBatch, Schema, Struct, Utf8, type Data } from 'apache-arrow';
import type { Column } from '@aws-sdk/client-glue';
import { parseExpr } from '../expr/parser.js';
import { evaluate, evaluatePredicate } from '../expr/evaluate.js';
import type { ExprNode } from '../expr/ast.js';
import { utf8FromStrings } from '../columns/utf8.js';
import { parseType } from '../types/typeNames.js';
import { SluiceError } from '../types/ErrorRecord.js';

/**
 * Which partitions a predicate keeps, from their values alone: GetPartitions' `Expression`,
 * `catalogPartitionPredicate` and `pushDownPredicate` are all SQL over the partition keys
 * (`year = '2024' AND month IN ('01','02')`), evaluated with sluice's Spark SQL expressions over
 * one batch holding every partition's values, each key cast from its string to the key's type
 * (a value that does not parse is NULL, so it never matches). Returns one flag per partition.
 */
export function partitionsMatching(expression: string, keys: readonly Column[], values: readonly (readonly string[])[]): Uint8Array {
  let node: ExprNode;
  try {
    node = parseExpr(expression);
  } catch (e) {
    throw new SluiceError(`Invalid partition predicate '${expression}': ${(e as Error).message}`);
  }
  checkColumns(node, keys.map((k) => (k.Name ?? '').toLowerCase()), expression);
  return partitionsSatisfying(node, keys, values);
}

/**
 * As partitionsMatching, for a parsed condition over partition keys only (a filter's parts that
 * reached a catalog table's scan: plan/pushDownFilters.ts).
 */
export function partitionsSatisfying(node: ExprNode, keys: readonly Column[], values: readonly (readonly string[])[]): Uint8Array {
  const names = keys.map((k) => (k.Name ?? '').toLowerCase());
  const stringFields = names.map((n) => new Field(n, new Utf8(), true));
  const strings = new RecordBatch(
    new Schema(stringFields),
    structOf(names.map((_, i) => utf8FromStrings(values.map((v) => v[i] ?? null))), values.length, stringFields),
  );
  const typedFields: Field[] = [];
  const typedData: Data[] = [];
  keys.forEach((key, i) => {
    const type = (key.Type ?? 'string').toLowerCase();
    const column: ExprNode = { kind: 'col', name: names[i] };
    const data = type === 'string' || type.startsWith('varchar') || type.startsWith('char')
      ? strings.getChildAt(i)!.data[0]
      : evaluate({ kind: 'cast', expr: column, to: type }, strings).data[0];
    typedFields.push(new Field(names[i], type === 'string' ? data.type : parseType(type), true));
    typedData.push(data);
  });
  const typed = new RecordBatch(new Schema(typedFields), structOf(typedData, values.length, typedFields));
  return evaluatePredicate(lowerCaseColumns(node), typed);
}

function structOf(children: Data[], length: number, fields: Field[]): Data<Struct> {
  return makeData({ type: new Struct(fields), length, nullCount: 0, children });
}

/** Partition keys are lower case in the catalog; a predicate may spell them as it likes. */
function lowerCaseColumns(node: ExprNode): ExprNode {
  return JSON.parse(JSON.stringify(node), (key, value) =>
    value && typeof value === 'object' && value.kind === 'col' ? { ...value, name: String(value.name).toLowerCase() } : value) as ExprNode;
}

/** A predicate naming a column that is not a partition key cannot prune: say which keys there are. */
function checkColumns(node: ExprNode, keys: readonly string[], expression: string): void {
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (!value || typeof value !== 'object') return;
    const n = value as { kind?: string; name?: string };
    if (n.kind === 'col' && !keys.includes(String(n.name).toLowerCase())) {
      throw new SluiceError(`The partition predicate '${expression}' names '${n.name}', which is not a partition key; the keys are: ${keys.join(', ') || '(none: the table is not partitioned)'}`);
    }
    Object.values(value).forEach(visit);
  };
  visit(node);
}
