import { SluiceError } from '../types/ErrorRecord.js';

/** Tokens of the Spark SQL expression subset. `pos` is the 0-based offset in the source. */
export type TokenKind = 'ident' | 'quotedIdent' | 'number' | 'string' | 'op' | 'eof';
export interface Token { kind: TokenKind; text: string; pos: number; end: number }

/** A syntax error: says what was expected and where (1-based column), and quotes the input. */
export class ExprSyntaxError extends SluiceError {
  constructor(readonly expected: string, readonly column: number, readonly source: string, found?: string) {
    super(`expected ${expected} at column ${column}${found ? ` (found ${found})` : ''} in: ${source}`, { column, raw: source });
    this.name = 'ExprSyntaxError';
  }
}

const OPERATORS = ['<=>', '<>', '!=', '<=', '>=', '==', '||', '(', ')', ',', '.', '+', '-', '*', '/', '%', '=', '<', '>', ';'];

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i];
    if (/\s/.test(ch)) { i++; continue; }
    // SQL comments: -- to the end of the line, /* ... */.
    if (ch === '-' && source[i + 1] === '-') {
      const eol = source.indexOf('\n', i);
      i = eol < 0 ? source.length : eol;
      continue;
    }
    if (ch === '/' && source[i + 1] === '*') {
      const close = source.indexOf('*/', i + 2);
      if (close < 0) throw new ExprSyntaxError(`a closing */ for the comment opened at column ${i + 1}`, source.length + 1, source, 'end of input');
      i = close + 2;
      continue;
    }
    const start = i;
    if (/[A-Za-z_]/.test(ch)) {
      while (i < source.length && /[A-Za-z0-9_]/.test(source[i])) i++;
      tokens.push({ kind: 'ident', text: source.slice(start, i), pos: start, end: i });
    } else if (/[0-9]/.test(ch) || (ch === '.' && /[0-9]/.test(source[i + 1] ?? ''))) {
      while (/[0-9]/.test(source[i] ?? '')) i++;
      if (source[i] === '.') { i++; while (/[0-9]/.test(source[i] ?? '')) i++; }
      if (/[eE]/.test(source[i] ?? '') && /[0-9]/.test(source[i + 1] === '+' || source[i + 1] === '-' ? source[i + 2] ?? '' : source[i + 1] ?? '')) {
        i += source[i + 1] === '+' || source[i + 1] === '-' ? 2 : 1;
        while (/[0-9]/.test(source[i] ?? '')) i++;
      }
      if (/[LlDd]/.test(source[i] ?? '') && !/[A-Za-z0-9_]/.test(source[i + 1] ?? '')) i++;
      if (/[A-Za-z_]/.test(source[i] ?? '')) throw new ExprSyntaxError('an operator or the end of the number', i + 1, source, `'${source[i]}'`);
      tokens.push({ kind: 'number', text: source.slice(start, i), pos: start, end: i });
    } else if (ch === "'" || ch === '"') {
      const { text, end } = readQuoted(source, i, ch, 'string');
      tokens.push({ kind: 'string', text, pos: start, end });
      i = end;
    } else if (ch === '`') {
      const { text, end } = readQuoted(source, i, '`', 'identifier');
      tokens.push({ kind: 'quotedIdent', text, pos: start, end });
      i = end;
    } else {
      const op = OPERATORS.find((o) => source.startsWith(o, i));
      if (!op) throw new ExprSyntaxError('an expression', i + 1, source, `'${ch}'`);
      i += op.length;
      tokens.push({ kind: 'op', text: op, pos: start, end: i });
    }
  }
  tokens.push({ kind: 'eof', text: '', pos: source.length, end: source.length });
  return tokens;
}

/** Reads a quoted run; a doubled quote stands for one quote character ('it''s'). */
function readQuoted(source: string, start: number, quote: string, what: string): { text: string; end: number } {
  let text = '';
  let i = start + 1;
  for (;;) {
    const next = source.indexOf(quote, i);
    if (next < 0) throw new ExprSyntaxError(`a closing ${quote} for the ${what} opened at column ${start + 1}`, source.length + 1, source, 'end of input');
    text += source.slice(i, next);
    if (source[next + 1] === quote) {
      text += quote;
      i = next + 2;
    } else return { text, end: next + 1 };
  }
}
