import { Schema, Table, tableToIPC } from 'apache-arrow';
import { withoutChosenEncoding } from '../../../../types/dictionaryEncoded.js';

/**
 * The `ARROW:schema` footer entry arrow-rs (parquet-wasm) and pyarrow read to restore Arrow types
 * that Parquet cannot say (dictionary columns, time zones): the IPC schema message, base64.
 */
export function arrowSchemaEntry(schema: Schema): [string, string] {
  // A dictionary sluice chose to read a CSV column with is recorded as the string it is.
  const stream = tableToIPC(new Table(new Schema(schema.fields.map(withoutChosenEncoding), schema.metadata)), 'stream');
  // A stream of no batch is the schema message and the 8-byte end-of-stream marker.
  const message = stream.subarray(0, stream.length - 8);
  return ['ARROW:schema', Buffer.from(message.buffer, message.byteOffset, message.byteLength).toString('base64')];
}
