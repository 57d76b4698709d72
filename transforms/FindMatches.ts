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

export interface FindMatchesParams { keyColumns?: string[]; precisionRecallTradeoff?: number }

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
  prepare([input], { keyColumns, precisionRecallTradeoff = 0.5 }) {
    if (input.fields.some((f) => f.name === 'match_id')) throw new SluiceError("the frame already has a 'match_id' column, which FindMatches adds; rename or drop it first");
    const names = keyColumns ?? input.fields.filter((f) => f.type.typeId === Type.Utf8).map((f) => f.name);
    if (names.length === 0) throw new SluiceError(`no string columns to compare; name them with keyColumns (columns: ${describeFields(input.fields)})`);
    const columns = names.map((name) => {
      const i = input.fields.findIndex((f) => f.name === name);
      if (i < 0) throw new SluiceError(`no key column '${name}' to match on; available: ${describeFields(input.fields)}`);
      return i;
    });
    const threshold = matchThreshold(checkTradeoff(precisionRecallTradeoff));
    const schema = new Schema([...input.fields, new Field('match_id', new Int64(), false)], input.metadata);
    return {
      schema,
      async *run([stream]) {
        const chunks: Chunk[] = [];
        for await (const chunk of stream) chunks.push(chunk);
        const ids = matchIds(chunks, columns, names, threshold);
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

/** Per record, the position of the first record of its group. */
function matchIds(chunks: Chunk[], columns: number[], names: string[], threshold: number): BigInt64Array {
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
        if (a === b || score(keys, members[x], members[y]) < threshold) continue;
        // The smaller position is the root, so a group's root is its first record.
        if (a < b) parent[b] = a;
        else parent[a] = b;
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
  apply(args: { frame: DataFrame<Row>; keyColumns?: string[]; precisionRecallTradeoff?: number } & TransformInfo): DataFrame<Row> {
    const params: FindMatchesParams = {};
    if (args.keyColumns) params.keyColumns = [...args.keyColumns];
    if (args.precisionRecallTradeoff !== undefined) params.precisionRecallTradeoff = checkTradeoff(args.precisionRecallTradeoff);
    return args.frame.derive('FindMatches', params as Record<string, unknown>, [], args);
  },
});
