/** Parsing of JSON string values into Arrow's date, timestamp and decimal representations. */

const MS_PER_DAY = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_TIMESTAMP = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2})?)(?:\.(\d{1,9}))?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/** Days since the epoch of a `YYYY-MM-DD` string, or undefined. */
export function parseIsoDate(text: string): number | undefined {
  const match = ISO_DATE.exec(text);
  if (!match) return undefined;
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  const back = new Date(ms);
  // Date.UTC rolls 2024-02-31 over to March; such dates are invalid, not shifted.
  if (back.getUTCDate() !== Number(match[3]) || back.getUTCMonth() !== Number(match[2]) - 1) return undefined;
  return ms / MS_PER_DAY;
}

/**
 * An ISO-8601 timestamp as an epoch count of 1/`perMs` milliseconds (1n → ms, 1000n → µs).
 * Without an offset the text is taken as UTC, since sluice's timestamps are UTC.
 */
export function parseIsoTimestamp(text: string, perMs: bigint): bigint | undefined {
  const match = ISO_TIMESTAMP.exec(text.trim());
  if (!match) return undefined;
  const [, date, time = '00:00:00', fraction = '', zone = 'Z'] = match;
  const offset = zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone;
  const ms = Date.parse(`${date}T${time}${offset}`);
  if (Number.isNaN(ms) || parseIsoDate(date) === undefined) return undefined;
  const digits = fraction.padEnd(9, '0');
  const subMs = perMs === 1n ? BigInt(digits.slice(0, 3)) : BigInt(digits.slice(0, 6));
  return BigInt(ms) * perMs + subMs;
}

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * The unscaled integer of a decimal text at `scale`, or undefined when it has more fraction
 * digits than the scale holds (no silent rounding) or more digits than `precision`.
 */
export function parseDecimal(text: string, scale: number, precision: number): bigint | undefined {
  const match = DECIMAL.exec(text.trim());
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) return undefined;
  const [, sign, whole, fraction = '', exponentText] = match;
  const exponent = exponentText ? Number(exponentText) : 0;
  // Shift the decimal point by the exponent, then to the column's scale.
  let digits = whole + fraction;
  let pointAt = whole.length + exponent;
  if (pointAt < 0) {
    digits = '0'.repeat(-pointAt) + digits;
    pointAt = 0;
  }
  const wanted = pointAt + scale;
  if (digits.length > wanted) {
    if (/[^0]/.test(digits.slice(wanted))) return undefined;
    digits = digits.slice(0, wanted);
  } else {
    digits = digits.padEnd(wanted, '0');
  }
  const unscaled = BigInt(digits === '' ? '0' : digits);
  if (unscaled.toString().length > precision && unscaled !== 0n) return undefined;
  return sign === '-' ? -unscaled : unscaled;
}
