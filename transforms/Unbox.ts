import { Field, Null, Schema, Struct, Type, makeData, type Data, type DataType, type RecordBatch } from 'apache-arrow';
import type { Chunk, TransformKernel } from '../src/exec/Kernel.js';
import type { DataFrame, Row } from '../src/frame/DataFrame.js';
import { makeBatch, takeBatch } from '../src/columns/take.js';
import { columnValues } from '../src/columns/toValues.js';
import { mergeTypes, settle, typeOfJsonValue } from '../src/io/formats/json/inferJsonSchema.js';
import { jsonColumnBuilder } from '../src/io/formats/json/jsonColumns.js';
import { SluiceError, type ErrorRecord } from '../src/types/ErrorRecord.js';
import { checkUnboxFormat, parseBoxed, type UnboxFormat } from './nested/unboxValues.js';
import { nestedColumn } from './paths/nestedColumn.js';
import { parsePaths, resolvePath } from './paths/columnPlan.js';
import { nonEmptyString } from './paramSchemas.js';
import { topLevel } from '../src/plan/columnsUsed.js';
import { defineTransform } from './TransformDef.js';
import type { FieldPath, TransformInfo } from './types.js';

export interface UnboxParams extends UnboxFormat { path: FieldPath }

/**
 * Glue's unbox: parses a string column into a struct (or whatever the text holds) in place. The
 * type is inferred over every value, with the JSON reader's rules (int32 → int64 → float64,
 * struct fields unioned in first-seen order, conflicts as text), so the kernel reads its whole
 * input before its schema is known, as DropNullFields does. A value that does not parse becomes
 * an error record with its text; a null stays null.
 */
export const unboxKernel: TransformKernel<UnboxParams> = {
  name: 'Unbox',
  prepare() {
    throw new SluiceError('Unbox infers its output type from the values; it runs with its input (prepareWithData)');
  },
  prepareWithData([input], params) {
    const [path] = parsePaths([params.path], 'Unbox path');
    const chain = resolvePath(input.schema.fields, path);
    const leaf = chain[chain.length - 1][1];
    if (leaf.type.typeId !== Type.Utf8) throw new SluiceError(`Unbox path '${params.path}' is ${leaf.type}, not a string`);
    const indices = chain.map(([i]) => i);
    let merged: DataType = new Null();
    const parsed = input.chunks.map((chunk) => {
      const texts = columnValues(nestedColumn(chunk.batch.data.children as Data[], indices)) as (string | null)[];
      const values: unknown[] = new Array(texts.length).fill(null);
      const bad: number[] = [];
      const errors: ErrorRecord[] = [];
      texts.forEach((text, i) => {
        if (text === null) return;
        const result = parseBoxed(text, params);
        if ('error' in result) {
          bad.push(i);
          errors.push({ message: `Unbox '${params.path}' as ${params.format}: ${result.error}`, raw: text });
        } else {
          values[i] = result.value;
          merged = mergeTypes(merged, typeOfJsonValue(result.value));
        }
      });
      return { values, bad, errors };
    });
    const type = settle(merged);
    const fields = replaceField(input.schema.fields, indices, 0, new Field(leaf.name, type, true));
    const schema = new Schema(fields, input.schema.metadata);
    return {
      schema,
      async *run() {
        for (let c = 0; c < input.chunks.length; c++) {
          yield unboxChunk(input.chunks[c], parsed[c], { schema, indices, type, path: params.path });
        }
      },
    };
  },
};

function unboxChunk(chunk: Chunk, parsed: { values: unknown[]; bad: number[]; errors: ErrorRecord[] }, out: { schema: Schema; indices: number[]; type: DataType; path: string }): Chunk {
  let batch: RecordBatch = chunk.batch;
  let values = parsed.values;
  if (parsed.bad.length > 0) {
    const bad = new Set(parsed.bad);
    const kept = Int32Array.from({ length: batch.numRows }, (_v, i) => i).filter((i) => !bad.has(i));
    batch = takeBatch(batch, kept);
    values = Array.from(kept, (i) => parsed.values[i]);
  }
  const builder = jsonColumnBuilder(out.type, out.path);
  for (const value of values) builder.append(value);
  const columns = replaceData(batch.data.children as Data[], out.schema.fields, out.indices, 0, builder.finish());
  return { batch: makeBatch(out.schema, columns, batch.numRows), errors: [...chunk.errors, ...parsed.errors] };
}

/** The fields with the one at `indices` (down through structs) replaced. */
function replaceField(fields: readonly Field[], indices: number[], depth: number, leaf: Field): Field[] {
  return fields.map((f, i) => {
    if (i !== indices[depth]) return f;
    if (depth === indices.length - 1) return leaf;
    return new Field(f.name, new Struct(replaceField((f.type as Struct).children, indices, depth + 1, leaf)), f.nullable, f.metadata);
  });
}

/** The columns with the one at `indices` replaced; its parent structs are rebuilt around it. */
function replaceData(columns: readonly Data[], fields: readonly Field[], indices: number[], depth: number, leaf: Data): Data[] {
  return columns.map((column, i) => {
    if (i !== indices[depth]) return column;
    if (depth === indices.length - 1) return leaf;
    const type = fields[i].type as Struct;
    const children = replaceData(column.children as Data[], type.children, indices, depth + 1, leaf);
    return makeData({ type, offset: column.offset, length: column.length, nullCount: column.nullCount, nullBitmap: column.nullBitmap, children });
  });
}

export const Unbox = defineTransform({
  name: 'Unbox',
  description: "Glue's unbox: parses the string column at path as JSON, or as CSV (separator, default ','; withHeader: each value is a header line and a record line, else fields are col0, col1, …), into a struct under the same name (address: string → address: struct<city, zip>). The type is inferred over every value with the JSON reader's rules (int32 → int64 → float64, struct fields unioned, conflicting types kept as text), so Unbox reads its whole input before its schema is known. A value that does not parse becomes an error record holding its text; null stays null.",
  inputs: 'one',
  params: {
    properties: {
      path: nonEmptyString('the string column; dots reach into structs'),
      format: { enum: ['json', 'csv'], description: 'how the strings are written' },
      separator: { type: 'string', minLength: 1, description: "csv: the field separator (default ',')" },
      withHeader: { type: 'boolean', description: 'csv: each value starts with a header line naming the fields' },
    },
    required: ['path', 'format'],
  },
  example: { path: 'payload', format: 'json' },
  kernel: unboxKernel,
  inputColumns: ({ path }, required) => [required ? new Set([...required, topLevel(path)]) : null],
  apply(args: { frame: DataFrame<Row>; path: FieldPath; format: 'json' | 'csv'; separator?: string; withHeader?: boolean } & TransformInfo): DataFrame<Row> {
    parsePaths([args.path], 'Unbox path');
    const options: UnboxFormat = { format: args.format, ...(args.separator !== undefined ? { separator: args.separator } : {}), ...(args.withHeader !== undefined ? { withHeader: args.withHeader } : {}) };
    checkUnboxFormat(options);
    return args.frame.derive('Unbox', { path: args.path, ...options }, [], args);
  },
});
