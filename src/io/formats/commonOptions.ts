import type { OptionSchema } from './FormatDef.js';

/** Options several formats share, described once. */

export const BATCH_SIZE: OptionSchema = { type: 'integer', minimum: 1, default: 65_536, description: 'Rows per Arrow batch the reader produces.' };

export const PARSE_MODE: OptionSchema = {
  type: 'string',
  enum: ['permissive', 'dropMalformed', 'failFast'],
  default: 'permissive',
  description: "Malformed records: keep them as error records (permissive), drop them and count them (dropMalformed), or stop the read (failFast), as Spark's `mode`.",
};

export const SAMPLING_ROWS: OptionSchema = { type: 'integer', minimum: 1, default: 1000, description: 'Records read to infer the schema when none is given.' };

/** Glue's switch to its vectorized (SIMD) reader. */
export const OPTIMIZE_PERFORMANCE_REASON = 'sluice has one reader per format, already its fastest; there is no other to switch to';

/** Glue's `withSchema` (a Spark StructType as JSON) for the XML and JSON readers. */
export const WITH_SCHEMA_REASON = "give the read's `schema` (sluice type names, e.g. {\"id\": \"int64\"}) instead";
