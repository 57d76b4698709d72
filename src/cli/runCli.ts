import { SluiceError } from '../types/ErrorRecord.js';
import { EXIT_FAILED, EXIT_USAGE, stdio, type CliIO } from './cliIO.js';
import { quickCommand } from './quickCommand.js';
import { UsageError } from './UsageError.js';

export { EXIT_FAILED, EXIT_OK, EXIT_USAGE, stdio, type CliIO } from './cliIO.js';

type Verb = (argv: readonly string[], io: CliIO) => Promise<number>;

/**
 * Each verb's module is imported when that verb runs, not before: `sluice --version` and
 * `sluice --help` load no format, store, worker or job code, and each verb loads only its own.
 */
const VERBS: Record<string, () => Promise<Verb>> = {
  run: async () => (await import('./runCommand.js')).runCommand,
  show: async () => (await import('./showCommand.js')).showCommand,
  schema: async () => (await import('./schemaCommand.js')).schemaCommand,
  convert: async () => (await import('./convertCommand.js')).convertCommand,
  bookmarks: async () => (await import('./bookmarksCommand.js')).bookmarksCommand,
  transforms: async () => (await import('./transformsCommand.js')).transformsCommand,
  catalog: async () => (await import('./catalogCommand.js')).catalogCommand,
  crawl: async () => (await import('./crawlCommand.js')).crawlCommand,
  functions: async () => (await import('./functionsCommand.js')).functionsCommand,
  sql: async () => (await import('./sqlCommand.js')).sqlCommand,
};

/**
 * Runs one sluice command and returns its exit code. Problems print as one short line naming
 * what is wrong; `--debug` (anywhere on the line) adds the stack trace.
 */
export async function runCli(argv: readonly string[], io: CliIO = stdio): Promise<number> {
  const debug = argv.includes('--debug');
  const args = argv.filter((a) => a !== '--debug');
  const [verb, ...rest] = args;
  try {
    const quick = quickCommand(args, io);
    if (quick !== undefined) return quick;
    const load = Object.hasOwn(VERBS, verb) ? VERBS[verb] : undefined;
    if (!load) {
      throw new UsageError(verb.startsWith('-')
        ? `unknown option '${verb}'; a command comes first: ${Object.keys(VERBS).join(', ')}`
        : `unknown command '${verb}'; commands: ${Object.keys(VERBS).join(', ')}`);
    }
    const command = await load();
    if (verb !== 'run' && verb !== 'convert') return await command(rest, io);
    const { inJobScope } = await import('./jobScope.js');
    return await inJobScope(() => command(rest, io));
  } catch (e) {
    return reportFailure(e, io, debug);
  }
}

function reportFailure(e: unknown, io: CliIO, debug: boolean): number {
  if (e instanceof UsageError) {
    io.err(`sluice: ${e.message}`);
    io.err(e.verb ? `Run 'sluice ${e.verb} --help' for usage.` : `Run 'sluice --help' for usage.`);
    if (debug && e.stack) io.err(e.stack);
    return EXIT_USAGE;
  }
  const error = e instanceof Error ? e : new Error(String(e));
  io.err(`sluice: ${located(error)}`);
  if (debug) io.err(error.stack ?? '(no stack)');
  else if (!(error instanceof SluiceError)) io.err('(run with --debug for the stack trace)');
  return EXIT_FAILED;
}

/** Prefixes `file:line:` from a SluiceError's details when its message does not name the file. */
function located(error: Error): string {
  if (!(error instanceof SluiceError)) return error.message;
  const { file, line } = error.details;
  if (!file || error.message.includes(file)) return error.message;
  return `${file}${line ? `:${line}` : ''}: ${error.message}`;
}
