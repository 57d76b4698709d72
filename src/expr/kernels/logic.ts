import { Bool, Type } from 'apache-arrow';
import type { LogicOp } from '../ast.js';
import { column, type Operand, scalar, typeOf } from '../operand.js';
import { describeType } from '../typeRules.js';
import { andBits, bitmapBytes, boolBitsOf, makeBool, validityOf } from '../vectors.js';
import { SluiceError } from '../../types/ErrorRecord.js';

/**
 * AND / OR / NOT with SQL three-valued logic, a byte (8 rows) at a time:
 * NULL AND false = false, NULL AND true = NULL, NULL OR true = true, NULL OR false = NULL.
 */

/** A boolean column as (value bits, validity bits), both aligned to bit 0 and full length. */
interface Bits { value: Uint8Array; valid: Uint8Array }

function bitsOf(op: Operand, length: number): Bits {
  const bytes = bitmapBytes(length);
  if (op.kind === 'scalar') {
    return {
      value: new Uint8Array(bytes).fill(op.value === true ? 0xff : 0),
      valid: new Uint8Array(bytes).fill(op.value === null ? 0 : 0xff),
    };
  }
  if (op.data.typeId === Type.Null) return { value: new Uint8Array(bytes), valid: new Uint8Array(bytes) };
  return { value: boolBitsOf(op.data), valid: validityOf(op.data) ?? new Uint8Array(bytes).fill(0xff) };
}

function checkBool(op: Operand, what: string): void {
  const t = typeOf(op);
  if (t.typeId !== Type.Bool && t.typeId !== Type.Null) throw new SluiceError(`${what} needs boolean operands, got ${describeType(t)}`);
}

export function logic(op: LogicOp, left: Operand, right: Operand, length: number): Operand {
  checkBool(left, op.toUpperCase());
  checkBool(right, op.toUpperCase());
  // A known scalar decides or passes through without touching the column.
  for (const [s, other] of [[left, right], [right, left]] as const) {
    if (s.kind !== 'scalar' || s.value === null) continue;
    const decisive = op === 'and' ? s.value === false : s.value === true;
    return decisive ? scalar(new Bool(), s.value) : other;
  }
  if (left.kind === 'scalar' && right.kind === 'scalar') return scalar(new Bool(), null);
  const a = bitsOf(left, length);
  const b = bitsOf(right, length);
  const value = new Uint8Array(a.value.length);
  const valid = new Uint8Array(a.value.length);
  if (op === 'and') {
    for (let k = 0; k < value.length; k++) {
      const av = a.valid[k], bv = b.valid[k];
      const aFalse = av & ~a.value[k], bFalse = bv & ~b.value[k];
      value[k] = av & a.value[k] & bv & b.value[k];
      valid[k] = (av & bv) | aFalse | bFalse;
    }
  } else {
    for (let k = 0; k < value.length; k++) {
      const av = a.valid[k], bv = b.valid[k];
      const aTrue = av & a.value[k], bTrue = bv & b.value[k];
      value[k] = aTrue | bTrue;
      valid[k] = (av & bv) | aTrue | bTrue;
    }
  }
  return column(makeBool(length, value, valid));
}

export function not(operand: Operand, length: number): Operand {
  checkBool(operand, 'NOT');
  if (operand.kind === 'scalar') return scalar(new Bool(), operand.value === null ? null : !operand.value);
  const { value, valid } = bitsOf(operand, length);
  for (let k = 0; k < value.length; k++) value[k] = ~value[k];
  return column(makeBool(length, value, valid));
}

/** IS NULL / IS NOT NULL: never null itself. */
export function isNull(operand: Operand, negated: boolean, length: number): Operand {
  if (operand.kind === 'scalar') return scalar(new Bool(), (operand.value === null) !== negated);
  const validity = operand.data.typeId === Type.Null ? new Uint8Array(bitmapBytes(length)) : validityOf(operand.data);
  const value = new Uint8Array(bitmapBytes(length));
  if (validity) for (let k = 0; k < value.length; k++) value[k] = negated ? validity[k] : ~validity[k];
  else if (negated) value.fill(0xff);
  return column(makeBool(length, value, null));
}

/**
 * A bitmap (bit i for row i, bitmapBytes(length) bytes): set where the boolean operand is TRUE,
 * unset where it is false or null. `what` names the consumer in the error for a non-boolean one.
 */
export function truthBits(operand: Operand, length: number, what: string): Uint8Array {
  const bytes = bitmapBytes(length);
  checkBool(operand, what);
  if (operand.kind === 'scalar') return new Uint8Array(bytes).fill(operand.value === true ? 0xff : 0);
  if (operand.data.typeId === Type.Null) return new Uint8Array(bytes);
  const value = boolBitsOf(operand.data);
  const valid = validityOf(operand.data);
  if (valid) andBits(value, valid);
  return value;
}

/** One byte per row: 1 where the boolean operand is TRUE, 0 where it is false or null. */
export function truthMask(operand: Operand, length: number): Uint8Array {
  const mask = new Uint8Array(length);
  if (operand.kind === 'scalar') {
    if (operand.value === true) mask.fill(1);
    return mask;
  }
  checkBool(operand, 'a filter');
  if (operand.data.typeId === Type.Null) return mask;
  const { value, valid } = bitsOf(operand, length);
  for (let base = 0; base < length; base += 8) {
    const byte = value[base >> 3] & valid[base >> 3];
    if (byte === 0) continue;
    const end = Math.min(8, length - base);
    for (let k = 0; k < end; k++) mask[base + k] = (byte >> k) & 1;
  }
  return mask;
}
