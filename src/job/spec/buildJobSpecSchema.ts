import { formatNames } from '../../io/formats/registry.js';
import { specTransforms } from '../../../transforms/registry.js';
import { exampleNode, type AnyTransform } from '../../../transforms/TransformDef.js';

/** Where the generated schema is checked in, relative to the repository root. */
export const JOB_SPEC_SCHEMA_PATH = 'schema/job-spec.schema.json';

/**
 * The JSON Schema of job specs, built from the transform definitions (each transform's node
 * fields, description and example) and the format registry (read and write `format` names).
 * `npm run spec-schema` writes it to schema/job-spec.schema.json; a test fails when that file is stale.
 */
export function buildJobSpecSchema(transforms: readonly AnyTransform[] = specTransforms): Record<string, unknown> {
  const types = ['read', 'write', ...transforms.map((t) => t.name)];
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://github.com/sluice-etl/sluice/schema/job-spec.schema.json',
    title: 'sluice job spec',
    description: 'A sluice ETL job as data: read nodes, Glue transforms and write nodes, each naming its input by id. String values may hold ${NAME} placeholders, filled from --NAME on the command line. Generated from the transform definitions: run `npm run spec-schema` after changing one; `sluice transforms` lists them.',
    type: 'object',
    required: ['nodes'],
    additionalProperties: false,
    properties: {
      $schema: { type: 'string' },
      name: { type: 'string', minLength: 1 },
      description: { type: 'string' },
      bookmarks: BOOKMARKS,
      s3: S3,
      maxErrors: { type: 'integer', minimum: 0, description: 'Fail the run, publishing nothing, when it makes more than this many error records (`--max-errors` overrides it). Default: no limit, as Glue.' },
      catalog: { type: 'string', minLength: 1, description: 'The Data Catalog of catalog read and write nodes: a folder relative to the spec\'s, or an s3:// prefix. Default: env SLUICE_CATALOG, else .sluice/catalog.' },
      nodes: { type: 'array', minItems: 1, items: { $ref: '#/definitions/node' } },
    },
    definitions: {
      id: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_.-]*$' },
      stringList: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
      threshold: { type: 'integer', minimum: 0 },
      node: {
        type: 'object',
        required: ['id', 'type'],
        properties: { id: { $ref: '#/definitions/id' }, type: { type: 'string' } },
        allOf: types.map((type) => ({
          if: { type: 'object', required: ['type'], properties: { type: { const: type } } },
          then: { $ref: `#/definitions/${type}` },
        })),
      },
      read: readNode(),
      write: writeNode(),
      ...Object.fromEntries(transforms.map((t) => [t.name, transformNode(t)])),
    },
  };
}

/** Glue's per-step settings, allowed on read and transform nodes. */
const NODE_INFO = {
  transformationCtx: { type: 'string' },
  stageThreshold: { $ref: '#/definitions/threshold' },
  totalThreshold: { $ref: '#/definitions/threshold' },
};

/** A node reading a collection (Relationalize, SplitFields…) names the member it reads. */
const MEMBER_KEY = { key: { type: 'string', minLength: 1, description: 'When input names a node that makes a collection: the member to read (Glue: SelectFromCollection), e.g. root_links.' } };

const INPUTS = {
  one: { input: { $ref: '#/definitions/id' }, ...MEMBER_KEY },
  collection: { input: { $ref: '#/definitions/id' } },
  two: { inputs: { type: 'array', minItems: 2, maxItems: 2, items: { $ref: '#/definitions/id' } } },
  many: { inputs: { type: 'array', minItems: 2, items: { $ref: '#/definitions/id' } } },
};

function transformNode(t: AnyTransform): Record<string, unknown> {
  const inputs = INPUTS[t.inputs];
  return {
    type: 'object',
    description: t.description,
    required: [...Object.keys(inputs).filter((k) => k !== 'key'), ...(t.params.required ?? [])],
    additionalProperties: false,
    ...(t.params.oneOf ? { oneOf: t.params.oneOf } : {}),
    properties: { id: true, type: true, ...inputs, ...NODE_INFO, ...t.params.properties },
    examples: [exampleNode(t)],
  };
}

function readNode(): Record<string, unknown> {
  return {
    type: 'object',
    description: 'Reads files (format and paths), or a Data Catalog table (catalog).',
    additionalProperties: false,
    oneOf: [
      { required: ['format', 'paths'], not: { required: ['catalog'] } },
      { required: ['catalog'], not: { anyOf: [{ required: ['format'] }, { required: ['paths'] }, { required: ['formatOptions'] }, { required: ['schema'] }, { required: ['boundedFiles'] }, { required: ['boundedSize'] }] } },
    ],
    properties: {
      id: true, type: true, ...NODE_INFO,
      format: { enum: formatNames('read') },
      paths: { $ref: '#/definitions/stringList' },
      formatOptions: { type: 'object' },
      schema: { type: 'object', additionalProperties: { type: 'string', minLength: 1 } },
      boundedFiles: { type: 'integer', minimum: 1, description: "With bookmarks (Glue's bounded execution): read at most this many new files per run, oldest first; the rest are left for the next runs." },
      boundedSize: { type: ['integer', 'string'], minimum: 1, description: "With bookmarks (Glue's bounded execution): read at most this many bytes of new files per run (at least one file), e.g. 134217728 or '128MB'." },
      catalog: catalogTable('A catalog table, read as Glue\'s from_catalog: only the partitions the predicates keep are listed.', {
        pushDownPredicate: { type: 'string', description: 'Spark SQL over the partition keys, e.g. "year = \'2024\'".' },
        catalogPartitionPredicate: { type: 'string', description: 'GetPartitions\' expression, evaluated by the catalog first.' },
      }),
    },
  };
}

/** A read or write node's `catalog`: a database and table, plus what the node does with it. */
function catalogTable(description: string, more: Record<string, unknown>): Record<string, unknown> {
  return {
    type: 'object',
    description,
    required: ['database', 'table'],
    additionalProperties: false,
    properties: { database: { type: 'string', minLength: 1 }, table: { type: 'string', minLength: 1 }, ...more },
  };
}

function writeNode(): Record<string, unknown> {
  return {
    type: 'object',
    required: ['input', 'format', 'path'],
    additionalProperties: false,
    properties: {
      id: true, type: true,
      input: { $ref: '#/definitions/id' },
      ...MEMBER_KEY,
      format: { enum: formatNames('write') },
      path: { type: 'string', minLength: 1 },
      partitionKeys: { type: 'array', items: { type: 'string', minLength: 1 } },
      compression: { enum: ['snappy', 'zstd', 'gzip', 'none'] },
      rowGroupSize: { type: 'integer', minimum: 1 },
      maxRowsPerFile: { type: 'integer', minimum: 1 },
      maxBytesPerFile: { type: 'integer', minimum: 1, description: 'Upper bound of a part file\'s rows in in-memory Arrow bytes (files come out smaller: Parquet compresses)' },
      mode: { enum: ['overwrite', 'error', 'append'] },
      formatOptions: { type: 'object' },
      catalog: catalogTable('Register the write in a catalog table in the same commit (Glue\'s enableUpdateCatalog with setCatalogInfo): create it if missing, add new partitions.', {
        updateBehavior: { enum: ['UPDATE_IN_DATABASE', 'LOG'], description: 'UPDATE_IN_DATABASE (default): a new schema becomes a new table version; LOG: the schema stays.' },
      }),
    },
  };
}

const BOOKMARKS = {
  type: 'object',
  description: 'Job bookmarks: later runs read only new or changed files of read nodes (see docs/bookmarks.md). --job-bookmark-option on the command line overrides option.',
  required: ['option'],
  additionalProperties: false,
  properties: {
    option: { enum: ['job-bookmark-enable', 'job-bookmark-disable', 'job-bookmark-pause', 'enable', 'disable', 'pause'] },
    maxBand: { type: 'number', minimum: 0, description: "Milliseconds; files modified this close to a run's start are tracked one by one (default 900000)." },
    stateDir: { type: 'string', minLength: 1, description: "The bookmark state folder, relative to the spec's folder (default .sluice), or an s3://bucket/prefix." },
  },
};

const S3 = {
  type: 'object',
  description: "How s3:// paths are reached (docs/s3.md). Credentials always come from the AWS SDK's default chain.",
  additionalProperties: false,
  properties: {
    endpoint: { type: 'string', minLength: 1, description: 'An S3-compatible endpoint (MinIO, LocalStack…), e.g. http://127.0.0.1:9000; overrides env SLUICE_S3_ENDPOINT. Path-style addressing is then used.' },
    region: { type: 'string', minLength: 1, description: "Default: the SDK's region chain (AWS_REGION, ~/.aws/config); us-east-1 with a custom endpoint." },
    forcePathStyle: { type: 'boolean', description: 'Path-style URLs (endpoint/bucket/key); default true with a custom endpoint.' },
  },
};

/** The schema as the checked-in file holds it. */
export function jobSpecSchemaText(): string {
  return JSON.stringify(buildJobSpecSchema(), null, 2) + '\n';
}
