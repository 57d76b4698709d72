import { Dictionary, Field, Int32, Utf8, type DataType } from 'apache-arrow';

/**
 * Field metadata marking a Dictionary<Utf8, Int32> that sluice chose as an encoding (a CSV
 * column whose values repeat), not a type the user asked for: writers that record Arrow types
 * (Parquet's ARROW:schema) record the plain string type, so files and lakes keep the types they
 * had before sluice encoded the column.
 */
const ENCODING_KEY = 'sluice.encoding';

/** The field read as Dictionary<Utf8, Int32>, marked as an encoding choice. */
export function dictionaryEncodedField(field: Field, type: Dictionary<Utf8, Int32> = new Dictionary(new Utf8(), new Int32())): Field {
  return new Field(field.name, type, field.nullable, new Map(field.metadata).set(ENCODING_KEY, 'dictionary'));
}

/** Whether the field's Dictionary type is sluice's encoding choice (dictionaryEncodedField). */
export const isDictionaryEncoded = (field: Field): boolean => field.metadata.get(ENCODING_KEY) === 'dictionary';

/** The field as the user's type: a dictionary encoding sluice chose becomes its value type, unmarked. */
export function withoutChosenEncoding(field: Field): Field {
  if (!isDictionaryEncoded(field)) return field;
  const metadata = new Map(field.metadata);
  metadata.delete(ENCODING_KEY);
  return new Field(field.name, (field.type as Dictionary).dictionary as DataType, field.nullable, metadata);
}
