import { SluiceError } from '../../types/ErrorRecord.js';

/**
 * A crawler's exclude pattern as Glue reads it (GDG define-crawler.md "Include and Exclude
 * Patterns"), matched against an object's path relative to the include path: `/` separates
 * levels; `*` matches within one level, `**` across levels; `?` one character of a level; `\`
 * escapes; `[abc]`, `[a-z]`, `[!a-c]` (inside brackets `*`, `?` and `\` are literal, `-` is
 * literal first); `{a,b}` alternatives, not nested; a leading dot is an ordinary character.
 * Patterns match objects, not folders: `2015/01/1*` excludes nothing below `2015/01/10/`, and
 * `2015/01/1**` excludes all of it, as the guide's partition example says.
 */
export function globToRegExp(pattern: string): RegExp {
  let out = '';
  let inBraces = false;
  const fail = (why: string) => new SluiceError(`exclude pattern '${pattern}': ${why}`);
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      if (i + 1 >= pattern.length) throw fail('ends with an escape (\\)');
      out += escapeChar(pattern[++i]);
    } else if (c === '*') {
      if (pattern[i + 1] === '*') {
        out += '.*';
        i++;
      } else out += '[^/]*';
    } else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const end = bracketEnd(pattern, i);
      if (end < 0) throw fail(`'[' at ${i + 1} is not closed`);
      out += bracketClass(pattern.slice(i + 1, end));
      i = end;
    } else if (c === '{') {
      if (inBraces) throw fail('groups {…} cannot be nested');
      inBraces = true;
      out += '(?:';
    } else if (c === '}' && inBraces) {
      inBraces = false;
      out += ')';
    } else if (c === ',' && inBraces) out += '|';
    else out += escapeChar(c);
  }
  if (inBraces) throw fail("'{' is not closed");
  return new RegExp(`^${out}$`, 's');
}

const escapeChar = (c: string): string => c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/** The index of the `]` closing the bracket expression opened at `open` (a `]` first, or after `!`, is literal). */
function bracketEnd(pattern: string, open: number): number {
  let i = open + 1;
  if (pattern[i] === '!') i++;
  if (pattern[i] === ']') i++;
  const end = pattern.indexOf(']', i);
  return end;
}

/** A bracket expression's body as a RegExp class; it never matches `/` (one level). */
function bracketClass(body: string): string {
  let negated = false;
  if (body.startsWith('!')) {
    negated = true;
    body = body.slice(1);
  }
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    // A range a-z, unless the hyphen is first or last (then literal).
    if (body[i + 1] === '-' && i + 2 < body.length) {
      out += `${escapeClassChar(c)}-${escapeClassChar(body[i + 2])}`;
      i += 2;
    } else out += escapeClassChar(c);
  }
  return negated ? `[^/${out}]` : `(?!/)[${out}]`;
}

const escapeClassChar = (c: string): string => c.replace(/[\]\\^-]/g, '\\$&');

/** Excludes as a test of relative paths (`a/b/c.csv`); none: nothing is excluded. */
export function excludeMatcher(patterns: readonly string[] = []): (relative: string) => boolean {
  const regexps = patterns.map((p) => globToRegExp(p.trim()));
  return (relative) => regexps.some((re) => re.test(relative));
}
