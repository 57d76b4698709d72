/** sluice's own help text: static, so `sluice --help` loads no format code (each verb's is in usage.ts). */
export const MAIN_USAGE = `Usage: sluice <command> [options]

Commands:
  run <job.json|job.ts|job.js> [--NAME value ...]   run a job spec or a job script
  show <path>                                       print the schema and the first rows
  schema <path>                                     print the schema as JSON
  convert <in> <out>                                rewrite data in another format or layout
  bookmarks show|reset|rewind <job> [runId]         a job's bookmark and run history
  transforms [name]                                 the transforms a job spec can use, their parameters
  catalog databases|tables|show|partitions|versions|delete|export
                                                    the Data Catalog: tables, partitions, versions
  crawl <path|s3://…> --database db                 classify files and add tables to the catalog
  functions [name]                                  the SQL functions, their signatures
  sql ["SELECT …"] [--table name=path ...]          Spark SQL over files; without a query, a prompt

Options for every command:
  --help, -h     help for the command
  --debug        print stack traces on errors
  --version      print sluice's version

Run 'sluice <command> --help' for a command's options.`;
