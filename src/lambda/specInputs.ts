import { SluiceError } from '../types/ErrorRecord.js';

/** The placeholders a Lambda job spec uses for the objects of the event. */
export const INPUT_PLACEHOLDERS = ['${INPUT}', '${INPUTS}'] as const;

const INPUT_IN_TEXT = /(?<!\$)\$\{INPUTS?\}/;
const EVERY_INPUT_IN_TEXT = new RegExp(INPUT_IN_TEXT.source, 'g');

/**
 * Fills the event's objects into a job spec: an array element that is exactly `"${INPUT}"` or
 * `"${INPUTS}"` (a read node's `paths` entry) becomes one element per object; inside a longer
 * string the placeholder takes the one object's path, and is an error when the event named
 * several. Other placeholders are left for loadJobSpec to fill from the parameters.
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
      return value.replace(EVERY_INPUT_IN_TEXT, () => inputs[0]);
    }
    if (Array.isArray(value)) {
      return value.flatMap((item, i) => {
        if (typeof item === 'string' && (INPUT_PLACEHOLDERS as readonly string[]).includes(item)) {
          used = true;
          return [...inputs];
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
