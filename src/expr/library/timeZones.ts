import { SluiceError } from '../../types/ErrorRecord.js';

/**
 * Offsets of time zones at instants, for from_utc_timestamp / to_utc_timestamp / make_timestamp:
 * IANA names through Intl (its tz database), fixed offsets ('+08:00', 'UTC+1', 'GMT-05:30')
 * directly. Results are cached per zone and quarter hour, as every modern transition falls on one.
 */

const FIXED = /^(?:UTC|GMT|UT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$/i;
const QUARTER_HOUR_MS = 900_000;

export type OffsetOf = (epochMs: number) => number;

const zones = new Map<string, OffsetOf>();

/** The function giving `zone`'s offset from UTC in milliseconds at an instant; an unknown zone is an error naming it. */
export function zoneOffset(zone: string, fn: string): OffsetOf {
  let found = zones.get(zone);
  if (found) return found;
  found = makeOffset(zone.trim(), fn);
  zones.set(zone, found);
  return found;
}

/** Java's ZoneId.SHORT_IDS, which Spark accepts ('PST' is America/Los_Angeles, 'EST' a fixed -05:00). */
const SHORT_IDS: Record<string, string> = {
  EST: '-05:00', MST: '-07:00', HST: '-10:00', PST: 'America/Los_Angeles', CST: 'America/Chicago', AST: 'America/Anchorage',
  ECT: 'Europe/Paris', IST: 'Asia/Kolkata', JST: 'Asia/Tokyo', CTT: 'Asia/Shanghai', AET: 'Australia/Sydney', ACT: 'Australia/Darwin',
  BST: 'Asia/Dhaka', EAT: 'Africa/Addis_Ababa', CAT: 'Africa/Harare', ART: 'Africa/Cairo', AGT: 'America/Argentina/Buenos_Aires',
  BET: 'America/Sao_Paulo', NST: 'Pacific/Auckland', SST: 'Pacific/Guadalcanal', VST: 'Asia/Ho_Chi_Minh', PLT: 'Asia/Karachi',
  NET: 'Asia/Yerevan', MIT: 'Pacific/Apia', IET: 'America/Indiana/Indianapolis', PNT: 'America/Phoenix', PRT: 'America/Puerto_Rico', CNT: 'America/St_Johns',
};

function makeOffset(given: string, fn: string): OffsetOf {
  const zone = SHORT_IDS[given.toUpperCase()] ?? given;
  if (/^(UTC|GMT|UT|Z)$/i.test(zone)) return () => 0;
  const fixed = FIXED.exec(zone);
  if (fixed) {
    const ms = (Number(fixed[2]) * 60 + Number(fixed[3] ?? 0)) * 60_000 * (fixed[1] === '-' ? -1 : 1);
    return () => ms;
  }
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
  } catch {
    throw new SluiceError(`${fn}: unknown time zone '${zone}'; use a region such as 'America/New_York' or an offset such as '+08:00'`);
  }
  const cache = new Map<number, number>();
  return (epochMs) => {
    const bucket = Math.floor(epochMs / QUARTER_HOUR_MS);
    let offset = cache.get(bucket);
    if (offset === undefined) {
      const at = bucket * QUARTER_HOUR_MS;
      const parts: Record<string, number> = {};
      for (const p of format.formatToParts(new Date(at))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
      const year = parts.year;
      const local = Date.UTC(year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
      offset = local - at;
      if (cache.size > 100_000) cache.clear();
      cache.set(bucket, offset);
    }
    return offset;
  };
}

/**
 * The UTC instant of a wall-clock time in a zone (as Java's ZonedDateTime.of): in an overlap
 * (clocks set back) the earlier instant, in a gap (clocks set forward) the time shifted forward
 * by the gap.
 */
export function utcOfLocal(localMs: number, offsetOf: OffsetOf): number {
  const before = offsetOf(localMs - 86_400_000);
  const after = offsetOf(localMs + 86_400_000);
  if (before === after || offsetOf(localMs - before) === before) return localMs - before;
  if (offsetOf(localMs - after) === after) return localMs - after;
  return localMs - before;
}
