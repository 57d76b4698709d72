import { Type, type DataType, type Int, type List, type Struct } from 'apache-arrow';
import { typeName } from '../../src/types/typeNames.js';

/**
 * Why a JS value cannot be stored in a column of `type`, or null when it can. Row functions
 * return anything; this keeps a wrong value from being coerced silently (a string into an int
 * column would otherwise become 0).
 */
export function valueMismatch(value: unknown, type: DataType): string | null {
  if (value === null || value === undefined) return null;
  const fits = (ok: boolean) => (ok ? null : `${describe(value)} does not fit ${typeName(type)}`);
  switch (type.typeId) {
    case Type.Null: return fits(false);
    case Type.Bool: return fits(typeof value === 'boolean');
    case Type.Int: {
      const { bitWidth, isSigned } = type as Int;
      if (typeof value === 'bigint') return fits(bitWidth === 64);
      if (typeof value !== 'number' || !Number.isInteger(value)) return fits(false);
      const max = bitWidth >= 53 ? Number.MAX_SAFE_INTEGER : 2 ** (isSigned ? bitWidth - 1 : bitWidth) - 1;
      const min = isSigned ? (bitWidth >= 53 ? Number.MIN_SAFE_INTEGER : -(2 ** (bitWidth - 1))) : 0;
      return fits(value >= min && value <= max);
    }
    case Type.Float: return fits(typeof value === 'number' || typeof value === 'bigint');
    case Type.Decimal: return fits(typeof value === 'number' ? Number.isFinite(value) : typeof value === 'bigint' || (typeof value === 'string' && /^[+-]?\d*(\.\d*)?$/.test(value.trim())));
    case Type.Utf8: case Type.Dictionary: return fits(typeof value === 'string');
    case Type.Date: case Type.Timestamp:
      return fits(value instanceof Date ? !Number.isNaN(value.getTime()) : typeof value === 'number' || (typeof value === 'string' && !Number.isNaN(Date.parse(value))));
    case Type.Struct: {
      if (typeof value !== 'object' || Array.isArray(value) || value instanceof Date) return fits(false);
      for (const f of (type as Struct).children) {
        const inner = valueMismatch((value as Record<string, unknown>)[f.name], f.type);
        if (inner) return `.${f.name}: ${inner}`;
      }
      return null;
    }
    case Type.List: {
      if (!Array.isArray(value)) return fits(false);
      for (let i = 0; i < value.length; i++) {
        const inner = valueMismatch(value[i], (type as List).valueType);
        if (inner) return `[${i}]: ${inner}`;
      }
      return null;
    }
    default: return null;
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value);
  if (typeof value === 'bigint') return `${value}n`;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return Array.isArray(value) ? 'an array' : 'an object';
  return String(value);
}
