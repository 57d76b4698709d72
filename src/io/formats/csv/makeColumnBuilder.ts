import { DataType, DateUnit, Precision, type Dictionary, type Field, type Int32, type Utf8 } from 'apache-arrow';
import { SluiceError } from '../../../types/ErrorRecord.js';
import type { ColumnBuilder } from './ColumnBuilder.js';
import { BoolBuilder, DecimalBuilder, Float64Builder, Int32Builder, Int64Builder } from './numberBuilders.js';
import { DateDayBuilder, TimestampBuilder } from './temporalBuilders.js';
import { Utf8Builder } from './Utf8Builder.js';
import { DictionaryUtf8Builder } from './DictionaryUtf8Builder.js';
import { ChoiceBuilder } from './ChoiceBuilder.js';
import { isChoice } from '../../../types/choice.js';

/** The builder that reads CSV text as `field`'s type, for batches of `capacity` rows. */
export function makeColumnBuilder(field: Field, capacity: number): ColumnBuilder {
  const type: DataType = field.type;
  if (isChoice(type)) return new ChoiceBuilder(type, type.children.map((child) => makeColumnBuilder(child, capacity)));
  if (DataType.isUtf8(type)) return new Utf8Builder(capacity);
  if (DataType.isDictionary(type) && DataType.isUtf8(type.dictionary) && DataType.isInt(type.indices) && type.indices.bitWidth === 32) {
    return new DictionaryUtf8Builder(type as Dictionary<Utf8, Int32>, capacity);
  }
  if (DataType.isInt(type) && type.isSigned && type.bitWidth === 32) return new Int32Builder(capacity);
  if (DataType.isInt(type) && type.isSigned && type.bitWidth === 64) return new Int64Builder(capacity);
  if (DataType.isFloat(type) && type.precision === Precision.DOUBLE) return new Float64Builder(capacity);
  if (DataType.isBool(type)) return new BoolBuilder(capacity);
  if (DataType.isDate(type) && type.unit === DateUnit.DAY) return new DateDayBuilder(capacity);
  if (DataType.isTimestamp(type)) return new TimestampBuilder(type, capacity);
  if (DataType.isDecimal(type) && type.bitWidth === 128) return new DecimalBuilder(type, capacity);
  throw new SluiceError(
    `CSV reader cannot produce column ${field.name} of type ${String(type)}; ` +
      'use utf8, int32, int64, float64, bool, date (day), timestamp or decimal (128-bit) and cast afterwards',
  );
}
