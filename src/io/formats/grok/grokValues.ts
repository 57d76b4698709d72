import { Bool, Field, Float64, Int32, Int64, Utf8, type DataType } from 'apache-arrow';
import type { GrokField, GrokType } from './compileGrok.js';

/**
 * The Arrow type of a grok cast. byte and short are held as int32 and float as double: the
 * readers build those widths (the values fit, and the ranges are still checked).
 */
export function arrowTypeOf(type: GrokType): DataType {
  switch (type) {
    case 'byte': case 'short': case 'int': return new Int32();
    case 'long': return new Int64();
    case 'float': case 'double': return new Float64();
    case 'boolean': return new Bool();
    default: return new Utf8();
  }
}

/** The columns of a grok pattern's fields, every one nullable (optional parts, MISSING values). */
export const grokFields = (fields: readonly GrokField[]): Field[] => fields.map((f) => new Field(f.name, arrowTypeOf(f.type), true));

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const RANGES: Partial<Record<GrokType, [number, number]>> = { byte: [-128, 127], short: [-32_768, 32_767], int: [-2_147_483_648, 2_147_483_647] };

/** A captured text as its field's type: a value, null (absent, or the MISSING token), or a reason it does not convert. */
export function grokValue(text: string | undefined, type: GrokType, missing: string): { value: unknown } | { misfit: string } {
  if (text === undefined || text === missing) return { value: null };
  switch (type) {
    case 'string':
      return { value: text };
    case 'byte': case 'short': case 'int': {
      const [min, max] = RANGES[type]!;
      const n = INTEGER.test(text) ? Number(text) : NaN;
      return Number.isInteger(n) && n >= min && n <= max ? { value: n } : { misfit: `'${text}' is not a ${type} (${min} to ${max})` };
    }
    case 'long': {
      if (!INTEGER.test(text)) return { misfit: `'${text}' is not a long` };
      const n = BigInt(text);
      return BigInt.asIntN(64, n) === n ? { value: n } : { misfit: `'${text}' is out of a long's range` };
    }
    case 'float': case 'double':
      return DECIMAL.test(text) ? { value: Number(text) } : { misfit: `'${text}' is not a ${type}` };
    case 'boolean': {
      const lower = text.toLowerCase();
      return lower === 'true' || lower === 'false' ? { value: lower === 'true' } : { misfit: `'${text}' is not a boolean (true or false)` };
    }
  }
}
