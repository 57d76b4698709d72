import { Field, Int64, Schema, Type, makeData, type Data } from 'apache-arrow';
import type { Chunk, TransformKernel } from '../src/exec/Kernel.js';
import type { DataFrame, Row } from '../src/frame/DataFrame.js';
import { makeBatch } from '../src/columns/take.js';
import { columnValues } from '../src/columns/toValues.js';
import { SluiceError } from '../src/types/ErrorRecord.js';
import { describeFields } from './paths/columnPlan.js';
import { jaroWinkler, normaliseKey } from './ml/jaroWinkler.js';
import { stringList } from './paramSchemas.js';
import { defineTransform } from './TransformDef.js';
import type { TransformInfo } from './types.js';

export interface FindMatchesParams {
  keyColumns?: string[];
  precisionRecallTradeoff?: number;
  /** With enforced matches (the node's second input): the column that identifies a record in both frames. */
  primaryKeyColumnName?: string;
}

/** Characters of a normalised value that make its block: records are compared only within one. */
const BLOCK_PREFIX = 3;

/** Records one block may hold: its pairs are all compared (50 million at this size). */
export const MAX_BLOCK = 10_000;

/** The score two records need to match: 0.75 (tradeoff 0, recall) to 0.99 (tradeoff 1, precision). */
export const matchThreshold = (tradeoff: number) => 0.75 + 0.24 * tradeoff;

/**
 * Glue's FindMatches, deterministic: adds `match_id` (bigint), equal for records found to be the
 * same entity. NOT Glue's model, trained on labelled examples: sluice matches by rule, so a rerun
 * on the same data gives the same ids.
 * - Compared columns: `keyColumns`, default every string column.
 * - Blocking: values are normalised (lower case, no accents or punctuation); two records are
 *   compared only when some compared column's normalised value starts with the same 3 characters.
 * - Score: the mean Jaro-Winkler similarity of the normalised values, over the columns both records
 *   have (equal values score 1); a pair matches at `matchThreshold(precisionRecallTradeoff)` or
 *   more (default tradeoff 0.5 → 0.87; towards 1 favours precision, towards 0 recall, as Glue's).
 * - Matches are transitive (a matches b, b matches c: one group); `match_id` is the 0-based input
 *   position of the group's first record.
 * The whole input is read first; a block is compared pair by pair (quadratic in its size), so a
 * block of more than MAX_BLOCK records fails the step rather than run for hours.
 */
export const findMatchesKernel: TransformKernel<FindMatchesParams> = {
  name: 'FindMatches',
  prepare([input, labels], { keyColumns, precisionRecallTradeoff = 0.5, primaryKeyColumnName }) {
    if (input.fields.some((f) => f.name === 'match_id')) throw new SluiceError("the frame already has a 'match_id' column, which FindMatches adds; rename or drop it first");
    const names = keyColumns ?? input.fields.filter((f) => f.type.typeId === Type.Utf8).map((f) => f.name);
    if (names.length === 0) throw new SluiceError(`no string columns to compare; name them with keyColumns (columns: ${describeFields(input.fields)})`);
    const columns = names.map((name) => {
      const i = input.fields.findIndex((f) => f.name === name);
      if (i < 0) throw new SluiceError(`no key column '${name}' to match on; available: ${describeFields(input.fields)}`);
      return i;
    });
    const threshold = matchThreshold(checkTradeoff(precisionRecallTradeoff));
    const enforced = labels ? labelColumns(input, labels, primaryKeyColumnName) : undefined;
    const schema = new Schema([...input.fields, new Field('match_id', new Int64(), false)], input.metadata);
    return {
      schema,
      async *run([stream, labelStream]) {
        const labelChunks: Chunk[] = [];
        if (labelStream) for await (const chunk of labelStream) labelChunks.push(chunk);
        const chunks: Chunk[] = [];
        for await (const chunk of stream) chunks.push(chunk);
        const constraints = enforced ? labelConstraints(chunks, labelChunks, enforced) : undefined;
        const ids = matchIds(chunks, columns, names, threshold, constraints);
        let offset = 0;
        for (const { batch, errors } of chunks) {
          const id = makeInt64(ids.subarray(offset, offset + batch.numRows));
          offset += batch.numRows;
          yield { batch: makeBatch(schema, [...(batch.data.children as Data[]), id], batch.numRows), errors };
        }
      },
    };
  },
};

/** Where the enforced matches' columns are: the frame's key column, and the labelled frame's key, set and label. */
interface LabelColumns { key: number; labelKey: number; set: number; label: number; name: string }

function labelColumns(input: Schema, labels: Schema, key: string | undefined): LabelColumns {
  if (!key) throw new SluiceError('enforcedMatches needs primaryKeyColumnName: the column that names a record in both frames');
  const find = (schema: Schema, name: string, what: string) => {
    const i = schema.fields.findIndex((f) => f.name.toLowerCase() === name.toLowerCase());
    if (i < 0) throw new SluiceError(`${what} has no column '${name}'; its columns: ${describeFields(schema.fields)}`);
    return i;
  };
  return {
    key: find(input, key, 'the frame'),
    labelKey: find(labels, key, 'enforcedMatches'),
    set: find(labels, 'labeling_set_id', 'enforcedMatches'),
    label: find(labels, 'label', 'enforcedMatches'),
    name: key,
  };
}

/** Glue's labels as constraints on records of the frame: groups that must be one, pairs that must stay apart. */
interface Constraints { together: number[][]; apart: [number, number, string][] }

/**
 * Glue's labelling-file semantics: within one labeling_set_id, records with the same label are
 * one entity, records with different labels are not. Records are found in the frame by their
 * primary key; a labelled key the frame lacks is left out.
 */
function labelConstraints(chunks: Chunk[], labelChunks: Chunk[], at: LabelColumns): Constraints {
  const rowsOfKey = new Map<string, number[]>();
  let row = 0;
  for (const { batch } of chunks) {
    for (const v of columnValues(batch.data.children[at.key] as Data)) {
      if (v !== null && v !== undefined) {
        const list = rowsOfKey.get(String(v));
        if (list) list.push(row);
        else rowsOfKey.set(String(v), [row]);
      }
      row++;
    }
  }
  // set → label → the frame's rows of its keys
  const sets = new Map<string, Map<string, number[]>>();
  for (const { batch } of labelChunks) {
    const keys = columnValues(batch.data.children[at.labelKey] as Data);
    const setIds = columnValues(batch.data.children[at.set] as Data);
    const labels = columnValues(batch.data.children[at.label] as Data);
    keys.forEach((k, i) => {
      const rows = k === null || k === undefined ? undefined : rowsOfKey.get(String(k));
      if (!rows || setIds[i] === null || labels[i] === null) return;
      let set = sets.get(String(setIds[i]));
      if (!set) sets.set(String(setIds[i]), (set = new Map()));
      const label = String(labels[i]);
      set.set(label, [...(set.get(label) ?? []), ...rows]);
    });
  }
  const together: number[][] = [];
  const apart: [number, number, string][] = [];
  for (const [setId, labels] of sets) {
    const groups = [...labels.values()];
    together.push(...groups);
    for (let a = 0; a < groups.length; a++) for (let b = a + 1; b < groups.length; b++) apart.push([groups[a][0], groups[b][0], setId]);
  }
  return { together, apart };
}

/** Per record, the position of the first record of its group. */
function matchIds(chunks: Chunk[], columns: number[], names: string[], threshold: number, constraints?: Constraints): BigInt64Array {
  const keys: (string | null)[][] = columns.map(() => []);
  for (const { batch } of chunks) {
    columns.forEach((c, k) => {
      for (const v of columnValues(batch.data.children[c] as Data)) keys[k].push(v === null || v === undefined ? null : normaliseKey(String(v)) || null);
    });
  }
  const n = keys[0]?.length ?? 0;
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]];
    return i;
  };
  // Records a root's group must not join (enforced non-matches), carried to the new root on a union.
  const apartOf = new Map<number, number[]>();
  for (const [a, b] of constraints?.apart ?? []) {
    apartOf.set(a, [...(apartOf.get(a) ?? []), b]);
    apartOf.set(b, [...(apartOf.get(b) ?? []), a]);
  }
  const kept = (a: number, b: number) => !(apartOf.get(a) ?? []).some((r) => find(r) === b) && !(apartOf.get(b) ?? []).some((r) => find(r) === a);
  // The smaller position is the root, so a group's root is its first record.
  const union = (a: number, b: number) => {
    const [root, child] = a < b ? [a, b] : [b, a];
    parent[child] = root;
    const moved = apartOf.get(child);
    if (moved) apartOf.set(root, [...(apartOf.get(root) ?? []), ...moved]);
  };
  for (const group of constraints?.together ?? []) {
    for (const r of group.slice(1)) {
      const a = find(group[0]);
      const b = find(r);
      if (a !== b) union(a, b);
    }
  }
  for (const [a, b, setId] of constraints?.apart ?? []) {
    if (find(a) === find(b)) throw new SluiceError(`FindMatches enforcedMatches: labeling_set_id ${setId} gives two labels to records that other labels make one entity`);
  }
  const blocks = new Map<string, number[]>();
  keys.forEach((values, k) => values.forEach((v, i) => {
    if (v === null) return;
    const block = `${k}\u0000${v.slice(0, BLOCK_PREFIX)}`;
    let members = blocks.get(block);
    if (!members) blocks.set(block, (members = []));
    members.push(i);
  }));
  for (const [block, members] of blocks) {
    if (members.length > MAX_BLOCK) {
      const [k, prefix] = block.split('\u0000');
      throw new SluiceError(`FindMatches: ${members.length} records of key column ${names[Number(k)]} start with '${prefix}', more than the ${MAX_BLOCK} one block may compare pair by pair; choose keyColumns with more distinctive values`);
    }
    for (let x = 0; x < members.length; x++) {
      for (let y = x + 1; y < members.length; y++) {
        const a = find(members[x]);
        const b = find(members[y]);
        if (a === b || score(keys, members[x], members[y]) < threshold || !kept(a, b)) continue;
        union(a, b);
      }
    }
  }
  const ids = new BigInt64Array(n);
  for (let i = 0; i < n; i++) ids[i] = BigInt(find(i));
  return ids;
}

function score(keys: (string | null)[][], i: number, j: number): number {
  let sum = 0;
  let compared = 0;
  for (const values of keys) {
    const a = values[i];
    const b = values[j];
    if (a === null || b === null) continue;
    sum += jaroWinkler(a, b);
    compared++;
  }
  return compared ? sum / compared : 0;
}

function makeInt64(values: BigInt64Array): Data {
  return makeData({ type: new Int64(), length: values.length, nullCount: 0, data: values });
}

function checkTradeoff(value: unknown): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) throw new SluiceError(`precisionRecallTradeoff must be a number from 0 (recall) to 1 (precision), got ${JSON.stringify(value)}`);
  return value;
}

export const FindMatches = defineTransform({
  name: 'FindMatches',
  description: "Glue's FindMatches, by rule instead of a trained model: adds match_id (bigint), equal for records judged the same entity. Records are blocked on the first characters of their normalised key values and matched when the mean Jaro-Winkler similarity reaches a threshold that precisionRecallTradeoff moves (0 favours recall, 1 precision). Matches are transitive; match_id is the position of the group's first record. Reads its whole input first.",
  inputs: 'one',
  params: {
    properties: {
      keyColumns: stringList('the columns to compare (default: every string column)'),
      precisionRecallTradeoff: { type: 'number', minimum: 0, maximum: 1, default: 0.5, description: 'from 0 (favour recall: match more) to 1 (favour precision: match less)' },
    },
  },
  example: { keyColumns: ['name', 'address'], precisionRecallTradeoff: 0.7 },
  kernel: findMatchesKernel,
  apiParams: ['keyColumns', 'precisionRecallTradeoff', 'enforcedMatches', 'primaryKeyColumnName'],
  apply(args: { frame: DataFrame<Row>; keyColumns?: string[]; precisionRecallTradeoff?: number; enforcedMatches?: DataFrame<Row>; primaryKeyColumnName?: string } & TransformInfo): DataFrame<Row> {
    const { frame, keyColumns, precisionRecallTradeoff, enforcedMatches, primaryKeyColumnName, ...info } = args;
    const params: FindMatchesParams = {};
    if (keyColumns) params.keyColumns = [...keyColumns];
    if (precisionRecallTradeoff !== undefined) params.precisionRecallTradeoff = checkTradeoff(precisionRecallTradeoff);
    if (primaryKeyColumnName !== undefined) params.primaryKeyColumnName = primaryKeyColumnName;
    if (enforcedMatches && !primaryKeyColumnName) throw new SluiceError('FindMatches enforcedMatches needs primaryKeyColumnName: the column that names a record in both frames');
    // The labelled frame is the node's second input: the plan stays plain data.
    return frame.derive('FindMatches', params as Record<string, unknown>, enforcedMatches ? [enforcedMatches] : [], info);
  },
});
