import type { ErrorObject } from 'ajv';
import { nearestName } from '../../types/nearestName.js';

/**
 * Turns ajv's errors into one line per problem, at a path a user can find in the spec:
 * `nodes[2].keys1: required`, `nodes[0].format: must be one of csv, json, parquet`.
 * Expects errors from a validator compiled with `allErrors` and `verbose` (for parentSchema).
 */
export function schemaMessages(errors: readonly ErrorObject[]): string[] {
  const oneOfs = errors.filter((e) => e.keyword === 'oneOf');
  const messages: string[] = [];
  for (const error of errors) {
    if (error.keyword === 'if') continue; // the failing `then` branch reports the actual problem
    if (oneOfs.some((o) => o !== error && error.schemaPath.startsWith(o.schemaPath + '/'))) continue;
    const message = describe(error);
    if (!messages.includes(message)) messages.push(message);
  }
  return messages;
}

/** `/nodes/2/keys1` → `nodes[2].keys1`; the empty pointer is the whole spec. */
export function humanPath(pointer: string, child?: string): string {
  const tokens = pointer === '' ? [] : pointer.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (child !== undefined) tokens.push(child);
  let path = '';
  for (const token of tokens) {
    if (/^\d+$/.test(token)) path += `[${token}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(token)) path += path ? `.${token}` : token;
    else path += `[${JSON.stringify(token)}]`;
  }
  return path || 'spec';
}

/** Fields every node may carry: listed after the node type's own in "allowed" lists. */
const COMMON = ['transformationCtx', 'stageThreshold', 'totalThreshold'];

function describe(error: ErrorObject): string {
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return `${humanPath(error.instancePath, String(p.missingProperty))}: required`;
    case 'additionalProperties': {
      const allowed = Object.keys((error.parentSchema?.properties as object | undefined) ?? {})
        .filter((k) => k !== 'id' && k !== 'type')
        .sort((a, b) => Number(COMMON.includes(a)) - Number(COMMON.includes(b)));
      const field = String(p.additionalProperty);
      const near = nearestName(field, allowed, 2);
      return `${humanPath(error.instancePath, field)}: unknown field${near ? ` (did you mean '${near}'?)` : ''}; allowed: ${allowed.join(', ')}`;
    }
    case 'oneOf':
      return `${humanPath(error.instancePath)}: ${oneOfMessage(error)}`;
    default:
      return `${humanPath(error.instancePath)}: ${valueMessage(error, p)}`;
  }
}

/** Messages about the value at the error's own path. */
function valueMessage(error: ErrorObject, p: Record<string, unknown>): string {
  switch (error.keyword) {
    case 'enum':
      return `must be one of ${(p.allowedValues as unknown[]).map(String).join(', ')}`;
    case 'const':
      return `must be ${JSON.stringify(p.allowedValue)}`;
    case 'type': {
      const type = String(p.type);
      return `must be ${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`;
    }
    case 'minItems':
      return `must have at least ${plural(Number(p.limit), 'item')}`;
    case 'maxItems':
      return `must have at most ${plural(Number(p.limit), 'item')}`;
    case 'minProperties':
      return `must have at least ${plural(Number(p.limit), 'entry', 'entries')}`;
    case 'minLength':
      return Number(p.limit) === 1 ? 'must not be empty' : `must have at least ${plural(Number(p.limit), 'character')}`;
    case 'minimum':
      return `must be >= ${String(p.limit)}`;
    case 'pattern':
      return error.schemaPath.includes('/definitions/id/')
        ? `must be a name of letters, digits, '_', '.' or '-' that does not start with a digit, got ${JSON.stringify(error.data)}`
        : `must match ${String(p.pattern)}`;
    default:
      return error.message ?? error.keyword;
  }
}

/** Names the alternatives of a `oneOf` whose branches are `{ required: [name] }`. */
function oneOfMessage(error: ErrorObject): string {
  const branches = Array.isArray(error.schema) ? (error.schema as { required?: string[] }[]) : [];
  const names = branches.flatMap((b) => b.required ?? []);
  const passing = (error.params as { passingSchemas: number[] | null }).passingSchemas;
  if (names.length === 0) return error.message ?? 'must match exactly one alternative';
  if (branches.some((b) => (b.required ?? []).length > 1)) {
    // Alternatives of several fields each (a read node's format and paths, or its catalog).
    const groups = branches.map((b) => (b.required ?? []).join(' and '));
    const data = error.data && typeof error.data === 'object' ? (error.data as Record<string, unknown>) : {};
    const given = branches.filter((b) => (b.required ?? []).some((name) => name in data)).length;
    return given > 1 ? `give ${groups.join(', or ')}, not both` : `needs ${groups.join(', or ')}`;
  }
  return passing ? `give only one of ${names.join(', ')}` : `needs one of ${names.join(', ')}`;
}

function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}
