import { createInterface } from 'node:readline';
import { readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Table } from 'apache-arrow';
import { DataFrame } from '../frame/DataFrame.js';
import { formatTable, formatValue } from '../frame/formatTable.js';
import { SqlSession } from '../sql/SqlSession.js';
import { parseSql } from '../sql/SqlParser.js';
import { typeName } from '../types/typeNames.js';
import { SluiceError } from '../types/ErrorRecord.js';
import { openInput } from './openInput.js';
import { choiceFlag, parseVerbArgs } from './parseVerbArgs.js';
import type { CliIO } from './runCli.js';
import { UsageError } from './UsageError.js';
import { VERB_USAGE } from './usage.js';

const OUTPUT_FORMATS = ['table', 'csv', 'json', 'parquet'] as const;
type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/**
 * `sluice sql "SELECT …" [--table name=path …] [--format table|csv|json|parquet] [--output path]`:
 * one query over files, printed or written; without a query, a prompt (statements end with `;`,
 * `\d` lists tables, `\d name` shows one, `\q` quits), reading piped stdin the same way.
 */
export async function sqlCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseVerbArgs('sql', withCatalogValue(argv), {
    table: { type: 'string', multiple: true }, format: { type: 'string' }, output: { type: 'string' }, catalog: { type: 'string' },
  }, { min: 0, max: 1, names: 'a query' });
  if (values.help) {
    io.out(VERB_USAGE.sql);
    return 0;
  }
  const format = choiceFlag<OutputFormat>(values.format, 'format', 'sql', OUTPUT_FORMATS) ?? (values.output ? 'parquet' : 'table');
  const output = typeof values.output === 'string' ? values.output : undefined;
  if (format === 'parquet' && !output) throw new UsageError('--format parquet writes files: give --output <folder>', 'sql');
  const catalog = typeof values.catalog === 'string' && values.catalog !== '' ? values.catalog : undefined;
  const session = new SqlSession(catalog ? { catalog } : {});
  for (const spec of (values.table as unknown as string[] | undefined) ?? []) {
    const eq = spec.indexOf('=');
    if (eq <= 0) throw new UsageError(`--table takes name=path, got '${spec}'`, 'sql');
    session.register(spec.slice(0, eq), await openInput(spec.slice(eq + 1), {}, 'sql'));
  }
  if (positionals.length === 1) {
    await runStatement(session, positionals[0], { format, output }, io);
    return 0;
  }
  return prompt(session, { format, output }, io);
}

/** Words that start a statement: after a bare --catalog, such a word is the query, not the catalog's root. */
const STATEMENT_START = /^\s*(\(|select\b|with\b|explain\b|show\b|describe\b|desc\b)/i;

/**
 * `--catalog` takes an optional root: a bare `--catalog` (last, before another option, or before
 * the query) becomes `--catalog=` (the default catalog), which the argument parser accepts.
 */
function withCatalogValue(argv: readonly string[]): string[] {
  return argv.map((arg, i) => {
    if (arg !== '--catalog') return arg;
    const next = argv[i + 1];
    return next === undefined || next.startsWith('-') || STATEMENT_START.test(next) ? '--catalog=' : arg;
  });
}

interface Target { format: OutputFormat; output?: string }

async function runStatement(session: SqlSession, text: string, target: Target, io: CliIO): Promise<void> {
  if (parseSql(text).explain) {
    io.out(await session.explain(text));
    return;
  }
  const df = await session.sql(text);
  if (target.output) {
    const written = await df.write.to({ format: target.format === 'table' ? 'parquet' : target.format, path: target.output, mode: 'overwrite' });
    io.err(`sluice: wrote ${written.rows} row${written.rows === 1 ? '' : 's'} to ${target.output}`);
    return;
  }
  const { table, errors } = await df.collect();
  io.out(await render(table, target.format));
  if (errors.length) io.err(`sluice: ${errors.length} error record${errors.length === 1 ? '' : 's'} while reading (rows that did not parse)`);
}

/** Rows for stdout: an aligned table, CSV with a header line, or JSON lines. */
async function render(table: Table, format: OutputFormat): Promise<string> {
  const rows = await DataFrame.fromArrow(table).toRows();
  const names = table.schema.fields.map((f) => f.name);
  if (format === 'json') return rows.map((r) => JSON.stringify(r, jsonValue)).join('\n');
  if (format === 'csv') return [names.map(csvCell).join(','), ...rows.map((r) => names.map((n) => (r[n] === null ? '' : csvCell(formatValue(r[n])))).join(','))].join('\n');
  return formatTable(table.schema, rows);
}

function csvCell(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function jsonValue(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  return value;
}

const HISTORY_FILE = join(homedir(), '.sluice_sql_history');

/** The prompt: lines gather until one ends with `;`; errors print and the prompt goes on. */
async function prompt(session: SqlSession, target: Target, io: CliIO): Promise<number> {
  const terminal = Boolean(process.stdin.isTTY);
  const history = terminal ? (await readFile(HISTORY_FILE, 'utf8').catch(() => '')).split('\n').filter(Boolean).reverse() : [];
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal, history, historySize: 1000 });
  if (terminal) rl.setPrompt('sluice> ');
  let buffer = '';
  let failed = false;
  if (terminal) rl.prompt();
  for await (const line of rl) {
    const trimmed = line.trim();
    if (buffer === '' && trimmed.startsWith('\\')) {
      if (trimmed === '\\q') break;
      await meta(session, trimmed, io).catch((e) => { failed = true; io.err(`sluice: ${(e as Error).message}`); });
    } else if (trimmed !== '' || buffer !== '') {
      buffer += (buffer ? '\n' : '') + line;
      if (trimmed.endsWith(';')) {
        const text = buffer;
        buffer = '';
        await runStatement(session, text, target, io).catch((e) => { failed = true; io.err(`sluice: ${(e as Error).message}`); });
      }
    }
    if (terminal) rl.setPrompt(buffer ? '   ...> ' : 'sluice> '), rl.prompt();
  }
  rl.close();
  if (buffer.trim()) await runStatement(session, buffer, target, io).catch((e) => { failed = true; io.err(`sluice: ${(e as Error).message}`); });
  if (terminal) await writeFile(HISTORY_FILE, [...(rl as unknown as { history: string[] }).history].reverse().join('\n') + '\n').catch(() => undefined);
  return failed && !terminal ? 1 : 0;
}

/** `\d` lists the tables; `\d name` prints a table's columns and types. */
async function meta(session: SqlSession, command: string, io: CliIO): Promise<void> {
  const [word, name] = command.split(/\s+/);
  if (word !== '\\d') throw new SluiceError(`unknown command '${word}'; \\d [table], \\q`);
  if (!name) {
    const names = [...session.tableNames(), ...(await catalogTableNames(session))];
    io.out(names.join('\n') || '(no tables: start with --table name=path, or crawl some into the catalog)');
    return;
  }
  const schema = await (await session.table(name)).schema();
  for (const f of schema.fields) io.out(`  ${f.name}: ${typeName(f.type)}`);
}

/** The catalog's tables as `db.table` (none when the catalog does not exist yet). */
async function catalogTableNames(session: SqlSession): Promise<string[]> {
  try {
    const rows = await (await session.sql('SHOW DATABASES')).toRows();
    const names: string[] = [];
    for (const { namespace } of rows) {
      const tables = await (await session.sql(`SHOW TABLES IN \`${String(namespace)}\``)).toRows();
      for (const t of tables) if (!t.isTemporary) names.push(`${String(namespace)}.${String(t.tableName)}`);
    }
    return names;
  } catch {
    return [];
  }
}
