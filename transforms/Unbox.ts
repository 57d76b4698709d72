import { Field, Null, Schema, Struct, Type, makeData, type Data, type DataType, type RecordBatch } from 'apache-arrow';
import type { Chunk, TransformKernel } from '../src/exec/Kernel.js';
import { ChunkBuffer, chunkBufferBytes } from '../src/exec/chunkBuffer.js';
import type { DataFrame, Row } from '../src/frame/DataFrame.js';
import { makeBatch, takeBatch } from '../src/columns/take.js';
import { columnValues } from '../src/columns/toValues.js';
import { mergeTypes, settle, typeOfJsonValue } from '../src/io/formats/json/inferJsonSchema.js';
import { jsonColumnBuilder } from '../src/io/formats/json/jsonColumns.js';
import { isStringType } from '../src/expr/typeRules.js';
import { SluiceError, type ErrorRecord } from '../src/types/ErrorRecord.js';
import { parseType } from '../src/types/typeNames.js';
import { checkUnboxFormat, parseBoxed, type UnboxFormat } from './nested/unboxValues.js';
import { nestedColumn } from './paths/nestedColumn.js';
import { parsePaths, resolvePath } from './paths/columnPlan.js';
import { nonEmptyString } from './paramSchemas.js';
import { topLevel } from '../src/plan/columnsUsed.js';
import { defineTransform } from './TransformDef.js';
import type { FieldPath, TransformInfo } from './types.js';

export interface UnboxParams extends UnboxFormat {
  path: FieldPath;
  /** A declared type (`struct<city:string,zip:int32>`): no inference pass, and misfits become error records. */
  withSchema?: string;
}

/**
 * Glue's unbox: parses a string column into a struct (or whatever the text holds) in place. The
 * type is inferred over every value, with the JSON reader's rules (int32 → int64 → float64,
 * struct fields unioned in first-seen order, conflicts as text), so the kernel reads its whole
 * input before its schema is known. It keeps that input as Arrow batches, in memory up to 64 MiB
 * and then in a temp IPC file (exec/chunkBuffer.ts), not as parsed values: the run parses each
 * value again. A value that does not parse becomes an error record with its text; a null stays null.
 */
export const unboxKernel: TransformKernel<UnboxParams> = {
  name: 'Unbox',
  prepare() {
    throw new SluiceError('Unbox infers its type from the values: the executor runs it with its input (prepareWithInputs)');
  },
  async prepareWithInputs([input], params) {
    const { leaf, indices } = stringColumn(input.schema, params);
    let merged: DataType = new Null();
    const buffer = new ChunkBuffer(chunkBufferBytes(), input.schema);
    try {
      for await (const chunk of input.run()) {
        parseChunk(chunk, indices, params, (value) => {
          merged = mergeTypes(merged, typeOfJsonValue(value));
        });
        await buffer.push(chunk);
      }
      await buffer.flush();
    } catch (error) {
      await buffer.discard();
      throw error;
    }
    const type = settle(merged);
    const schema = new Schema(replaceField(input.schema.fields, indices, 0, new Field(leaf.name, type, true)), input.schema.metadata);
    let replayed = false;
    return {
      schema,
      async *run([stream]) {
        // The first run replays the buffered input; another one reads the input again.
        const chunks = replayed ? stream : buffer.replay();
        replayed = true;
        for await (const chunk of chunks) {
          yield unboxChunk(chunk, parseChunk(chunk, indices, params, () => undefined), { schema, indices, type, path: params.path });
        }
      },
    };
  },
};

/** Unbox with a declared type (`withSchema`): no inference, so it streams batch by batch. */
export const unboxDeclaredKernel: TransformKernel<UnboxParams & { withSchema: string }> = {
  name: 'UnboxDeclared',
  prepare([input], params) {
    const { leaf, indices } = stringColumn(input, params);
    const type = parseType(params.withSchema);
    const schema = new Schema(replaceField(input.fields, indices, 0, new Field(leaf.name, type, true)), input.metadata);
    return {
      schema,
      async *run([stream]) {
        for await (const chunk of stream) {
          yield unboxChunk(chunk, parseChunk(chunk, indices, params, () => undefined), { schema, indices, type, path: params.path });
        }
      },
    };
  },
};

/** The string column at the path: its field and its indices down through structs. */
function stringColumn(input: Schema, params: UnboxParams): { leaf: Field; indices: number[] } {
  const [path] = parsePaths([params.path], 'Unbox path');
  const chain = resolvePath(input.fields, path);
  const leaf = chain[chain.length - 1][1];
  if (!isStringType(leaf.type)) throw new SluiceError(`Unbox path '${params.path}' is ${leaf.type}, not a string`);
  return { leaf, indices: chain.map(([i]) => i) };
}

interface ParsedChunk { values: unknown[]; bad: number[]; errors: ErrorRecord[] }

/** Every value of the chunk's string column parsed; `seen` is told each parsed value (type inference). */
function parseChunk(chunk: Chunk, indices: number[], params: UnboxParams, seen: (value: unknown) => void): ParsedChunk {
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
      seen(result.value);
    }
  });
  return { values, bad, errors };
}

function unboxChunk(chunk: Chunk, parsed: ParsedChunk, out: { schema: Schema; indices: number[]; type: DataType; path: string }): Chunk {
  const builder = jsonColumnBuilder(out.type, out.path);
  // A value that does not fit a declared type is an error record, like a misfit read against a schema.
  parsed.values.forEach((value, i) => {
    const problem = value === null ? undefined : builder.check(value);
    if (problem === undefined) return;
    parsed.bad.push(i);
    parsed.errors.push({ message: `Unbox '${out.path}': ${problem}`, raw: JSON.stringify(value) });
  });
  let batch: RecordBatch = chunk.batch;
  let values = parsed.values;
  if (parsed.bad.length > 0) {
    const bad = new Set(parsed.bad);
    const kept = Int32Array.from({ length: batch.numRows }, (_v, i) => i).filter((i) => !bad.has(i));
    batch = takeBatch(batch, kept);
    values = Array.from(kept, (i) => parsed.values[i]);
  }
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
  description: "Glue's unbox: parses the string column at path as JSON, or as CSV (separator, default ','; withHeader: each value is a header line and a record line, else fields are col0, col1, …), into a struct under the same name (address: string → address: struct<city, zip>). The type is inferred over every value with the JSON reader's rules (int32 → int64 → float64, struct fields unioned, conflicting types kept as text), so Unbox reads its whole input before its schema is known (kept as Arrow batches, spilled to a temp file past 64 MiB). A value that does not parse becomes an error record holding its text; null stays null. withSchema declares the type instead (a sluice type such as struct<city:string,zip:int32>): Unbox then streams, and a value that does not fit becomes an error record, as a misfit read against a schema.",
  inputs: 'one',
  params: {
    properties: {
      path: nonEmptyString('the string column; dots reach into structs'),
      format: { enum: ['json', 'csv'], description: 'how the strings are written' },
      separator: { type: 'string', minLength: 1, description: "csv: the field separator (default ',')" },
      withHeader: { type: 'boolean', description: 'csv: each value starts with a header line naming the fields' },
      withSchema: nonEmptyString('the parsed type, declared (struct<city:string,zip:int32>): no inference pass; misfits become error records'),
    },
    required: ['path', 'format'],
  },
  example: { path: 'payload', format: 'json' },
  kernel: unboxKernel,
  inputColumns: ({ path }, required) => [required ? new Set([...required, topLevel(path)]) : null],
  apply(args: { frame: DataFrame<Row>; path: FieldPath; format: 'json' | 'csv'; separator?: string; withHeader?: boolean; withSchema?: string } & TransformInfo): DataFrame<Row> {
    parsePaths([args.path], 'Unbox path');
    const options: UnboxFormat = { format: args.format, ...(args.separator !== undefined ? { separator: args.separator } : {}), ...(args.withHeader !== undefined ? { withHeader: args.withHeader } : {}) };
    checkUnboxFormat(options);
    if (args.withSchema === undefined) return args.frame.derive('Unbox', { path: args.path, ...options }, [], args);
    parseType(args.withSchema); // a bad type name fails now
    return args.frame.derive('UnboxDeclared', { path: args.path, ...options, withSchema: args.withSchema }, [], args);
  },
});

/** Internal: the plan node of an Unbox with withSchema (Unbox.apply chooses it); no job-spec node of its own. */
export const UnboxDeclared = defineTransform({
  name: 'UnboxDeclared',
  description: 'Unbox with a declared type: streams, misfits become error records.',
  internal: true,
  inputs: 'one',
  params: { properties: {} },
  example: {},
  kernel: unboxDeclaredKernel,
  inputColumns: ({ path }, required) => [required ? new Set([...required, topLevel(path)]) : null],
  perSplit: () => true,
  apply: (): DataFrame<Row> => {
    throw new SluiceError('UnboxDeclared is built by Unbox.apply({ ..., withSchema })');
  },
});
