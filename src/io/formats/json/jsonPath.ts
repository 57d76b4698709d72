import { SluiceError } from '../../../types/ErrorRecord.js';

/** One step of a parsed path: a member name, or `*` for every element of an array. */
export type JsonPathStep = { key: string } | { every: true };

/**
 * Parses the JsonPath subset sluice needs to find records in a document: `$`, `.key`,
 * `['key']` (for keys with dots or spaces) and `[*]`. E.g. `$.data.items[*]`, `$.records`.
 */
export function parseJsonPath(path: string): JsonPathStep[] {
  const text = path.trim();
  if (!text.startsWith('$')) throw badPath(path, 'it must start with $');
  const steps: JsonPathStep[] = [];
  let i = 1;
  while (i < text.length) {
    if (text[i] === '.') {
      const match = /^[^.[\]]+/.exec(text.slice(i + 1));
      if (!match) throw badPath(path, `expected a key after '.' at position ${i + 1}`);
      steps.push({ key: match[0] });
      i += 1 + match[0].length;
    } else if (text.startsWith('[*]', i)) {
      steps.push({ every: true });
      i += 3;
    } else if (text[i] === '[' && (text[i + 1] === "'" || text[i + 1] === '"')) {
      const quote = text[i + 1];
      const end = text.indexOf(`${quote}]`, i + 2);
      if (end < 0) throw badPath(path, `unclosed [${quote} at position ${i + 1}`);
      steps.push({ key: text.slice(i + 2, end) });
      i = end + 2;
    } else {
      throw badPath(path, `unexpected '${text[i]}' at position ${i + 1}`);
    }
  }
  return steps;
}

const badPath = (path: string, why: string) =>
  new SluiceError(`Unsupported jsonPath '${path}': ${why}. Supported: $, .key, ['key'], [*]`);

/**
 * The records a path selects in a parsed document. Missing keys select nothing. When the path
 * ends on an array (e.g. `$` or `$.records`), its elements are the records, as `[*]` would give.
 */
export function selectRecords(document: unknown, steps: JsonPathStep[]): unknown[] {
  let nodes: unknown[] = [document];
  for (const step of steps) {
    const next: unknown[] = [];
    for (const node of nodes) {
      if ('key' in step) {
        if (isObject(node) && Object.hasOwn(node, step.key)) next.push(node[step.key]);
      } else if (Array.isArray(node)) {
        for (const element of node) next.push(element);
      } else if (isObject(node)) {
        for (const value of Object.values(node)) next.push(value);
      }
    }
    nodes = next;
  }
  const endsOnEvery = steps.length > 0 && !('key' in steps[steps.length - 1]);
  if (!endsOnEvery && nodes.length === 1 && Array.isArray(nodes[0])) return nodes[0];
  return nodes;
}

export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
