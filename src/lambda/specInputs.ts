import { SluiceError } from '../types/ErrorRecord.js';
import { escapePlaceholders } from '../job/spec/placeholders.js';

/** The placeholders a Lambda job spec uses for the objects of the event. */
export const INPUT_PLACEHOLDERS = ['${INPUT}', '${INPUTS}'] as const;

const INPUT_IN_TEXT = /(?<!\$)\$\{INPUTS?\}/;

/**
 * Fills the event's objects into a job spec: an array element that is exactly `"${INPUT}"` or
 * `"${INPUTS}"` (a read node's `paths` entry) becomes one element per object, escaped so that
 * loadJobSpec's placeholder pass leaves a key such as `x${SECRET}.csv` as it is. Inside a longer
 * string the placeholder is left for loadJobSpec, which fills it from the INPUT parameter
 * (inputParams: as a literal in expressions), and is an error when the event named several.
 */
export function fillSpecInputs<T>(spec: T, inputs: readonly string[], source: string): T {
  let used = false;
  const fill = (value: unknown, where: string): unknown => {
    if (typeof value === 'string') {
      if (!INPUT_IN_TEXT.test(value)) return value;
      used = true;
      if (inputs.length !== 1) {
        throw new SluiceError(
          `${source}: ${where} uses \${INPUT} inside "${value}", which can name one object, but the event named ${inputs.length}; ` +
          'make "${INPUTS}" an entry of its own in the read node\'s paths',
          { file: source },
        );
      }
      return value;
    }
    if (Array.isArray(value)) {
      return value.flatMap((item, i) => {
        if (typeof item === 'string' && (INPUT_PLACEHOLDERS as readonly string[]).includes(item)) {
          used = true;
          return inputs.map(escapePlaceholders);
        }
        return [fill(item, `${where}[${i}]`)];
      });
    }
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v, where ? `${where}.${k}` : k)]));
    }
    return value;
  };
  const filled = fill(spec, '') as T;
  if (!used) {
    throw new SluiceError(`${source}: no read node uses \${INPUT} or \${INPUTS}, so the event's objects would not be read; put "\${INPUTS}" in a read node's paths`, { file: source });
  }
  return filled;
}

/** The parameters that fill `${INPUT}` inside longer strings (only with one object). */
export function inputParams(inputs: readonly string[]): Record<string, string> {
  return inputs.length === 1 ? { INPUT: inputs[0], INPUTS: inputs[0] } : {};
}
