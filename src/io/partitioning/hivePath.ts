import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { SluiceError } from '../../types/ErrorRecord.js';

/** Hive's name for the partition of null (and empty-string) values. */
export const DEFAULT_PARTITION = '__HIVE_DEFAULT_PARTITION__';

/**
 * Characters Hive escapes in partition names and values (FileUtils.escapePathName): control
 * characters 0x00-0x1F and 0x7F, and `"#%'*\/:=?\{[]^`.
 */
const ESCAPED = new Set([...'"#%\'*/:=?\\{[]^', '\u007f']);
const needsEscape = (char: string) => char < ' ' || ESCAPED.has(char);
const hex = (char: string) => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;

/**
 * Encodes a partition value as a path component, as Hive does; null and '' become the default
 * partition. '.' and '..' are not escaped by Hive but cannot be path components, so they are
 * written `%2E` / `%2E%2E` (which decode back to themselves).
 */
export function encodePartitionValue(value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return DEFAULT_PARTITION;
  if (value === '.' || value === '..') return value.replace(/\./g, '%2E');
  let out = '';
  for (const char of value) out += needsEscape(char) ? hex(char) : char;
  return out;
}

/** Decodes a path component written by `encodePartitionValue` (or Hive/Spark); the default partition is null. */
export function decodePartitionValue(text: string): string | null {
  if (text === DEFAULT_PARTITION) return null;
  return text.replace(/%([0-9A-Fa-f]{2})/g, (_, code: string) => String.fromCharCode(parseInt(code, 16)));
}

/** Encodes a partition column name; unlike values, a name cannot be null or empty. */
export function encodePartitionKey(name: string): string {
  if (name === '') throw new SluiceError('A partition column name cannot be empty');
  return encodePartitionValue(name);
}

/** `year=2024/month=5` for the given keys and (already formatted) values. */
export function partitionPath(keys: readonly string[], values: readonly (string | null)[]): string {
  return keys.map((key, i) => `${encodePartitionKey(key)}=${encodePartitionValue(values[i])}`).join('/');
}

/** Parses a `k=v` path segment, or undefined when the segment is not one. */
export function parsePartitionSegment(segment: string): { key: string; value: string | null } | undefined {
  const at = segment.indexOf('=');
  if (at <= 0) return undefined;
  return { key: decodePartitionValue(segment.slice(0, at)) ?? '', value: decodePartitionValue(segment.slice(at + 1)) };
}

/**
 * Joins `parts` under `root` and checks the result stays under it: the last guard against a
 * value that would lead a write outside the output folder.
 */
export function pathUnder(root: string, ...parts: string[]): string {
  const base = resolve(root);
  const full = resolve(join(base, ...parts));
  const rel = relative(base, full);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
    throw new SluiceError(`Refusing to write ${full}: it is not inside the output folder ${base}`, { file: full });
  }
  return full;
}
