import { findFunction, listFunctions, type FunctionInfo } from '../expr/functions.js';
import { nearestName } from '../types/nearestName.js';
import { parseVerbArgs } from './parseVerbArgs.js';
import type { CliIO } from './runCli.js';
import { UsageError } from './UsageError.js';
import { VERB_USAGE } from './usage.js';

/**
 * `sluice functions [name]`: the SQL functions expressions can call (and `F.<name>` builds),
 * read from the function registry — a list of signatures with one line each, or one function
 * with its aliases, arity and description.
 */
export async function functionsCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseVerbArgs('functions', argv, { json: { type: 'boolean' } }, { min: 0, max: 1, names: 'at most a function name' });
  if (values.help) {
    io.out(VERB_USAGE.functions);
    return 0;
  }
  const all = listFunctions();
  const chosen = positionals.length ? [findInfo(positionals[0], all)] : all;
  if (values.json) io.out(JSON.stringify(chosen, null, 2));
  else if (positionals.length) io.out(describe(chosen[0]));
  else {
    io.out(chosen.map((f) => `${f.signature}\n    ${firstSentence(f.description)}`).join('\n'));
    io.out(`\n${all.length} functions. Run 'sluice functions <name>' for one function; in code every one is F.<name> (import { F } from 'sluice').`);
  }
  return 0;
}

function findInfo(name: string, all: FunctionInfo[]): FunctionInfo {
  const def = findFunction(name);
  const found = def && all.find((f) => f.name === def.name);
  if (found) return found;
  const names = all.flatMap((f) => [f.name, ...f.aliases]);
  const near = nearestName(name.toLowerCase(), names);
  throw new UsageError(`unknown function '${name}'${near ? ` (did you mean '${near}'?)` : ''}; 'sluice functions' lists them all`, 'functions');
}

function describe(f: FunctionInfo): string {
  const arity = f.maxArgs === null ? `${f.minArgs} or more` : f.minArgs === f.maxArgs ? String(f.minArgs) : `${f.minArgs} to ${f.maxArgs}`;
  return [
    f.signature,
    '',
    f.description,
    '',
    `Category:  ${f.category}`,
    `Arguments: ${arity}`,
    ...(f.aliases.length ? [`Aliases:   ${f.aliases.join(', ')}`] : []),
    `In code:   F.${f.name}(...)`,
  ].join('\n');
}

const firstSentence = (text: string): string => {
  const m = /^(.*?\.)(\s|$)/.exec(text);
  return m ? m[1] : text;
};
