import { Field, Int32, Schema, Type, makeData, type Data, type List, type Map_, type Struct } from 'apache-arrow';
import type { TransformKernel } from '../src/exec/Kernel.js';
import type { DataFrame, Row } from '../src/frame/DataFrame.js';
import { makeBatch, takeData } from '../src/columns/take.js';
import { takeNullable } from '../src/columns/takeNullable.js';
import { validityOf, bitIsSet } from '../src/expr/vectors.js';
import { SluiceError } from '../src/types/ErrorRecord.js';
import { typeName } from '../src/types/typeNames.js';
import { nonEmptyString } from './paramSchemas.js';
import { defineTransform } from './TransformDef.js';
import type { TransformInfo } from './types.js';

export interface ExplodeParams {
  /** The array or map column to explode. */
  column: string;
  /** An array's element column name (default: the exploded column's own name). */
  as?: string;
  /** When given, a column of this name holds each element's position, from 0 (Spark's posexplode). */
  position?: string;
  /** Keep a row whose array or map is null or empty, with null element (Spark's explode_outer). */
  outer?: boolean;
}

/**
 * Spark's explode / posexplode / explode_outer as a step: one output row per element of an array
 * column (or entry of a map column), the other columns repeated. The element takes the array's
 * place (named `as`, default the column's own name); a map's entry becomes two columns, `key` and
 * `value`, as in Spark; `position` adds the element's 0-based position before it. A row whose
 * array is null or empty yields nothing, or one row with nulls when `outer`. Works on Arrow
 * buffers: the offsets give one index list, and every column is gathered once.
 */
export const explodeKernel: TransformKernel<ExplodeParams> = {
  name: 'Explode',
  prepare([input], params) {
    const { column, as, position, outer = false } = params;
    const index = input.fields.findIndex((f) => f.name === column);
    if (index < 0) throw new SluiceError(`Explode: no column '${column}'; columns: ${input.fields.map((f) => f.name).join(', ')}`);
    const type = input.fields[index].type;
    const isMap = type.typeId === Type.Map;
    if (type.typeId !== Type.List && !isMap) throw new SluiceError(`Explode: column '${column}' is ${typeName(type)}; explode takes an array or a map`);
    if (isMap && as !== undefined) throw new SluiceError("Explode: a map explodes into columns 'key' and 'value'; 'as' names an array's element only");
    const produced = isMap
      ? (mapEntry(type as Map_).children.map((f) => new Field(f.name === 'key' ? 'key' : 'value', f.type, true)))
      : [new Field(as ?? column, (type as List).valueType, true)];
    if (position !== undefined) produced.unshift(new Field(position, new Int32(), outer));
    const fields = [...input.fields.slice(0, index), ...produced, ...input.fields.slice(index + 1)];
    const names = fields.map((f) => f.name);
    const clash = names.find((n, i) => names.indexOf(n) !== i);
    if (clash !== undefined) throw new SluiceError(`Explode: the output would have two columns named '${clash}'; choose another name with 'as' or 'position'`);
    const schema = new Schema(fields, input.metadata);
    return {
      schema,
      async *run([stream]) {
        for await (const chunk of stream) {
          const batch = chunk.batch;
          const list = batch.data.children[index] as Data;
          const { rows, elements } = explodeIndices(list, batch.numRows, outer);
          const child = list.children[0];
          const exploded = isMap ? child.children.map((c) => takeNullable(c, elements)) : [takeNullable(child, elements)];
          if (position !== undefined) exploded.unshift(positions(list, rows, elements));
          const columns = batch.data.children.flatMap((c, k) => (k === index ? exploded : [takeData(c as Data, rows)]));
          yield { batch: makeBatch(schema, columns, rows.length), errors: chunk.errors };
        }
      },
    };
  },
};

const mapEntry = (t: Map_): Struct => t.children[0].type as Struct;

/** For each output row: the input row it repeats, and its element's index in the child column (-1: none). */
function explodeIndices(list: Data, length: number, outer: boolean): { rows: Int32Array; elements: Int32Array } {
  const offsets = list.valueOffsets as Int32Array;
  const validity = validityOf(list);
  let total = 0;
  for (let i = 0; i < length; i++) {
    const n = validity && !bitIsSet(validity, i) ? 0 : offsets[i + 1] - offsets[i];
    total += n === 0 && outer ? 1 : n;
  }
  const rows = new Int32Array(total);
  const elements = new Int32Array(total);
  let at = 0;
  for (let i = 0; i < length; i++) {
    const start = offsets[i];
    const end = validity && !bitIsSet(validity, i) ? start : offsets[i + 1];
    if (start === end) {
      if (outer) (rows[at] = i, elements[at++] = -1);
      continue;
    }
    for (let e = start; e < end; e++) (rows[at] = i, elements[at++] = e);
  }
  return { rows, elements };
}

/** Each output row's 0-based position in its array; null for an outer row with no element. */
function positions(list: Data, rows: Int32Array, elements: Int32Array): Data {
  const offsets = list.valueOffsets as Int32Array;
  const values = new Int32Array(rows.length);
  let nulls = 0;
  const bitmap = new Uint8Array((rows.length + 7) >> 3);
  for (let k = 0; k < rows.length; k++) {
    if (elements[k] < 0) nulls++;
    else {
      values[k] = elements[k] - offsets[rows[k]];
      bitmap[k >> 3] |= 1 << (k & 7);
    }
  }
  return makeData({ type: new Int32(), length: rows.length, nullCount: nulls, nullBitmap: nulls ? bitmap : undefined, data: values }) as Data;
}

export const Explode = defineTransform({
  name: 'Explode',
  description: "Spark's explode, posexplode and explode_outer: one row per element of an array column (or entry of a map column, as columns key and value), the other columns repeated. The element takes the array's place, named 'as' (default: the column's name); 'position' adds the 0-based position; 'outer' keeps rows whose array is null or empty, with a null element.",
  inputs: 'one',
  params: {
    properties: {
      column: nonEmptyString('the array or map column to explode'),
      as: nonEmptyString("an array's element column (default: the column's own name)"),
      position: nonEmptyString("a column for each element's 0-based position (Spark's posexplode; default: none)"),
      outer: { type: 'boolean', description: 'keep rows whose array is null or empty, with a null element (explode_outer; default false)' },
    },
    required: ['column'],
  },
  example: { column: 'items', as: 'item', position: 'pos' },
  kernel: explodeKernel,
  inputColumns({ column, as, position }, required) {
    if (!required) return [null];
    const produced = new Set([as ?? column, position, 'key', 'value']);
    return [new Set([...[...required].filter((c) => !produced.has(c)), column])];
  },
  perSplit: () => true,
  apply(args: { frame: DataFrame<Row> } & ExplodeParams & TransformInfo): DataFrame<Row> {
    if (typeof args.column !== 'string' || args.column === '') throw new SluiceError(`Explode: column must be a column name, got ${JSON.stringify(args.column)}`);
    for (const key of ['as', 'position'] as const) {
      if (args[key] !== undefined && (typeof args[key] !== 'string' || args[key] === '')) throw new SluiceError(`Explode: ${key} must be a column name, got ${JSON.stringify(args[key])}`);
    }
    if (args.outer !== undefined && typeof args.outer !== 'boolean') throw new SluiceError(`Explode: outer must be true or false, got ${JSON.stringify(args.outer)}`);
    const params: ExplodeParams = {
      column: args.column,
      ...(args.as !== undefined ? { as: args.as } : {}),
      ...(args.position !== undefined ? { position: args.position } : {}),
      ...(args.outer ? { outer: true } : {}),
    };
    return args.frame.derive('Explode', params as unknown as Record<string, unknown>, [], args);
  },
});
