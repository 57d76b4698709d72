import { formatNames, knownExtensions } from '../io/formats/registry.js';

/** The help text of sluice and of each verb. Format lists come from the format registry. */

const READS = formatNames('read');
const WRITES = formatNames('write');
/** `csv, json, parquet, avro or xml` */
const orList = (names: string[]) => `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
const ENDINGS = knownExtensions().map((ext) => `.${ext}`).join(' ');
const OPTION_FLAG = `  --option NAME=VALUE any read option of the format (repeatable), e.g. --option rowTag=order
                     for XML; see docs/formats.md`;

export { MAIN_USAGE } from './mainUsage.js';

export const VERB_USAGE: Record<string, string> = {
  run: `Usage: sluice run <job.json|job.ts|job.js> [--NAME value ...] [--metrics-json]

Runs a job.
  job.json   a job spec (see schema/job-spec.schema.json); \${NAME} placeholders in its
             strings are filled from --NAME value (or --NAME=value)
  job.ts/js  a job script, imported with process.argv set to the arguments, so
             getResolvedOptions(process.argv, ['JOB_NAME', ...]) works; --JOB_NAME defaults
             to the file's name

Options:
  --metrics-json   also print the run's metrics as one JSON line (last line of stdout)
  --debug          print stack traces on errors
  --allow-module-dir DIR
                   a spec's Map/Filter function.module may name module files in DIR too (by
                   default only files in the job file's folder); repeatable
  --allow-module-package NAME
                   a spec's function.module may import the package NAME; repeatable
  --s3-endpoint URL
                   the S3-compatible endpoint to use (as env SLUICE_S3_ENDPOINT); a spec's
                   s3.endpoint must equal it (docs/security.md)

Job bookmarks (Glue's options; see docs/bookmarks.md):
  --job-bookmark-option job-bookmark-enable|job-bookmark-disable|job-bookmark-pause
                   enable: read only files that are new or changed since the last committed
                   run, and commit the output with the bookmark; disable (default): read all;
                   pause: read what is new but leave the bookmark where it is
  --job-bookmark-from RUN_ID, --job-bookmark-to RUN_ID
                   pause only: read the files between those runs' bookmarks
  --state-dir DIR  bookmark state folder (default: .sluice beside the job file)`,

  show: `Usage: sluice show <path> [--limit N] [--format ${READS.join('|')}]

Prints the schema and the first rows of a file, a folder (partitioned folders too) or a glob.
The format comes from the extension (${ENDINGS}, and .gz, .bz2 or .zst of the text formats)
or from the files inside a folder.

Options:
  --limit N          rows to print (default 20)
  --format F         ${orList(READS)}, when the name does not tell
  --no-header        CSV: the first line is data (columns are named col0, col1, ...);
                     by default CSV's dialect is sniffed, header line included
  --separator C      CSV: field separator (default: sniffed; '\\t' for .tsv)
  --dialect          CSV: print the dialect read with (sniffed or given) on stderr
  --schema JSON      read with this schema, e.g. '{"id":"int32","ts":"timestamp"}'
  --glob             take <path> as a glob even when a file has that name (by default a
                     path naming an existing file, such as data[1].csv, is that file)
${OPTION_FLAG}`,

  schema: `Usage: sluice schema <path> [--format ${READS.join('|')}] [--tree]

Prints the schema of a file, folder or glob as JSON: {"name": "type", ...}, inferred from
samples of every file. A column whose values differ in type is a choice: "choice<int32,string>".

Options:
  --tree             print Glue's printSchema layout instead (root, |-- name: type); reads the
                     data once, so a column that becomes a choice after the sampled rows shows
  --format F         ${orList(READS)}, when the name does not tell
  --no-header        CSV: the first line is data (default: sniffed)
  --separator C      CSV: field separator (default: sniffed)
  --dialect          CSV: print the dialect read with on stderr, as JSON
${OPTION_FLAG}`,

  bookmarks: `Usage: sluice bookmarks show <job> [--json]
       sluice bookmarks reset <job>
       sluice bookmarks rewind <job> <runId>

A job's bookmark: what each source has read, and the history of its runs.
  show     the bookmark of each source and the runs (id, attempt, status, start, end, rows,
           files, bookmark version) as tables, or as JSON with --json
  reset    forget what was read: the next run reads every file
  rewind   put the bookmark back to what it was after run <runId>

<job> is a job file (its name, and the .sluice folder beside it) or a job name.

Options:
  --state-dir DIR  the state folder (default: .sluice beside the job file, or in the current folder)
  --json           show: print JSON`,

  sql: `Usage: sluice sql ["SELECT …"] [--table name=path ...] [--catalog [root]] [--format table|csv|json|parquet] [--output path]

Runs one Spark SQL statement over files and catalog tables: SELECT [DISTINCT] … FROM … JOIN …
WHERE … GROUP BY … HAVING … ORDER BY … LIMIT, UNION/INTERSECT/EXCEPT [ALL], WITH, subqueries,
window functions (… OVER (PARTITION BY … ORDER BY …)), EXPLAIN; SHOW DATABASES, SHOW TABLES
[IN db], DESCRIBE [TABLE] t. Tables are named with --table, read in place
(parquet.\`lake/orders\`, csv.\`data.csv\`, json.\`events/\`) or from the Data Catalog (db.table).
Without a query, a prompt: statements end with ';', \\d lists the tables, \\d name
shows one, \\q quits (piped stdin is read the same way).

Options:
  --catalog [root]   the Data Catalog for db.table, SHOW and DESCRIBE: a folder or s3://
                     prefix (default: env SLUICE_CATALOG, else .sluice/catalog)
  --table name=path  a file, folder (Hive k=v folders too) or glob, readable as 'name';
                     the format comes from the name, as in 'sluice show' (repeatable)
  --format F         table (default), csv or json on stdout; with --output also parquet
                     (the default there)
  --output path      write the result to this folder (replaced) instead of printing it`,

  transforms: `Usage: sluice transforms [name] [--json]

Lists the transforms a job spec node (and Transform.apply) can use, read from their
definitions; with a name, its description, parameters and an example node.
The same definitions generate schema/job-spec.schema.json.

Options:
  --json             print the definitions as JSON (name, description, params schema, example)`,

  catalog: `Usage: sluice catalog <action> [operand] [--catalog ROOT] [--json]

The embedded Data Catalog (Glue's databases, tables, partitions and table versions).
  databases                 the databases
  tables <database>         a database's tables
  show <db.table>           a table: location, formats, columns, partition keys, parameters
  partitions <db.table>     its partitions (--expression 'year >= 2024' filters them, as
                            GetPartitions' Expression)
  versions <db.table>       its versions, newest first (UpdateTable keeps the one replaced)
  delete <db.table>         removes the table and its partitions (not the data files)
  export <db.table> --as glue-api|athena-ddl [--out DIR]
                            glue-api: the CreateTable and BatchCreatePartition requests that
                            'aws glue create-table --cli-input-json file://…' takes;
                            athena-ddl: CREATE EXTERNAL TABLE … plus MSCK REPAIR TABLE

Options:
  --catalog ROOT     the catalog's folder or s3:// prefix (default: env SLUICE_CATALOG, else
                     .sluice/catalog in the current folder)
  --json             print JSON (Glue's API shapes)
  --out DIR          export: write files into DIR instead of printing`,

  crawl: `Usage: sluice crawl <path|s3://…> [path …] --database DB [options]
       sluice crawl --config crawler.json

Runs a crawler as Glue does: lists the paths, reads the start of each file (a Parquet file's
footer), classifies it (avro, parquet, json, xml, csv), groups folders into tables and
partitions, and writes them to the catalog. Prints the run's summary (kept as history).

Options:
  --database DB      the catalog database the tables go to (created when missing)
  --name N           the crawler's name (default: DB-<last folder of the path>)
  --table-prefix P   prefixed to every table name
  --exclude GLOB     Glue exclude pattern relative to the path (repeatable): *, **, ?, [a-z], {a,b}
  --schema-change update|log        UpdateBehavior: replace a changed table (default) or log it
  --delete-behavior deprecate|delete|log   what to do with tables/partitions no longer found
  --recrawl everything|new-folders-only   new-folders-only reads only folders not yet crawled
  --combine-compatible-schemas      one table per path when formats agree, whatever the schemas
  --merge-new-columns               add new columns only; never remove or retype one
  --inherit-from-table              partitions take the table's schema; a table change updates them all
  --table-level N    make tables at this folder level (the top folder is 1)
  --table-threshold N   fail, writing nothing, when more than N tables are found
  --sample-size N    read only the first N files (1-249) of each folder (Glue's SampleSize)
  --config FILE      a crawler definition as Glue's CreateCrawler takes it (Name, DatabaseName,
                     Targets.S3Targets[{Path, Exclusions, SampleSize}], TablePrefix, SchemaChangePolicy,
                     RecrawlPolicy, Configuration, CustomClassifiers)
  --catalog ROOT     the catalog's folder or s3:// prefix (default: env SLUICE_CATALOG, else
                     .sluice/catalog in the current folder)
  --json             print the run as JSON`,


  functions: `Usage: sluice functions [name] [--json]

Lists the SQL functions an expression can call (filter conditions, withColumns, selectExpr),
each with its signature and what it does; with a name (or an alias), that function in detail.
In code each one is also F.<name> (import { F } from 'sluice').

Options:
  --json             print the functions as JSON (name, aliases, category, signature, description, arity)`,

  convert: `Usage: sluice convert <in> <out> [--to ${WRITES.join('|')}] [--partition-by a,b]
                     [--compression snappy|zstd|gzip|none] [--mode error|overwrite|append] [--schema JSON]
                     [--max-rows-per-file N] [--max-bytes-per-file SIZE]

Reads <in> (file, folder or glob) and writes it to the folder <out>.

Options:
  --to F             output format: ${orList(WRITES)} (default: from <out>'s extension, else parquet)
  --from F           input format: ${orList(READS)}, when <in>'s name does not tell
  --partition-by a,b Hive partitions: <out>/a=1/b=x/part-....
  --compression C    parquet compression: snappy (default), zstd, gzip, none
  --mode M           when <out> already holds data: error (default), overwrite, append
  --max-rows-per-file N     start a new part file after N rows
  --max-bytes-per-file SIZE start a new part file before its rows pass SIZE (128MB, 1GiB…) of
                     in-memory Arrow data; Parquet compresses, so files come out smaller
  --schema JSON      read with this schema, e.g. '{"id":"int32","amount":"decimal(10,2)"}'
  --no-header        CSV input: the first line is data (default: it is a header)
  --separator C      CSV input: field separator
${OPTION_FLAG}`,
};
