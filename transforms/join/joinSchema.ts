import { Field, Schema } from 'apache-arrow';
import { SluiceError } from '../../src/types/ErrorRecord.js';
import { sameType } from '../../src/expr/typeRules.js';
import { typeName } from '../../src/types/typeNames.js';
import { resolvePath, type ParsedPath } from '../paths/columnPlan.js';
import { parseFieldPath } from '../fieldPath.js';
import { keyKind } from '../rows/rowKeys.js';
import type { JoinType } from '../types.js';

export const JOIN_TYPES: readonly JoinType[] = ['inner', 'left', 'right', 'outer', 'semi', 'anti'];

/** Suffix for a frame2 column whose name frame1 already uses (Polars' convention). */
export const RIGHT_SUFFIX = '_right';

/** Resolves join keys to column index chains and checks that each pair of keys can meet. */
export function resolveKeys(left: Schema, right: Schema, keys1: unknown, keys2: unknown): { left: number[][]; right: number[][] } {
  const list = (keys: unknown, which: string): ParsedPath[] => {
    if (!Array.isArray(keys) || keys.length === 0 || keys.some((k) => typeof k !== 'string')) {
      throw new SluiceError(`${which} must be a non-empty array of column names, got ${JSON.stringify(keys)}`);
    }
    return keys.map((text: string) => ({ text, parts: parseFieldPath(text) }));
  };
  const k1 = list(keys1, 'keys1');
  const k2 = list(keys2, 'keys2');
  if (k1.length !== k2.length) throw new SluiceError(`keys1 has ${k1.length} keys but keys2 has ${k2.length}; they pair up one to one`);
  const chains1 = k1.map((k) => resolvePath(left.fields, k));
  const chains2 = k2.map((k) => resolvePath(right.fields, k));
  chains1.forEach((c1, i) => {
    const a = c1[c1.length - 1][1].type;
    const b = chains2[i][chains2[i].length - 1][1].type;
    const kind = keyKind(a);
    const comparable = kind === keyKind(b) && (kind !== 'other' || sameType(a, b));
    if (!comparable) {
      throw new SluiceError(`cannot join '${k1[i].text}' (${typeName(a)}) with '${k2[i].text}' (${typeName(b)}): the key types differ; cast one side first`);
    }
  });
  return { left: chains1.map((c) => c.map(([i]) => i)), right: chains2.map((c) => c.map(([i]) => i)) };
}

/**
 * frame1's columns then frame2's (semi and anti: frame1's only). As in Glue both key columns
 * are kept; a frame2 name that frame1 already has gets `_right` appended.
 */
export function joinSchema(left: Schema, right: Schema, how: JoinType): Schema {
  const nullableLeft = how === 'right' || how === 'outer';
  const nullableRight = how === 'left' || how === 'outer';
  const fields = left.fields.map((f) => (nullableLeft && !f.nullable ? new Field(f.name, f.type, true, f.metadata) : f));
  if (how === 'semi' || how === 'anti') return new Schema(fields, left.metadata);
  const taken = new Set(left.fields.map((f) => f.name));
  for (const f of right.fields) {
    let name = f.name;
    if (taken.has(name)) {
      name = f.name + RIGHT_SUFFIX;
      if (taken.has(name) || right.fields.some((g) => g.name === name)) {
        throw new SluiceError(`frame2's column '${f.name}' clashes with frame1's, and '${name}' is taken too; rename one (RenameField) before joining`);
      }
    }
    taken.add(name);
    fields.push(new Field(name, f.type, f.nullable || nullableRight, f.metadata));
  }
  return new Schema(fields, left.metadata);
}
