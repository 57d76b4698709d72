import { Schema, type Field } from 'apache-arrow';
import { makeBatch } from '../../columns/makeBatch.js';
import { SluiceError, type ErrorRecord, type Widening } from '../../types/ErrorRecord.js';
import { mergeDataTypes } from '../../types/mergeSchemas.js';
import { typeName } from '../../types/typeNames.js';
import { settle, typeOfJsonValue } from './json/inferJsonSchema.js';
import type { ReadChunk, ReadOptions } from './Format.js';
import { recordBuilders } from './json/jsonColumns.js';

/** What a reader does with a malformed record: keep an error record, drop it, or stop. */
export type ParseMode = 'permissive' | 'dropMalformed' | 'failFast';

const DEFAULT_BATCH_SIZE = 65_536;

/**
 * The batch-building half of the readers whose records arrive as JS values (JSON, XML, Avro):
 * checks each record against the wanted columns, appends it, cuts a batch every `batchSize`
 * rows, and applies the parse mode to rejected records. The readers keep only their parsing.
 */
export class RecordBatcher {
  readonly fields: Field[];
  private readonly schema: Schema;
  private readonly builders: ReturnType<typeof recordBuilders>;
  private readonly batchSize: number;
  private rows = 0;
  private errors: ErrorRecord[] = [];
  private emitted = false;
  private readonly widenable: ReadonlySet<string> | undefined;

  constructor(file: string, read: ReadOptions, private readonly mode: ParseMode = 'permissive') {
    this.fields = wantedFields(file, read);
    this.schema = new Schema(this.fields);
    this.builders = recordBuilders(this.fields);
    this.batchSize = read.batchSize ?? DEFAULT_BATCH_SIZE;
    this.widenable = read.widenable ? new Set(read.widenable) : undefined;
  }

  /** Why `values` (one per field, in order) do not fit the columns, or undefined when they do. */
  misfit(values: readonly unknown[]): string | undefined {
    for (let i = 0; i < this.builders.length; i++) {
      const why = this.builders[i].check(values[i]);
      if (why) return why;
    }
    return undefined;
  }

  /**
   * The widening a misfit record asks for (the first misfit column that was inferred, with the
   * merge of its type and the value's), or undefined when its misfit columns were declared.
   */
  widening(values: readonly unknown[]): Widening | undefined {
    if (!this.widenable) return undefined;
    for (let i = 0; i < this.builders.length; i++) {
      if (!this.builders[i].check(values[i])) continue;
      const field = this.fields[i];
      if (!this.widenable.has(field.name)) return undefined;
      return { column: field.name, type: typeName(mergeDataTypes(field.type, settle(typeOfJsonValue(values[i])))) };
    }
    return undefined;
  }

  /** Appends a checked record; returns a full batch when this one completes it. */
  append(values: readonly unknown[]): ReadChunk | undefined {
    for (let i = 0; i < this.builders.length; i++) this.builders[i].append(values[i]);
    return ++this.rows === this.batchSize ? this.flush() : undefined;
  }

  /** A malformed record: kept as an error record, dropped, or thrown, as the mode says. */
  reject(error: ErrorRecord): void {
    if (this.mode === 'dropMalformed') return;
    if (this.mode === 'failFast') throw new SluiceError(`${error.message} (mode failFast)`, error);
    this.errors.push(error);
  }

  /** The last batch: any rows or errors left, or one empty batch when nothing was emitted. */
  finish(): ReadChunk | undefined {
    return this.rows > 0 || this.errors.length > 0 || !this.emitted ? this.flush() : undefined;
  }

  private flush(): ReadChunk {
    const children = this.builders.map((builder) => builder.finish());
    const batch = makeBatch(this.schema, children, this.rows);
    const chunk = { batch, errors: this.errors };
    this.rows = 0;
    this.errors = [];
    this.emitted = true;
    return chunk;
  }
}

/** The schema's fields a read asks for (all, or the projected ones in schema order). */
export function wantedFields(path: string, read: ReadOptions): Field[] {
  if (!read.columns) return read.schema.fields;
  const missing = read.columns.filter((name) => !read.schema.names.includes(name));
  if (missing.length) throw new SluiceError(`Column(s) ${missing.join(', ')} asked of ${path} are not in the schema`, { file: path });
  return read.schema.fields.filter((field) => read.columns!.includes(field.name));
}
