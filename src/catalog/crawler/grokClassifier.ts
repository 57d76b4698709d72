import { compileGrok } from '../../io/formats/grok/compileGrok.js';
import { grokFields } from '../../io/formats/grok/grokValues.js';
import { sampleText, type Classification } from './Classification.js';
import type { FileSample } from './sampleFile.js';

const SAMPLE_RECORDS = 1000;

/** A custom grok classifier (Glue's `GrokClassifier`): `Classification` names the tables it makes. */
export interface GrokClassifierDef {
  Name: string;
  Classification: string;
  /** The pattern of a line, at most 2,048 characters (Glue's limit). */
  GrokPattern: string;
  /** `NAME regex` lines the pattern may name, at most 16,000 characters. */
  CustomPatterns?: string;
}

/** The table parameters that carry a grok classifier's pattern (Glue's GrokSerDe properties). */
export const GROK_FORMAT = 'input.format';
export const GROK_CUSTOM_PATTERNS = 'input.grokCustomPatterns';

/**
 * Glue's grok classifier: certain when every line of the sample (up to 1,000, blank ones and a line
 * cut by the sample's end aside) matches the pattern; the columns are the pattern's fields with
 * their casts. The pattern travels in the table's SerDe parameters, so the table reads back with
 * the grokLog format.
 */
export function classifyGrok(sample: FileSample, def: GrokClassifierDef): Classification | undefined {
  const grok = compileGrok(def.GrokPattern, def.CustomPatterns ?? '');
  const lines = sampleText(sample).split('\n');
  if (!sample.complete) lines.pop(); // cut by the sample's end
  let records = 0;
  let bytes = 0;
  for (const raw of lines) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') continue;
    if (!grok.regex.test(line)) return undefined;
    bytes += Buffer.byteLength(raw) + 1;
    if (++records >= SAMPLE_RECORDS) break;
  }
  if (records === 0) return undefined;
  return {
    classification: def.Classification,
    fields: grokFields(grok.fields),
    sampleRecords: records,
    sampleBytes: bytes,
    exactRecords: sample.complete && records < SAMPLE_RECORDS ? records : undefined,
    parameters: { [GROK_FORMAT]: def.GrokPattern, ...(def.CustomPatterns ? { [GROK_CUSTOM_PATTERNS]: def.CustomPatterns } : {}) },
    conflicts: 'string',
  };
}

/**
 * Glue's built-in grok classifiers that sluice has the patterns of, in Glue's order (after xml,
 * before csv): Apache access logs in the combined and the common format.
 */
export const BUILT_IN_GROK: readonly GrokClassifierDef[] = [
  { Name: 'combined_apache', Classification: 'combined_apache', GrokPattern: '%{COMBINEDAPACHELOG}' },
  { Name: 'apache', Classification: 'apache', GrokPattern: '%{COMMONAPACHELOG}' },
];

/** The first built-in grok classifier certain of a sample. */
export function classifyBuiltInGrok(sample: FileSample): Classification | undefined {
  for (const def of BUILT_IN_GROK) {
    const found = classifyGrok(sample, def);
    if (found) return found;
  }
  return undefined;
}

/** Checks a grok classifier definition as Glue's CreateClassifier does; returns why it is refused, or undefined. */
export function grokClassifierProblem(def: Record<string, unknown>): string | undefined {
  for (const key of ['Name', 'Classification', 'GrokPattern']) if (typeof def[key] !== 'string' || def[key] === '') return `${key} is required`;
  if ((def.GrokPattern as string).length > 2048) return 'GrokPattern is longer than 2,048 characters';
  if (def.CustomPatterns !== undefined && (typeof def.CustomPatterns !== 'string' || def.CustomPatterns.length > 16000)) return 'CustomPatterns must be text of at most 16,000 characters';
  try {
    compileGrok(def.GrokPattern as string, (def.CustomPatterns as string | undefined) ?? '');
  } catch (error) {
    return (error as Error).message;
  }
  return undefined;
}
