import { type Scalar } from '../operand.js';
import { mapRows } from '../kernels/rowwise.js';
import { castOperand } from '../kernels/castOperand.js';
import { isStringType } from '../typeRules.js';
import { scalar, typeOf } from '../operand.js';
import { define, type FunctionDef, literalArg, UTF8 } from './define.js';

/** JSON functions. A JSON path is compiled once; each distinct document is parsed once (mapRows). */

type Step = { key: string } | { index: number } | { wildcard: true };

/** Spark's JSON path subset: $, .name, ['name'], [n], [*]; null for a path it does not accept. */
export function compileJsonPath(path: string): Step[] | null {
  if (!path.startsWith('$')) return null;
  const steps: Step[] = [];
  let i = 1;
  while (i < path.length) {
    if (path[i] === '.') {
      const m = /^[^.[\]]+/.exec(path.slice(i + 1));
      if (!m) return null;
      steps.push(m[0] === '*' ? { wildcard: true } : { key: m[0] });
      i += 1 + m[0].length;
    } else if (path[i] === '[') {
      const end = path.indexOf(']', i);
      if (end < 0) return null;
      const inner = path.slice(i + 1, end).trim();
      if (inner === '*') steps.push({ wildcard: true });
      else if (/^\d+$/.test(inner)) steps.push({ index: Number(inner) });
      else if (/^'[^']*'$/.test(inner)) steps.push({ key: inner.slice(1, -1) });
      else return null;
      i = end + 1;
    } else return null;
  }
  return steps;
}

function walk(value: unknown, steps: Step[], at: number): unknown {
  if (at === steps.length) return value;
  const step = steps[at];
  if ('wildcard' in step) {
    if (!Array.isArray(value)) return undefined;
    const found = value.map((v) => walk(v, steps, at + 1)).filter((v) => v !== undefined);
    if (found.length === 0) return undefined;
    return found.length === 1 ? found[0] : found;
  }
  if ('index' in step) return Array.isArray(value) ? walk(value[step.index], steps, at + 1) : undefined;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  return Object.prototype.hasOwnProperty.call(value, step.key) ? walk((value as Record<string, unknown>)[step.key], steps, at + 1) : undefined;
}

/** A JSON number kept as its text: Spark copies numbers as written (-5.0 stays -5.0). */
class RawNumber {
  constructor(readonly text: string) {}
}

const NUMBER_RE = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** A strict JSON parser that keeps numbers as RawNumber; throws on malformed text. */
function parseJson(text: string): unknown {
  let i = 0;
  const ws = () => { while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\t' || text[i] === '\r')) i++; };
  const fail = (): never => { throw new SyntaxError('bad JSON'); };
  const value = (): unknown => {
    ws();
    const ch = text[i];
    if (ch === '{') {
      i++;
      const out: Record<string, unknown> = {};
      ws();
      if (text[i] === '}') { i++; return out; }
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        const key = string();
        ws();
        if (text[i++] !== ':') fail();
        out[key] = value();
        ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i++] !== '}') fail();
        return out;
      }
    }
    if (ch === '[') {
      i++;
      const out: unknown[] = [];
      ws();
      if (text[i] === ']') { i++; return out; }
      for (;;) {
        out.push(value());
        ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i++] !== ']') fail();
        return out;
      }
    }
    if (ch === '"') return string();
    if (text.startsWith('true', i)) { i += 4; return true; }
    if (text.startsWith('false', i)) { i += 5; return false; }
    if (text.startsWith('null', i)) { i += 4; return null; }
    NUMBER_RE.lastIndex = i;
    const m = NUMBER_RE.exec(text);
    if (!m) return fail();
    i += m[0].length;
    return new RawNumber(m[0]);
  };
  const string = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    if (i >= text.length) fail();
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const result = value();
  ws();
  if (i !== text.length) fail();
  return result;
}

/** JSON text without insignificant whitespace, numbers as written. */
function writeJson(v: unknown): string {
  if (v instanceof RawNumber) return v.text;
  if (Array.isArray(v)) return `[${v.map(writeJson).join(',')}]`;
  if (v !== null && typeof v === 'object') return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}:${writeJson(x)}`).join(',')}}`;
  return JSON.stringify(v);
}

export function getJsonObject(json: string, steps: Step[]): Scalar {
  let doc: unknown;
  try { doc = parseJson(json); } catch { return null; }
  const found = walk(doc, steps, 0);
  if (found === undefined || found === null) return null;
  return typeof found === 'string' ? found : writeJson(found);
}

export const JSON_FUNCTIONS: FunctionDef[] = [
  define({
    name: 'get_json_object', category: 'json', signature: 'get_json_object(json: string, path: string) → string',
    description: "The value at a JSON path ($.a.b, $.a[0], $['a'], $.a[*]) as text (strings unquoted, objects and arrays as JSON); null when absent or the text is not JSON.",
    args: ['string', 'string'], result: UTF8,
    evaluate(args, n) {
      const path = literalArg(args[1], 'get_json_object', 'the path');
      const steps = path === null ? null : compileJsonPath(String(path));
      if (!steps) return scalar(UTF8, null);
      const text = isStringType(typeOf(args[0])) ? args[0] : castOperand(args[0], UTF8, n);
      return mapRows([text], n, UTF8, ([s]) => (s === null ? null : getJsonObject(String(s), steps)));
    },
  }),
];
