import { SluiceError } from '../../types/ErrorRecord.js';
import { isExpressionField } from './expressionFields.js';
import { fillExpression } from './expressionPlaceholders.js';

/** `${NAME}`; `$${NAME}` is the escape for a literal `${NAME}`. */
const PLACEHOLDER = /\$?\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * Fills `${NAME}` placeholders in every string value of `value` (keys are left alone) from
 * `params`. Every missing name is reported at once, so a user fixes the command line in one go.
 * In a job spec's expression fields (expressionFields.ts) a value is placed as a literal, never
 * as SQL (expressionPlaceholders.ts); elsewhere it is placed as is.
 */
export function substitutePlaceholders<T>(value: T, params: Readonly<Record<string, string>>): T {
  const missing = new Set<string>();
  const result = substitute(value, params, missing, [], value);
  if (missing.size > 0) {
    const names = [...missing];
    const plural = names.length > 1 ? 's' : '';
    throw new SluiceError(`missing job parameter${plural} ${names.join(', ')}: pass ${names.map((n) => `--${n} <value>`).join(' ')}`);
  }
  return result as T;
}

/** The placeholder names used anywhere in `value`, in order of first use. */
export function placeholderNames(value: unknown): string[] {
  const names = new Set<string>();
  walkStrings(value, (text) => {
    for (const m of text.matchAll(PLACEHOLDER)) if (!m[0].startsWith('$$')) names.add(m[1]);
  });
  return [...names];
}

function substitute(value: unknown, params: Readonly<Record<string, string>>, missing: Set<string>, path: (string | number)[], root: unknown): unknown {
  if (typeof value === 'string') {
    return isExpressionField(root, path) ? fillExpression(value, params, missing, path.map((k) => (typeof k === 'number' ? `[${k}]` : `.${k}`)).join('').slice(1)) : fillString(value, params, missing);
  }
  if (Array.isArray(value)) return value.map((v, i) => substitute(v, params, missing, [...path, i], root));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, params, missing, [...path, k], root)]));
  }
  return value;
}

/**
 * A value to put where a placeholder pass will run, so that it comes out as given: every `${NAME}`
 * in it becomes `$${NAME}` (an event's object key must not pull in the job's parameters).
 */
export function escapePlaceholders(text: string): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, '$$$${$1}');
}

function fillString(text: string, params: Readonly<Record<string, string>>, missing: Set<string>): string {
  return text.replace(PLACEHOLDER, (whole: string, name: string) => {
    if (whole.startsWith('$$')) return whole.slice(1);
    if (Object.hasOwn(params, name)) return params[name];
    missing.add(name);
    return whole;
  });
}

function walkStrings(value: unknown, visit: (text: string) => void): void {
  if (typeof value === 'string') visit(value);
  else if (Array.isArray(value)) for (const v of value) walkStrings(v, visit);
  else if (value !== null && typeof value === 'object') for (const v of Object.values(value)) walkStrings(v, visit);
}
