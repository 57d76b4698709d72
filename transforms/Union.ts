import { Field, Schema, Type, type Data, type DataType, type RecordBatch } from 'apache-arrow';
import type { ChunkStream, TransformKernel } from '../src/exec/Kernel.js';
import type { DataFrame, Row } from '../src/frame/DataFrame.js';
import { columnFromValues } from '../src/columns/fromValues.js';
import { makeBatch } from '../src/columns/take.js';
import { castData } from '../src/expr/index.js';
import { mergeType, sameType } from '../src/expr/typeRules.js';
import { SluiceError } from '../src/types/ErrorRecord.js';
import { typeName } from '../src/types/typeNames.js';
import { defineTransform } from './TransformDef.js';
import type { TransformInfo } from './types.js';

/**
 * Glue's Union: the rows of frame1 then those of frame2, duplicates kept (SQL UNION ALL).
 * Columns are matched by name: frame1's order first, then frame2's extra columns; a column one
 * side lacks is null there. Types that differ are widened (int32 + int64 → int64, int + double →
 * double, anything + string → string, as Spark does); other mismatches fail at prepare.
 */
export const unionKernel: TransformKernel<UnionParams> = {
  name: 'Union',
  prepare([left, right], { allowMissingColumns = true }) {
    if (!allowMissingColumns) checkSameColumns(left, right);
    const fields = unionFields(left, right);
    const schema = new Schema(fields, left.metadata);
    return {
      schema,
      async *run([first, second]) {
        yield* conform(first, left, schema);
        yield* conform(second, right, schema);
      },
    };
  },
};

export interface UnionParams {
  /** false: both sides must have the same columns (Spark's unionByName default); true (Glue's Union): a missing column is null. */
  allowMissingColumns?: boolean;
}

function checkSameColumns(left: Schema, right: Schema): void {
  const missing = (a: Schema, b: Schema) => a.fields.map((f) => f.name).filter((n) => !b.fields.some((g) => g.name === n));
  const onlyLeft = missing(left, right);
  const onlyRight = missing(right, left);
  if (onlyLeft.length || onlyRight.length) {
    const parts = [onlyLeft.length ? `only frame1 has ${onlyLeft.join(', ')}` : '', onlyRight.length ? `only frame2 has ${onlyRight.join(', ')}` : ''].filter(Boolean);
    throw new SluiceError(`cannot union by name: ${parts.join('; ')}; pass allowMissingColumns: true to fill them with nulls`);
  }
}

function unionFields(left: Schema, right: Schema): Field[] {
  const names = [...left.fields.map((f) => f.name), ...right.fields.map((f) => f.name).filter((n) => !left.fields.some((f) => f.name === n))];
  return names.map((name) => {
    const a = left.fields.find((f) => f.name === name);
    const b = right.fields.find((f) => f.name === name);
    if (!a || !b) return new Field(name, (a ?? b)!.type, true, (a ?? b)!.metadata);
    const type = commonType(a.type, b.type);
    if (!type) {
      throw new SluiceError(`cannot union column '${name}': frame1 has ${typeName(a.type)}, frame2 has ${typeName(b.type)}; cast one side first (ApplyMapping or withColumns)`);
    }
    return new Field(name, type, a.nullable || b.nullable, a.metadata);
  });
}

function commonType(a: DataType, b: DataType): DataType | undefined {
  if (sameType(a, b)) return a;
  if (a.typeId === Type.Null) return b;
  if (b.typeId === Type.Null) return a;
  const nested = (t: DataType) => t.typeId === Type.Struct || t.typeId === Type.List;
  if (nested(a) || nested(b)) return undefined;
  return mergeType(a, b);
}

/** One side's chunks reordered, widened and padded to the union schema. */
async function* conform(stream: ChunkStream, input: Schema, schema: Schema): ChunkStream {
  const sources = schema.fields.map((f) => input.fields.findIndex((g) => g.name === f.name));
  const untouched = sources.every((s, i) => s === i) && input.fields.length === schema.fields.length
    && schema.fields.every((f, i) => sameType(f.type, input.fields[i].type));
  for await (const chunk of stream) {
    if (untouched) {
      yield { batch: makeBatch(schema, chunk.batch.data.children as Data[], chunk.batch.numRows), errors: chunk.errors };
      continue;
    }
    yield { batch: conformBatch(chunk.batch, sources, schema), errors: chunk.errors };
  }
}

function conformBatch(batch: RecordBatch, sources: number[], schema: Schema): RecordBatch {
  const n = batch.numRows;
  const columns = schema.fields.map((f, i) => {
    if (sources[i] < 0) return columnFromValues(f.type, new Array<null>(n).fill(null));
    const data = batch.data.children[sources[i]] as Data;
    return sameType(data.type, f.type) ? data : castData(data, f.type).data;
  });
  return makeBatch(schema, columns, n);
}

function applyUnion(args: { frame1: DataFrame<Row>; frame2: DataFrame<Row> } & UnionParams & TransformInfo): DataFrame<Row> {
  if (args.allowMissingColumns !== undefined && typeof args.allowMissingColumns !== 'boolean') {
    throw new SluiceError(`Union allowMissingColumns must be true or false, got ${JSON.stringify(args.allowMissingColumns)}`);
  }
  const params: UnionParams = args.allowMissingColumns === false ? { allowMissingColumns: false } : {};
  return args.frame1.derive('Union', params as Record<string, unknown>, [args.frame2], args);
}

export const Union = defineTransform({
  name: 'Union',
  description: "Glue's Union: the rows of the first input, then those of the next, duplicates kept (SQL UNION ALL). Columns are matched by name; a column one side lacks is null there; differing types widen as in Spark (int32 + int64 → int64, anything + string → string). A spec node may list more than two inputs: they fold left.",
  inputs: 'many',
  params: {
    properties: {
      allowMissingColumns: { type: 'boolean', description: 'true (default): a column one side lacks is null there; false: the sides must have the same columns' },
    },
  },
  example: {},
  kernel: unionKernel,
  fromSpec(params, { frames, info }) {
    const allowMissingColumns = params.allowMissingColumns as boolean | undefined;
    // Glue's Union takes two frames; n inputs fold left, the last step carrying the node's info.
    let frame = frames[0];
    for (let i = 1; i < frames.length; i++) frame = applyUnion({ frame1: frame, frame2: frames[i], ...(allowMissingColumns === false ? { allowMissingColumns } : {}), ...(i === frames.length - 1 ? info : {}) });
    return frame;
  },
  apply: applyUnion,
});

