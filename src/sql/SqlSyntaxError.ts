import { SluiceError } from '../types/ErrorRecord.js';

/**
 * A problem in SQL text, pointing at the offending token: "line 2, column 8", the line itself
 * and a caret under the token. Thrown for syntax errors and for names that do not resolve.
 */
export class SqlSyntaxError extends SluiceError {
  constructor(message: string, readonly line: number, readonly column: number, readonly excerpt: string) {
    super(`${message} at line ${line}, column ${column}\n${excerpt}`, { line, column });
    this.name = 'SqlSyntaxError';
  }

  /** An error at 0-based offset `pos` of `source`. */
  static at(source: string, pos: number, message: string): SqlSyntaxError {
    const before = source.slice(0, Math.max(0, pos));
    const line = before.split('\n').length;
    const lineStart = before.lastIndexOf('\n') + 1;
    const lineEnd = source.indexOf('\n', lineStart);
    const text = source.slice(lineStart, lineEnd < 0 ? source.length : lineEnd);
    const column = pos - lineStart + 1;
    return new SqlSyntaxError(message, line, column, `  ${text}\n  ${' '.repeat(column - 1)}^`);
  }
}
