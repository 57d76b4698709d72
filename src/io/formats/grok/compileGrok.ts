import { SluiceError } from '../../../types/ErrorRecord.js';
import { BUILT_IN_PATTERNS } from './grokPatterns.js';

/** The types a grok field can be cast to (`%{NUMBER:num:int}`), Glue's list; `string` by default. */
export const GROK_TYPES = ['string', 'byte', 'boolean', 'double', 'short', 'int', 'long', 'float'] as const;
export type GrokType = (typeof GROK_TYPES)[number];

/** One field of a grok pattern: a column, in the order it first appears. */
export interface GrokField {
  name: string;
  type: GrokType;
}

/** A compiled grok pattern: one regular expression, and for each field the named groups that capture it. */
export interface CompiledGrok {
  regex: RegExp;
  fields: GrokField[];
  /** `groups[i]`: the regex group names holding field i (a field named twice, in alternatives, has several). */
  groups: string[][];
}

/** `%{NAME}`, `%{NAME:field}` or `%{NAME:field:type}` (Glue also writes `;` between the parts). */
const REFERENCE = /%\{([A-Za-z0-9_]+)(?:[:;]([^:;}]+))?(?:[:;]([^}]*))?\}/g;
/** Sub-patterns named this are matched but are no field (Glue's built-ins use it). */
const UNWANTED = 'UNWANTED';
/** Deeper than this, a pattern refers to itself. */
const MAX_DEPTH = 64;

let builtIns: Map<string, string> | undefined;

/**
 * `NAME regex` definitions, one per line (Glue's `CustomPatterns`); blank lines and `#` comments
 * are skipped. `where` names the text in errors.
 */
export function parsePatternDefinitions(text: string, where: string): Map<string, string> {
  const definitions = new Map<string, string>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const match = /^([A-Za-z0-9_]+)\s+(.+)$/.exec(line);
    if (!match) throw new SluiceError(`${where}, line ${i + 1}: '${line}' is not a grok pattern definition; write NAME followed by its regex, e.g. LOGLEVEL (INFO|WARN|ERROR)`);
    definitions.set(match[1], match[2]);
  });
  return definitions;
}

/**
 * Compiles a grok pattern (Glue's `GrokPattern` / grokLog `logFormat`) against the built-in
 * patterns and `customPatterns` (which win over built-ins of the same name): every `%{NAME:field}`
 * at any depth becomes a named group, so `%{COMBINEDAPACHELOG}` gives `clientip`, `ident`, …
 * `agent`. Like grok, the expression matches anywhere in a line unless the pattern anchors it.
 *
 * @example
 * const { regex, fields } = compileGrok('%{IP:client} %{NUMBER:bytes:int}');
 */
export function compileGrok(pattern: string, customPatterns = ''): CompiledGrok {
  builtIns ??= parsePatternDefinitions(BUILT_IN_PATTERNS, 'built-in grok patterns');
  const custom = parsePatternDefinitions(customPatterns, 'customPatterns');
  const fields: GrokField[] = [];
  const groups: string[][] = [];
  let nextGroup = 0;

  const expand = (text: string, within: readonly string[]): string =>
    text.replace(REFERENCE, (_, name: string, field: string | undefined, cast: string | undefined) => {
      if (within.includes(name) || within.length > MAX_DEPTH) {
        throw new SluiceError(`Grok pattern %{${name}} refers to itself (${[...within, name].join(' → ')})`);
      }
      const definition = custom.get(name) ?? builtIns!.get(name);
      if (definition === undefined) throw new SluiceError(`Grok pattern ${JSON.stringify(pattern)} names %{${name}}, which is neither built in nor in customPatterns`);
      const inner = expand(definition, [...within, name]);
      if (field === undefined || field === UNWANTED) return `(?:${inner})`;
      const type = typeOf(cast, field);
      let index = fields.findIndex((f) => f.name === field);
      if (index < 0) {
        index = fields.push({ name: field, type }) - 1;
        groups.push([]);
      } else if (fields[index].type !== type) {
        throw new SluiceError(`Grok field '${field}' is cast to both ${fields[index].type} and ${type}`);
      }
      const group = `g${nextGroup++}`;
      groups[index].push(group);
      return `(?<${group}>${inner})`;
    });

  const source = expand(pattern, []);
  let regex: RegExp;
  try {
    regex = new RegExp(source);
  } catch (error) {
    throw new SluiceError(`Grok pattern ${JSON.stringify(pattern)} is not a valid regular expression once expanded: ${(error as Error).message}`);
  }
  if (fields.length === 0) throw new SluiceError(`Grok pattern ${JSON.stringify(pattern)} names no field: write %{PATTERN:field}`);
  return { regex, fields, groups };
}

function typeOf(cast: string | undefined, field: string): GrokType {
  if (cast === undefined || cast === '') return 'string';
  const type = cast.split(/[:;]/)[0].trim().toLowerCase();
  if (!(GROK_TYPES as readonly string[]).includes(type)) {
    throw new SluiceError(`Grok field '${field}' is cast to '${cast}'; the types are ${GROK_TYPES.join(', ')}`);
  }
  return type as GrokType;
}

/** The text each field captured in a matched line (undefined where an optional part did not match). */
export function capturedTexts(compiled: CompiledGrok, match: RegExpExecArray): (string | undefined)[] {
  const named = match.groups ?? {};
  return compiled.groups.map((names) => {
    for (const name of names) if (named[name] !== undefined) return named[name];
    return undefined;
  });
}
