import { SluiceError } from '../src/types/ErrorRecord.js';

/**
 * Splits a dotted field path into names: `a.b.c` → [a, b, c]; backticks quote a name that
 * holds dots (`` `order.id` `` → ['order.id']), and a doubled backtick is a literal one.
 */
export function parseFieldPath(path: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  let wasQuoted = false;
  for (let i = 0; i < path.length; i++) {
    const ch = path[i];
    if (quoted) {
      if (ch === '`' && path[i + 1] === '`') {
        current += '`';
        i++;
      } else if (ch === '`') quoted = false;
      else current += ch;
    } else if (ch === '`') {
      quoted = true;
      wasQuoted = true;
    } else if (ch === '.') {
      pushPart(parts, current, wasQuoted, path);
      current = '';
      wasQuoted = false;
    } else current += ch;
  }
  if (quoted) throw new SluiceError(`unclosed backtick in field path '${path}'`);
  pushPart(parts, current, wasQuoted, path);
  return parts;
}

function pushPart(parts: string[], part: string, quoted: boolean, path: string): void {
  if (part === '' && !quoted) throw new SluiceError(`empty name in field path '${path}'`);
  parts.push(part);
}

/** The path as text again, quoting names that need it. */
export function formatFieldPath(parts: string[]): string {
  return parts.map((p) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(p) ? p : '`' + p.replace(/`/g, '``') + '`')).join('.');
}
