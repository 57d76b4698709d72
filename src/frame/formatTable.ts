import type { Schema } from 'apache-arrow';
import { typeName } from '../types/typeNames.js';
import { isChoice } from '../types/choice.js';

/** Renders rows as an aligned text table with a header of names and types, as show() prints. */
export function formatTable(schema: Schema, rows: Record<string, unknown>[]): string {
  const names = schema.fields.map((f) => f.name);
  const header = schema.fields.map((f) => `${f.name}: ${typeName(f.type)}`);
  // A choice column's header names its alternatives; its cells show the value each row holds.
  const choices = schema.fields.map((f) => isChoice(f.type));
  const cells = rows.map((r) => names.map((n, i) => formatValue(choices[i] ? heldValue(r[n]) : r[n])));
  const widths = header.map((h, i) => Math.min(40, Math.max(h.length, ...cells.map((c) => c[i].length))));
  const line = (parts: string[]) => '| ' + parts.map((p, i) => clip(p, widths[i]).padEnd(widths[i])).join(' | ') + ' |';
  const rule = '+' + widths.map((w) => '-'.repeat(w + 2)).join('+') + '+';
  return [rule, line(header), rule, ...cells.map(line), rule, `${rows.length} row${rows.length === 1 ? '' : 's'}`].join('\n');
}

/** The one non-null alternative of a choice value (`{int: null, string: "x"}` → "x"), or null. */
function heldValue(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  for (const value of Object.values(v)) if (value !== null && value !== undefined) return value;
  return null;
}

function clip(text: string, width: number): string {
  return text.length > width ? text.slice(0, width - 1) + '…' : text;
}

export function formatValue(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (v instanceof Date) {
    const iso = v.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.replace('.000Z', 'Z');
  }
  if (typeof v === 'object') return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));
  return String(v);
}
