import { nearestName } from '../../types/nearestName.js';
import { SluiceError } from '../../types/ErrorRecord.js';
import type { OptionSet } from './FormatDef.js';

/** Every name an option set accepts: those acted on, then those accepted and ignored. */
export const acceptedNames = (set: OptionSet): string[] => [...Object.keys(set.schema.properties), ...Object.keys(set.ignored)];

/**
 * Throws on the first option the set does not know, naming the nearest known one: a misspelt
 * `withHeadr` must not silently read a header as data. `where` prefixes the message.
 */
export function checkOptions(options: Readonly<Record<string, unknown>> | undefined, set: OptionSet, where?: string): void {
  if (!options) return;
  const known = acceptedNames(set);
  for (const name of Object.keys(options)) {
    if (Object.hasOwn(set.schema.properties, name) || Object.hasOwn(set.ignored, name)) continue;
    const refused = set.unsupported && Object.hasOwn(set.unsupported, name) ? set.unsupported[name] : undefined;
    if (refused) throw new SluiceError(`${where ? `${where}: ` : ''}${set.label} option '${name}' is not supported yet: ${refused}`);
    const near = nearestName(name, known);
    const hint = near ? `did you mean '${near}'?` : known.length ? `known: ${known.join(', ')}` : 'it takes none';
    throw new SluiceError(`${where ? `${where}: ` : ''}unknown ${set.label} option '${name}'; ${hint}`);
  }
}
