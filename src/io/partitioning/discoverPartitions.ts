import { Field, Int32, Int64, RecordBatch, Schema, Utf8, makeData } from 'apache-arrow';
import type { Data, DataType } from 'apache-arrow';
import { makeBatch } from '../../columns/makeBatch.js';
import { SluiceError } from '../../types/ErrorRecord.js';
import { nullColumn } from '../../columns/nullColumn.js';
import type { FormatReader, ReadChunk, ReadOptions } from '../formats/Format.js';
import { parsePartitionSegment } from './hivePath.js';
import { listInputs } from './listInputs.js';
import { listPartitionsPruned, type PartitionFolderFilter, type PrunedListing } from './listPartitionsPruned.js';
import { absolutePath, relativePath } from '../store/storePath.js';

export interface PartitionedFile {
  path: string;
  /** Decoded partition values in key order; null for the default partition. */
  values: (string | null)[];
}

export interface DiscoveredPartitions {
  files: PartitionedFile[];
  /** The partition columns with inferred types, in path order. */
  partitionSchema: Schema;
  /** Set when listed with a folder filter: what the pruned listing spared (listPartitionsPruned). */
  listing?: Omit<PrunedListing, 'files' | 'sample'> & { sample?: PartitionedFile };
}

const INTEGER = /^-?\d+$/;

/** Int32 when every value is an integer that fits, Int64 when they are integers beyond, else Utf8. */
export function inferPartitionType(values: (string | null)[]): DataType {
  const present = values.filter((value): value is string => value !== null);
  if (present.length === 0) return new Utf8();
  if (!present.every((value) => INTEGER.test(value))) return new Utf8();
  const fitsInt32 = present.every((value) => {
    const n = Number(value);
    return n >= -2_147_483_648 && n <= 2_147_483_647;
  });
  return fitsInt32 ? new Int32() : new Int64();
}

/**
 * Lists a Hive-partitioned folder (`root/year=2024/month=5/part-….parquet`) and infers the
 * partition columns' types from the values in the paths. Every file must sit under the same keys.
 * `root` may be an `s3://bucket/prefix`. With `keep`, the folder is listed level by level and only
 * the partition folders `keep` accepts are listed (listPartitionsPruned): the types of the keys
 * below a pruned level then come from the folders listed.
 */
export async function discoverPartitions(root: string, keep?: PartitionFolderFilter): Promise<DiscoveredPartitions> {
  const base = absolutePath(root);
  let paths: string[];
  let listing: PrunedListing | undefined;
  if (keep) {
    listing = await listPartitionsPruned(base, keep);
    if (listing.files.length === 0 && !listing.sample) {
      throw new SluiceError(`No input files at ${root}: check the path (or glob) exists and holds visible files`, { file: root });
    }
    paths = listing.files.map((file) => file.path);
  } else {
    paths = await listInputs(base);
  }
  let keys: string[] | undefined;
  const partitioned = (path: string): PartitionedFile => {
    const segments = relativePath(base, path).split('/').slice(0, -1);
    const parsed = segments.map(parsePartitionSegment).filter((segment) => segment !== undefined);
    const fileKeys = parsed.map((segment) => segment.key);
    keys ??= fileKeys;
    if (fileKeys.join('/') !== keys.join('/')) {
      throw new SluiceError(
        `${path} is partitioned by (${fileKeys.join(', ')}) but other files under ${base} by (${keys.join(', ')})`,
        { file: path },
      );
    }
    return { path, values: parsed.map((segment) => segment.value) };
  };
  const files = paths.map(partitioned);
  const sample = listing?.sample ? partitioned(listing.sample.path) : undefined;
  const typed = sample ? [...files, sample] : files;
  const fields = (keys ?? []).map((key, k) => new Field(key, inferPartitionType(typed.map((file) => file.values[k])), true));
  return {
    files,
    partitionSchema: new Schema(fields),
    ...(listing ? { listing: { foldersPruned: listing.foldersPruned, foldersListed: listing.foldersListed, ...(sample ? { sample } : {}) } } : {}),
  };
}

const encoder = new TextEncoder();

/** A column of `length` copies of one partition value, built directly as Arrow buffers. */
export function constantColumn(type: DataType, value: string | null, length: number): Data {
  if (value === null) return nullColumn(type, length);
  if (type instanceof Int32) return makeData({ type, length, nullCount: 0, data: new Int32Array(length).fill(Number(value)) });
  if (type instanceof Int64) return makeData({ type, length, nullCount: 0, data: new BigInt64Array(length).fill(BigInt(value)) });
  const bytes = encoder.encode(value);
  const data = new Uint8Array(bytes.length * length);
  const valueOffsets = new Int32Array(length + 1);
  for (let i = 0; i < length; i++) {
    data.set(bytes, i * bytes.length);
    valueOffsets[i + 1] = (i + 1) * bytes.length;
  }
  return makeData({ type: new Utf8(), length, nullCount: 0, data, valueOffsets });
}

/** Appends the partition columns (constant for one file) to a batch read from that file. */
export function appendPartitionColumns(batch: RecordBatch, partitionSchema: Schema, values: (string | null)[]): RecordBatch {
  const fields = [...batch.schema.fields, ...partitionSchema.fields];
  const children = [
    ...batch.data.children,
    ...partitionSchema.fields.map((field, k) => constantColumn(field.type, values[k], batch.numRows)),
  ];
  return makeBatch(new Schema(fields, batch.schema.metadata), children, batch.numRows);
}

/**
 * Reads every file of a partitioned folder with `reader` and restores the partition columns
 * (typed, after the data columns). The data schema is `read.schema` or inferred from the first file.
 */
export async function* readPartitioned<O>(
  root: string,
  reader: FormatReader<O>,
  options: O,
  read: Partial<ReadOptions> = {},
): AsyncGenerator<ReadChunk> {
  const { files, partitionSchema } = await discoverPartitions(root);
  const schema = read.schema ?? (await reader.inferSchema(files[0].path, options));
  const partitionNames = new Set(partitionSchema.names as string[]);
  const dataSchema = new Schema(schema.fields.filter((field) => !partitionNames.has(field.name)));
  for (const file of files) {
    for await (const chunk of reader.read(file.path, options, { ...read, schema: dataSchema })) {
      yield { batch: appendPartitionColumns(chunk.batch, partitionSchema, file.values), errors: chunk.errors };
    }
  }
}
