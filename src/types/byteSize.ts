import { SluiceError } from './ErrorRecord.js';

const UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/**
 * A byte count written as a whole number (`1073741824`) or with a unit: `512k`, `128MB`,
 * `1GiB`, `2 g`. Units are binary whatever their spelling (MB = MiB = 1024²), as memory and
 * file bounds are. `what` names the setting in the error message.
 */
export function parseByteSize(text: string, what: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?\s*$/i.exec(text);
  const bytes = match ? Math.round(Number(match[1]) * UNITS[match[2].toLowerCase()]) : NaN;
  if (!Number.isFinite(bytes) || bytes < 1) {
    throw new SluiceError(`${what}: '${text}' is not a size in bytes; write e.g. 134217728, 128MB or 1GiB`);
  }
  return bytes;
}
