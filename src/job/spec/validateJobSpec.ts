import { createRequire } from 'node:module';
import type { ValidateFunction } from 'ajv';
import { SluiceError } from '../../types/ErrorRecord.js';
import { formatOptionProblems } from './formatOptionProblems.js';
import { nearestName } from '../../types/nearestName.js';
import { NODE_TYPES, nodeInputs, type JobSpec, type NodeSpec } from './JobSpec.js';
import { transformDefs } from '../../../transforms/registry.js';
import { jobSpecSchema } from './schemaFile.js';
import { schemaMessages } from './schemaMessages.js';

/** A spec that failed validation; `problems` holds one line per problem. */
export class JobSpecError extends SluiceError {
  constructor(readonly source: string, readonly problems: string[]) {
    super(`invalid job spec ${source}:\n  ${problems.join('\n  ')}`);
    this.name = 'JobSpecError';
  }
}

let validator: ValidateFunction | undefined;

function compiled(): ValidateFunction {
  if (!validator) {
    // ajv (about 60 modules, CommonJS) is loaded when a spec is first validated, not on import.
    const { Ajv } = createRequire(import.meta.url)('ajv') as typeof import('ajv');
    validator = new Ajv({ allErrors: true, verbose: true, strictTypes: false }).compile(jobSpecSchema());
  }
  return validator;
}

/**
 * Every problem of a spec, one line each (empty when the spec is valid). In order: unknown node
 * types (named with the known ones, so the schema does not bury them under if/then noise),
 * schema errors, then unknown format options, then the graph: unique ids, inputs that name
 * earlier non-write nodes.
 */
export function jobSpecProblems(spec: unknown): string[] {
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) return ['spec: must be an object'];
  const problems = unknownTypes(spec as Record<string, unknown>);
  const validate = compiled();
  if (!validate(spec)) problems.push(...schemaMessages(validate.errors ?? []));
  if (problems.length > 0) return problems;
  return [...formatOptionProblems(spec as JobSpec), ...graphProblems(spec as JobSpec)];
}

/** Throws a JobSpecError listing every problem; returns the spec typed when it is valid. */
export function validateJobSpec(spec: unknown, source = '(object)'): JobSpec {
  const problems = jobSpecProblems(spec);
  if (problems.length > 0) throw new JobSpecError(source, problems);
  return spec as JobSpec;
}

function unknownTypes(spec: Record<string, unknown>): string[] {
  if (!Array.isArray(spec.nodes)) return [];
  const problems: string[] = [];
  spec.nodes.forEach((node: unknown, i) => {
    if (node === null || typeof node !== 'object') return;
    const type = (node as Record<string, unknown>).type;
    if (typeof type !== 'string' || (NODE_TYPES as readonly string[]).includes(type)) return;
    const near = nearestName(type.replace(/[^A-Za-z]/g, ''), NODE_TYPES);
    const hint = near ? ` (did you mean '${near}'?)` : '';
    problems.push(`nodes[${i}].type: unknown type '${type}'${hint}; known: ${NODE_TYPES.join(', ')}`);
  });
  return problems;
}

const makesCollection = (node: NodeSpec): boolean => transformDefs.get(node.type)?.output === 'collection';
const readsCollection = (node: NodeSpec): boolean => transformDefs.get(node.type)?.inputs === 'collection';

/** A node reading a collection names its member with `key` (or takes the whole collection); one reading a frame does not. */
function memberProblems(node: NodeSpec, input: NodeSpec, where: string): string[] {
  const key = 'key' in node && !readsCollection(node) ? node.key : undefined;
  if ('inputs' in node) {
    return makesCollection(input) ? [`${where}.inputs: node '${input.id}' makes a collection (${input.type}); read one member first with a node of its own ({"type": "SelectFromCollection", "input": "${input.id}", "key": "..."}) and name that node here`] : [];
  }
  if (makesCollection(input)) {
    if (readsCollection(node) || key !== undefined) return [];
    return [`${where}: node '${input.id}' makes a collection (${input.type}); name the member to read with "key"`];
  }
  if (readsCollection(node)) return [`${where}.input: ${node.type} reads a collection, and node '${input.id}' (${input.type}) makes one frame`];
  if (key !== undefined) return [`${where}.key: node '${input.id}' (${input.type}) makes one frame, not a collection; remove "key"`];
  return [];
}

/** Ids unique; every input an earlier node (which also rules out cycles) that produces data. */
function graphProblems(spec: JobSpec): string[] {
  const problems: string[] = [];
  const position = new Map<string, number>();
  spec.nodes.forEach((node, i) => {
    const first = position.get(node.id);
    if (first !== undefined) problems.push(`nodes[${i}].id: duplicate id '${node.id}' (first used by nodes[${first}])`);
    else position.set(node.id, i);
  });
  spec.nodes.forEach((node, i) => {
    const field = 'inputs' in node ? 'inputs' : 'input';
    nodeInputs(node).forEach((input, k) => {
      const where = field === 'inputs' ? `nodes[${i}].inputs[${k}]` : `nodes[${i}].input`;
      const at = position.get(input);
      const earlier = [...new Set(spec.nodes.slice(0, i).filter((n) => n.type !== 'write').map((n) => n.id))];
      if (at === undefined) {
        problems.push(`${where}: unknown node '${input}'; earlier nodes: ${earlier.join(', ') || '(none)'}`);
      } else if (at === i) {
        problems.push(`${where}: node '${input}' cannot read itself`);
      } else if (at > i) {
        problems.push(`${where}: node '${input}' is defined later (nodes[${at}]); a node reads only nodes above it`);
      } else if (spec.nodes[at].type === 'write') {
        problems.push(`${where}: node '${input}' is a write node and produces no data`);
      } else {
        problems.push(...memberProblems(node, spec.nodes[at], `nodes[${i}]`));
      }
    });
  });
  if (!spec.nodes.some((n) => n.type === 'write')) {
    problems.push(`nodes: no write node; add one such as {"id": "sink", "type": "write", "input": "...", "format": "parquet", "path": "..."}`);
  }
  return problems;
}
