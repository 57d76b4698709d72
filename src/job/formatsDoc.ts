import type { FormatDef, OptionSchema, OptionSet } from '../io/formats/FormatDef.js';
import { formatDefs } from '../io/formats/registry.js';
import { SINK_CONNECTION_OPTIONS, SOURCE_CONNECTION_OPTIONS } from './glueOptions.js';

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function typeOf(option: OptionSchema): string {
  if (option.enum) return option.enum.map((v) => `\`${String(v)}\``).join(' \\| ');
  return [option.type ?? 'any'].flat().join(' \\| ');
}

function optionTable(set: OptionSet): string[] {
  const lines = ['| option | type | default | what it does |', '| --- | --- | --- | --- |'];
  for (const [name, option] of Object.entries(set.schema.properties)) {
    const fallback = option.default === undefined ? '' : `\`${JSON.stringify(option.default)}\``;
    lines.push(`| \`${name}\` | ${typeOf(option)} | ${cell(fallback)} | ${cell(option.description)} |`);
  }
  for (const [name, reason] of Object.entries(set.ignored)) lines.push(`| \`${name}\` | | | accepted and ignored: ${cell(reason)} |`);
  for (const [name, reason] of Object.entries(set.unsupported ?? {})) lines.push(`| \`${name}\` | | | refused: ${cell(reason)} |`);
  return lines;
}

function formatSection(def: FormatDef): string[] {
  const names = [def.name, ...def.aliases].map((n) => `\`${n}\``).join(', ');
  const endings = Object.entries(def.extensions)
    .map(([ext, implied]) => `\`.${ext}\`${Object.keys(implied).length ? ` (${Object.entries(implied).map(([k, v]) => `${k} ${JSON.stringify(v)}`).join(', ')})` : ''}`)
    .join(', ');
  const compressed = def.compressionExtensions.length ? `; compressed: ${def.compressionExtensions.map((e) => `\`.${e}\``).join(', ')}` : '';
  const split = { wholeFile: 'whole files', byteRange: 'byte ranges cut at line breaks (when the options keep records on one line)', rowGroups: 'groups of row groups' }[def.read.split.kind];
  const out = [`## ${def.read.options.label}`, '', `\`format\`: ${names}. Files: ${endings}${compressed}. Parallel reads split large files into ${split}.`, ''];
  out.push('### Read options', '', ...optionTable(def.read.options), '');
  if (def.write) out.push(`### Write options (part files \`.${def.write.extension}\`)`, '', ...optionTable(def.write.options), '');
  else out.push('Read only: sluice does not write this format.', '');
  return out;
}

/**
 * docs/formats.md, generated from the format definitions and Glue's connection options (the
 * staleness test compares the file with this; `npm run docs:formats` rewrites it).
 */
export function formatsDoc(): string {
  return [
    '# Formats',
    '',
    '<!-- Generated from src/io/formats/*/…Format.ts and src/job/glueOptions.ts by `npm run docs:formats`; do not edit. -->',
    '',
    'Options use Glue\'s `format_options` names. An unknown option fails before any data is read, naming the nearest known one',
    '(`unknown CSV option \'withHeadr\'; did you mean \'withHeader\'?`). Glue options sluice does not act on are accepted and',
    'listed below with the reason.',
    '',
    ...formatDefs().flatMap(formatSection),
    '## Connection options (GlueContext)',
    '',
    '### `createDynamicFrame.fromOptions`',
    '',
    ...optionTable(SOURCE_CONNECTION_OPTIONS),
    '',
    '### `writeDynamicFrame.fromOptions`',
    '',
    ...optionTable(SINK_CONNECTION_OPTIONS),
    '',
    '`writeDynamicFrame.fromOptions` also takes `maxRowsPerFile` and `maxBytesPerFile` among its formatOptions.',
    '',
  ].join('\n');
}
