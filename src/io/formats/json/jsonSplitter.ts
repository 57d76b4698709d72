/**
 * JSON as producers write it: one object per line (JSON lines), objects concatenated with or
 * without whitespace between them (`{…}{…}`, Firehose's output), pretty-printed objects one
 * after another, and top-level arrays (`[{…},{…}]`, on one line or many) whose elements are the
 * records (as Spark reads an array in JSON lines). A streaming splitter on brace depth that
 * respects strings: a file is never parsed whole, and each record keeps the line it starts on.
 *
 * Plain JSON lines take the fast path (each line parsed as it is); only a line that does not
 * parse is scanned character by character. A value that spans lines and turns out broken (a
 * string cut by a line break, a parse error, the end of the file, or more than
 * MAX_PENDING_CHARS) becomes one error record at its first line, and the lines after that one
 * are read again, so a truncated record costs that record only.
 */

/** A record found in the input: parsed, or the syntax error that stopped it. */
export interface SplitCandidate {
  value?: unknown;
  syntax?: { message: string; column?: number; line?: number };
  line: number;
  raw: string;
}

const MAX_PENDING_CHARS = 64 * 1024 * 1024;

/** V8 says "… in JSON at position 12" for most errors; the position is 0-based within the text. */
export function jsonSyntaxError(error: unknown, text: string): { message: string; position?: number } {
  const message = error instanceof Error ? error.message : String(error);
  const position = /at position (\d+)/.exec(message);
  const clean = message.replace(/, ".*" is not valid JSON$/s, '').replace(/ in JSON at position \d+.*$/s, '');
  if (position) return { message: clean, position: Number(position[1]) };
  if (/Unexpected end of JSON input/.test(message)) return { message: clean, position: text.length };
  return { message: clean };
}

interface Pending {
  /** Text of the earlier lines (the first from `startColumn`), each complete. */
  parts: string[];
  /** The full lines after the first, to read again if the value turns out broken. */
  laterLines: string[];
  firstLine: number;
  firstText: string;
  startColumn: number;
  chars: number;
}

export class JsonRecordSplitter {
  private pending: Pending | undefined;
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** Inside a top-level array: its elements are the records. */
  private inArray = false;

  /** Feeds one line (without its line break); found records are pushed onto `out`. */
  push(text: string, line: number, out: SplitCandidate[]): void {
    if (!this.pending && !this.inArray) {
      const first = firstNonSpace(text);
      if (first < 0) return;
      const c = text[first];
      if (c !== '{' && c !== '[') {
        out.push(parseWhole(text, line));
        return;
      }
      try {
        const value = JSON.parse(text);
        if (isRecordArray(value)) for (const item of value) out.push({ value: item, line, raw: text });
        else out.push({ value, line, raw: text });
        return;
      } catch {
        // not one value: scanned below
      }
    }
    this.scan(text, line, out);
  }

  /** The end of the input: a value left open is broken. */
  end(out: SplitCandidate[]): void {
    while (this.pending) this.broken(out);
    this.inArray = false;
  }

  private scan(text: string, line: number, out: SplitCandidate[]): void {
    let i = 0;
    let segmentStart = 0;
    while (i < text.length) {
      if (!this.pending) {
        i = skipSpace(text, i);
        if (i >= text.length) break;
        const c = text[i];
        if (this.inArray && c === ',') { i++; continue; }
        if (this.inArray && c === ']') { this.inArray = false; i++; continue; }
        if (c === '[' && !this.inArray) { this.inArray = true; i++; continue; }
        if (c !== '{' && c !== '[') {
          // A scalar (or garbage) where a record should start: up to the next separator.
          const end = this.inArray ? scalarEnd(text, i) : text.length;
          out.push(parseWhole(text.slice(i, end), line, i, text));
          i = end;
          continue;
        }
        this.pending = { parts: [], laterLines: [], firstLine: line, firstText: text, startColumn: i, chars: 0 };
        this.depth = 0;
        this.inString = false;
        this.escaped = false;
        segmentStart = i;
      }
      // Inside a value: find where it closes.
      let closed = false;
      for (; i < text.length; i++) {
        const ch = text.charCodeAt(i);
        if (this.inString) {
          if (this.escaped) this.escaped = false;
          else if (ch === 92 /* \ */) this.escaped = true;
          else if (ch === 34 /* " */) this.inString = false;
          continue;
        }
        if (ch === 34) this.inString = true;
        else if (ch === 123 || ch === 91) this.depth++;
        else if ((ch === 125 || ch === 93) && --this.depth === 0) {
          closed = true;
          i++;
          break;
        }
      }
      const pending = this.pending!;
      if (closed) {
        const body = text.slice(segmentStart, i);
        this.pending = undefined;
        const whole = pending.parts.length ? `${pending.parts.join('\n')}\n${body}` : body;
        try {
          const value = JSON.parse(whole);
          if (isRecordArray(value) && !this.inArray) for (const item of value) out.push({ value: item, line: pending.firstLine, raw: whole });
          else out.push({ value, line: pending.firstLine, raw: whole });
        } catch (error) {
          if (pending.firstLine === line) {
            const { message, position } = jsonSyntaxError(error, whole);
            out.push({ syntax: { message, column: position === undefined ? undefined : pending.startColumn + position + 1 }, line, raw: text });
          } else {
            this.pending = pending;
            pending.parts.push(body);
            pending.laterLines.push(text);
            this.broken(out);
            return;
          }
        }
        continue;
      }
      // The line ends inside the value: a JSON string cannot hold a raw line break.
      if (pending.firstLine !== line) pending.laterLines.push(text);
      if (this.inString) {
        pending.parts.push(text.slice(segmentStart));
        this.broken(out);
        return;
      }
      const part = text.slice(segmentStart);
      pending.parts.push(part);
      pending.chars += part.length + 1;
      if (pending.chars > MAX_PENDING_CHARS) this.broken(out, `a record longer than ${MAX_PENDING_CHARS} characters`);
      return;
    }
  }

  /** The pending value is broken: an error record at its first line, then its later lines again. */
  private broken(out: SplitCandidate[], why?: string): void {
    const pending = this.pending!;
    let message = why ?? 'Unexpected end of JSON input';
    let column = pending.startColumn + 1;
    if (!why) {
      // V8's own words for the text gathered (as a JSON-lines reader reports a bad line).
      const text = pending.parts.join('\n');
      const found = parseWhole(text, pending.firstLine).syntax;
      if (found) {
        message = found.message;
        if (pending.laterLines.length === 0 && found.column !== undefined) column = pending.startColumn + found.column;
      }
    }
    this.pending = undefined;
    this.inArray = false;
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
    out.push({ syntax: { message, column }, line: pending.firstLine, raw: pending.firstText });
    pending.laterLines.forEach((text, k) => this.push(text, pending.firstLine + 1 + k, out));
  }
}

/** An array of objects: its elements are records (an array of anything else is one bad record). */
const isRecordArray = (value: unknown): value is unknown[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'object' && item !== null && !Array.isArray(item));

function parseWhole(text: string, line: number, offset = 0, raw = text): SplitCandidate {
  try {
    return { value: JSON.parse(text), line, raw };
  } catch (error) {
    const { message, position } = jsonSyntaxError(error, text);
    return { syntax: { message, column: position === undefined ? undefined : offset + position + 1 }, line, raw };
  }
}

const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13 || c === 0xfeff;

function firstNonSpace(text: string): number {
  const i = skipSpace(text, 0);
  return i < text.length ? i : -1;
}

function skipSpace(text: string, from: number): number {
  let i = from;
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}

/** Where a scalar array element ends: the next ',' or ']' outside a string. */
function scalarEnd(text: string, from: number): number {
  let inString = false;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === ',' || c === ']') return i;
  }
  return text.length;
}

/**
 * Whether a file's head is plain JSON lines (every complete line one JSON value), so byte ranges
 * cut at line breaks hold whole records. Concatenated or pretty-printed objects are not.
 */
export function isPlainJsonLines(head: string, complete: boolean): boolean {
  const lines = head.split('\n');
  if (!complete) lines.pop(); // cut mid-line
  let seen = 0;
  for (const line of lines) {
    if (line.trim() === '') continue;
    seen++;
    try {
      JSON.parse(line);
    } catch {
      // A malformed record on its own line is still JSON lines; a line holding part of a
      // pretty-printed object, or several objects, is not.
      const t = line.trim();
      if (!/^[[{]/.test(t) || /[[{]$/.test(t) || /[}\]]\s*[[{]/.test(t)) return false;
    }
  }
  return seen > 0 || complete;
}
