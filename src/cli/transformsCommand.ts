import { specTransforms } from '../../transforms/registry.js';
import { exampleNode, type AnyTransform, type ParamSchema } from '../../transforms/TransformDef.js';
import { nearestName } from '../types/nearestName.js';
import { parseVerbArgs } from './parseVerbArgs.js';
import type { CliIO } from './runCli.js';
import { UsageError } from './UsageError.js';
import { VERB_USAGE } from './usage.js';

/**
 * `sluice transforms [name]`: the transforms a job spec (or `Transform.apply`) can use, read from
 * their definitions — a list, or one transform's description, parameters and an example node.
 */
export async function transformsCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseVerbArgs('transforms', argv, { json: { type: 'boolean' } }, { min: 0, max: 1, names: 'at most a transform name' });
  if (values.help) {
    io.out(VERB_USAGE.transforms);
    return 0;
  }
  const chosen = positionals.length ? [findTransform(positionals[0])] : specTransforms;
  if (values.json) {
    io.out(JSON.stringify(chosen.map(describeAsJson), null, 2));
  } else if (positionals.length) {
    io.out(describe(chosen[0]));
  } else {
    const width = Math.max(...chosen.map((t) => t.name.length));
    io.out(chosen.map((t) => `${t.name.padEnd(width)}  ${firstSentence(t.description)}`).join('\n'));
    io.out(`\nRun 'sluice transforms <name>' for a transform's parameters and an example.`);
  }
  return 0;
}

function findTransform(name: string): AnyTransform {
  const found = specTransforms.find((t) => t.name === name);
  if (found) return found;
  const names = specTransforms.map((t) => t.name);
  const near = nearestName(name, names);
  throw new UsageError(`unknown transform '${name}'${near ? ` (did you mean '${near}'?)` : ''}; transforms: ${names.join(', ')}`, 'transforms');
}

const INPUTS_HELP = {
  one: 'input: the id of the node it reads (key: the member, when that node makes a collection)',
  two: 'inputs: [a, b], the ids of the nodes it reads',
  many: 'inputs: [a, b, ...], the ids of the nodes it reads',
  collection: 'input: the id of a node that makes a collection (Relationalize, SplitFields, SplitRows)',
};

function describe(t: AnyTransform): string {
  const required = new Set(t.params.required ?? []);
  const inputs = INPUTS_HELP[t.inputs];
  const params = Object.entries(t.params.properties).map(([name, schema]) => {
    const flag = required.has(name) ? 'required' : 'optional';
    return `  ${name} (${typeOf(schema)}, ${flag})${schema.description ? `: ${schema.description}` : ''}`;
  });
  const alternatives = t.params.oneOf ? [`  exactly one of: ${t.params.oneOf.map((b) => b.required.join(' + ')).join(', ')}`] : [];
  const output = t.output === 'collection' ? ['', 'Output: a collection; a node reads one member with "input": "<this id>", "key": "<member>".'] : [];
  return [
    `${t.name}${t.glueName ? ` (Glue: ${t.glueName})` : ''}`,
    '',
    wrap(t.description, 92),
    '',
    'Parameters:',
    `  ${inputs}`,
    ...params,
    ...alternatives,
    '  transformationCtx, stageThreshold, totalThreshold: Glue\'s node settings',
    ...output,
    '',
    'Example node:',
    `  ${JSON.stringify(exampleNode(t))}`,
  ].join('\n');
}

function describeAsJson(t: AnyTransform) {
  return { name: t.name, ...(t.glueName ? { glueName: t.glueName } : {}), description: t.description, inputs: t.inputs, params: t.params, example: exampleNode(t) };
}

/** A parameter's JSON Schema in a few words: `string[]`, `one of inner, left`, `object`. */
function typeOf(schema: ParamSchema): string {
  if (Array.isArray(schema.enum)) return `one of ${schema.enum.join(', ')}`;
  if (schema.type === 'array') {
    const items = schema.items as ParamSchema | undefined;
    return items && !Array.isArray(items) ? `${items.type === 'array' ? 'array' : typeOf(items)}[]` : 'array';
  }
  return typeof schema.type === 'string' ? schema.type : 'value';
}

/** The description's first sentence, cut to a line. */
function firstSentence(text: string, max = 100): string {
  const sentence = /^.*?\.(?=\s|$)/.exec(text)?.[0] ?? text;
  return sentence.length <= max ? sentence : `${sentence.slice(0, max - 1).replace(/\s+\S*$/, '')}…`;
}

function wrap(text: string, width: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.join('\n');
}
