import { openAsBlob } from 'node:fs';
import { Schema, Type } from 'apache-arrow';
import type { RecordBatch } from 'apache-arrow';
import { expect } from 'vitest';
import { flatColumns, flatSchema } from '../../../src/io/formats/parquet/decode/footerSchema.js';
import { planFlatRead } from '../../../src/io/formats/parquet/decode/flatReader.js';
import { readParquetFooter } from '../../../src/io/formats/parquet/parquetFooter.js';
import { parquetReader, parquetRowGroups } from '../../../src/io/formats/parquet/parquetReader.js';
import { dictionaryEncodedField } from '../../../src/types/dictionaryEncoded.js';
import { rowsOf } from '../helpers.js';
import { withEnv } from '../../support/env.js';

/**
 * Reading a Parquet file through sluice's own flat decoder and through parquet-wasm
 * (SLUICE_PARQUET_DECODER=wasm), for the decoder's differential tests.
 */

export const withDecoder = <T>(mode: 'auto' | 'wasm', run: () => Promise<T>): Promise<T> => withEnv('SLUICE_PARQUET_DECODER', mode, run);

export const describeSchema = (schema: Schema) => ({
  fields: schema.fields.map((f) => `${f.name}: ${String(f.type)}${f.nullable ? '' : ' not null'}${f.metadata.size ? ` ${JSON.stringify([...f.metadata])}` : ''}`),
  metadata: [...schema.metadata].sort(),
});

export interface ReadShape {
  batchSize?: number;
  columns?: string[];
  /** String columns to read as sluice's dictionary encoding. */
  dictionary?: string[];
}

export async function readAll(path: string, shape: ReadShape = {}) {
  const inferred = await parquetReader.inferSchema(path, {});
  const dictionary = new Set(shape.dictionary ?? []);
  const schema = new Schema(inferred.fields.map((f) => (dictionary.has(f.name) && f.type.typeId === Type.Utf8 ? dictionaryEncodedField(f) : f)), inferred.metadata);
  const batches: RecordBatch[] = [];
  for await (const chunk of parquetReader.read(path, {}, { schema, batchSize: shape.batchSize, columns: shape.columns })) batches.push(chunk.batch);
  return { inferred, batches, rowGroups: await parquetRowGroups(path) };
}

/** Whether the own decoder takes the whole file, or these of its columns (else the read went to parquet-wasm, as it may). */
export async function decodesItself(path: string, names?: string[]): Promise<boolean> {
  const footer = await readParquetFooter(await openAsBlob(path), path);
  if (!names && !flatSchema(footer)) return false;
  const columns = flatColumns(footer);
  return columns !== undefined && (await planFlatRead(footer, columns, names ?? footer.topLevel.map((top) => top.name), [])) !== undefined;
}

/** Reads `path` both ways and expects the same schema, row groups, and rows (per batch layout too). */
export async function sameBothWays(path: string, label: string, shape: ReadShape = {}) {
  const ours = await withDecoder('auto', () => readAll(path, shape));
  const theirs = await withDecoder('wasm', () => readAll(path, shape));
  expect(describeSchema(ours.inferred), label).toEqual(describeSchema(theirs.inferred));
  expect(ours.rowGroups, label).toEqual(theirs.rowGroups);
  const schemaOf = (batches: RecordBatch[]) => batches[0] && describeSchema(batches[0].schema);
  expect(schemaOf(ours.batches), label).toEqual(schemaOf(theirs.batches));
  for (const batch of ours.batches) expect(describeSchema(batch.schema), label).toEqual(schemaOf(ours.batches));
  expect(rowsOf(ours.batches), label).toEqual(rowsOf(theirs.batches));
  return ours;
}
