import { type DataType, Type } from 'apache-arrow';
import { broadcast, column, type Operand, scalar, scalarAt, typeOf } from '../operand.js';
import { castData } from './cast.js';

/**
 * CAST inside an expression: values that do not convert become null (Spark's non-ANSI mode).
 * A scalar is cast once, as a one-row column, and stays a scalar.
 */
export function castOperand(op: Operand, to: DataType, length: number): Operand {
  // Inside expressions a dictionary of strings already is a string.
  if (to.typeId === Type.Utf8 && typeOf(op).typeId === Type.Dictionary) return op;
  if (op.kind === 'column') return column(castData(op.data, to).data);
  if (op.value === null) return scalar(to, null);
  const one = castData(broadcast(op.type, op.value, 1), to).data;
  return scalar(to, scalarAt(one, 0));
}
