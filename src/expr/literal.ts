import { Bool, DataType, DateDay, Float64, Int32, Int64, Null, TimestampMicrosecond, Utf8 } from 'apache-arrow';
import type { LitNode } from './ast.js';
import { type Scalar } from './operand.js';
import { parseDate, parseTimestamp } from './kernels/calendar.js';
import { SluiceError } from '../types/ErrorRecord.js';

const INT32_MAX = 2147483647;

/** The type and scalar value (operand.ts conventions) of a literal node. */
export function literalValue(node: LitNode): { type: DataType; value: Scalar } {
  const { value } = node;
  const type = node.type ?? inferLiteralType(value);
  if (value === null || type === 'null') return { type: type === 'null' ? new Null() : literalArrowType(type), value: null };
  switch (type) {
    case 'int32': return { type: new Int32(), value: Number(value) | 0 };
    case 'int64': return { type: new Int64(), value: BigInt(value as string | number) };
    case 'float64': return { type: new Float64(), value: Number(value) };
    case 'string': return { type: new Utf8(), value: String(value) };
    case 'bool': return { type: new Bool(), value: Boolean(value) };
    case 'date': {
      const days = parseDate(String(value));
      if (days === null) throw new SluiceError(`invalid DATE literal '${value}': expected yyyy-MM-dd`);
      return { type: new DateDay(), value: days };
    }
    case 'timestamp': {
      const micros = parseTimestamp(String(value));
      if (micros === null) throw new SluiceError(`invalid TIMESTAMP literal '${value}': expected yyyy-MM-dd HH:mm:ss[.ffffff]`);
      return { type: new TimestampMicrosecond('UTC'), value: micros };
    }
  }
}

function inferLiteralType(value: LitNode['value']): NonNullable<LitNode['type']> {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'string') return 'string';
  if (Number.isInteger(value)) return Math.abs(value) <= INT32_MAX ? 'int32' : 'int64';
  return 'float64';
}

function literalArrowType(type: NonNullable<LitNode['type']>): DataType {
  return literalValue({ kind: 'lit', value: type === 'date' ? '1970-01-01' : type === 'timestamp' ? '1970-01-01' : type === 'string' ? '' : 0, type }).type;
}
