import { basename, dirname, extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { abortOpenSessions } from '../job/bookmarks/BookmarkSession.js';
import { abortOpenRuns, commitOpenRuns } from '../job/JobRunOutputs.js';
import type { RunRecord } from '../job/bookmarks/BookmarkState.js';
import { parseJobArguments } from '../job/getResolvedOptions.js';
import { startRecordingWrites } from '../job/runRecorder.js';
import { loadJobSpec } from '../job/spec/loadJobSpec.js';
import { runJobSpec } from '../job/spec/runJobSpec.js';
import { SluiceError } from '../types/ErrorRecord.js';
import { assertExists } from './inferFormat.js';
import { formatErrorRecord, metricsJson, seconds, sinkTable, type SinkLine } from './report.js';
import type { CliIO } from './runCli.js';
import { VERB_USAGE } from './usage.js';
import { UsageError } from './UsageError.js';

/** sluice's own flags of `run`; every other `--NAME value` is a job argument. */
const OWN_FLAGS = new Set(['--metrics-json', '--help', '-h']);
/** sluice's own flags of `run` that take a value (repeatable). */
const OWN_VALUE_FLAGS = ['--allow-module-dir', '--allow-module-package', '--s3-endpoint', '--max-errors'] as const;
type OwnValues = Record<(typeof OWN_VALUE_FLAGS)[number], string[]>;

/** `sluice run <job> [--NAME value ...] [--metrics-json]`. */
export async function runCommand(argv: readonly string[], io: CliIO): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.out(VERB_USAGE.run);
    return 0;
  }
  const { job, jobArgs, metrics, own } = splitRunArgs(argv);
  await assertExists(job);
  const ext = extname(job).toLowerCase();
  if (ext === '.json') return runSpec(job, jobArgs, metrics, own, io);
  if (['.ts', '.mts', '.js', '.mjs'].includes(ext)) return runScript(job, jobArgs, metrics, io);
  throw new UsageError(`sluice run: cannot run '${job}': give a job spec (.json) or a job script (.ts, .js, .mjs)`, 'run');
}

function splitRunArgs(argv: readonly string[]): { job: string; jobArgs: string[]; metrics: boolean; own: OwnValues } {
  let job: string | undefined;
  const jobArgs: string[] = [];
  const own = Object.fromEntries(OWN_VALUE_FLAGS.map((f) => [f, [] as string[]])) as OwnValues;
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    if (OWN_FLAGS.has(token)) continue;
    const ownFlag = OWN_VALUE_FLAGS.find((f) => token === f || token.startsWith(`${f}=`));
    if (ownFlag) {
      const value = token.includes('=') ? token.slice(ownFlag.length + 1) : argv[++i];
      if (value === undefined || value === '' || (!token.includes('=') && value.startsWith('--'))) throw new UsageError(`${ownFlag} needs a value`, 'run');
      own[ownFlag].push(value);
      continue;
    }
    if (token.startsWith('-') && !token.startsWith('--')) throw new UsageError(`unknown option '${token}' for 'sluice run'`, 'run');
    if (token.startsWith('--')) {
      jobArgs.push(token);
      if (!token.includes('=')) {
        const value = argv[i + 1];
        if (value === undefined || value.startsWith('--')) throw new UsageError(`job argument ${token} needs a value: ${token} value or ${token}=value`, 'run');
        jobArgs.push(value);
        i++;
      }
    } else if (job === undefined) job = token;
    else throw new UsageError(`sluice run: unexpected argument '${token}' (job arguments are --NAME value)`, 'run');
  }
  if (job === undefined) throw new UsageError('sluice run needs a job file: sluice run <job.json|job.ts|job.js>', 'run');
  return { job, jobArgs, metrics: argv.includes('--metrics-json'), own };
}

async function runSpec(file: string, jobArgs: string[], metrics: boolean, own: OwnValues, io: CliIO): Promise<number> {
  const args = parseJobArguments(jobArgs);
  if (own['--s3-endpoint'].length > 1) throw new UsageError('--s3-endpoint is given more than once', 'run');
  const plan = await loadJobSpec(file, args, { allowModuleDirs: own['--allow-module-dir'].map((d) => resolve(d)), allowModulePackages: own['--allow-module-package'] });
  // Row functions written in TypeScript need tsx's loader, as job scripts do.
  const usesTypeScript = plan.spec.nodes.some((n) => 'function' in n && n.function !== undefined && /\.m?ts$/i.test(n.function.module));
  const unregister = usesTypeScript ? await registerTypeScript() : undefined;
  const maxErrors = own['--max-errors'].length ? Number(own['--max-errors'].at(-1)) : undefined;
  if (maxErrors !== undefined && !(Number.isInteger(maxErrors) && maxErrors >= 0)) throw new UsageError(`--max-errors needs a whole number >= 0, got '${own['--max-errors'].at(-1)}'`, 'run');
  const summary = await runJobSpec(plan, {}, {
    ...(maxErrors !== undefined ? { maxErrors } : {}),
    ...(own['--s3-endpoint'].length ? { s3Endpoint: own['--s3-endpoint'][0] } : {}),
    onProgress: (e) => {
      if (e.kind === 'sink-start') io.err(`sluice: writing ${e.sink} (${e.index + 1}/${e.of})…`);
    },
    bookmarks: {
      ...(args['job-bookmark-option'] !== undefined ? { option: args['job-bookmark-option'] } : {}),
      ...(args['job-bookmark-from'] !== undefined ? { from: args['job-bookmark-from'] } : {}),
      ...(args['job-bookmark-to'] !== undefined ? { to: args['job-bookmark-to'] } : {}),
      ...(args['state-dir'] !== undefined ? { stateDir: args['state-dir'] } : {}),
    },
  }).finally(() => unregister?.());
  const sinks: SinkLine[] = summary.sinks.map((s) => ({ ...s, files: s.files.length }));
  report(io, summary.name, summary.wallMs, sinks, summary.nodeErrors, summary.sampleErrors.map(formatErrorRecord));
  if (summary.bookmark) io.out(bookmarkLine(summary.bookmark));
  if (metrics) io.out(metricsJson(summary.name, summary.wallMs, sinks, summary.nodeErrors));
  return 0;
}

/**
 * Imports a job script with process.argv as Glue gives it to a script: `[node, script, --NAME
 * value ...]`, with --JOB_NAME added when missing. TypeScript goes through tsx's loader.
 */
async function runScript(file: string, jobArgs: string[], metrics: boolean, io: CliIO): Promise<number> {
  const path = resolve(file);
  const given = parseJobArguments(jobArgs);
  const name = given.JOB_NAME ?? basename(file, extname(file));
  const argv = given.JOB_NAME !== undefined ? [...jobArgs] : [...jobArgs, '--JOB_NAME', name];
  // As Glue hands a script its settings: the bookmark state sits beside the job file by default.
  if (given['job-bookmark-option'] !== undefined && given['state-dir'] === undefined) argv.push('--state-dir', join(dirname(path), '.sluice'));
  const savedArgv = process.argv;
  process.argv = [process.argv[0], path, ...argv];
  const stop = startRecordingWrites();
  const started = Date.now();
  const unregister = /\.m?ts$/i.test(path) ? await registerTypeScript() : undefined;
  try {
    await import(pathToFileURL(path).href);
    // A script that opened a bookmarked run but never committed it publishes nothing.
    const unfinished = await abortOpenSessions(new Error(`${file} ended without job.commit()`));
    if (unfinished > 0) throw new SluiceError(`${file} ended without awaiting job.commit(): its bookmarked run was not committed and its output was not published`, { file });
    // Without bookmarks, a script that ran to its end gets its output, job.commit() or not (as in Glue).
    await commitOpenRuns();
  } catch (e) {
    await abortOpenRuns();
    await abortOpenSessions(e);
    if (/Top-level await is currently not supported with the "cjs" output format/.test(String((e as Error).message))) {
      throw new SluiceError(`${file} uses top-level await but is loaded as CommonJS: name it .mts, or put {"type": "module"} in the package.json of its folder`, { file });
    }
    throw e;
  } finally {
    process.argv = savedArgv;
    unregister?.();
  }
  const wallMs = Date.now() - started;
  const writes = stop();
  const sinks: SinkLine[] = writes.map((w, i) => ({
    id: w.transformationCtx ?? `write${i + 1}`, format: w.format, path: w.path,
    rows: w.rows, files: w.files.length, bytes: w.bytes, errors: w.errors, ms: w.ms,
  }));
  const nodeErrors = Object.fromEntries(sinks.filter((s) => s.errors > 0).map((s) => [s.id, s.errors]));
  report(io, name, wallMs, sinks, nodeErrors, []);
  if (metrics) io.out(metricsJson(name, wallMs, sinks, nodeErrors));
  return 0;
}

/** `bookmark: run jr_… committed 3 new files; bookmark version 4` (pause: the version stays). */
function bookmarkLine(run: RunRecord): string {
  const files = `${run.files ?? 0} new file${run.files === 1 ? '' : 's'}`;
  return run.option === 'pause'
    ? `bookmark: run ${run.runId} (paused) read ${files}; bookmark left at version ${run.version}`
    : `bookmark: run ${run.runId} read ${files}; bookmark version ${run.version}`;
}

async function registerTypeScript(): Promise<() => void> {
  try {
    const { register } = await import('tsx/esm/api');
    const unregister = register();
    return () => void unregister();
  } catch (e) {
    throw new SluiceError(`cannot load TypeScript job scripts: tsx is missing (${(e as Error).message}); compile the script to .js or reinstall sluice`);
  }
}

function report(io: CliIO, name: string, wallMs: number, sinks: readonly SinkLine[], nodeErrors: Record<string, number>, samples: string[]): void {
  const rows = sinks.reduce((n, s) => n + s.rows, 0);
  io.out(`job ${name}: ${rows.toLocaleString('en-US')} rows written to ${sinks.length} sink${sinks.length === 1 ? '' : 's'} in ${seconds(wallMs)}`);
  if (sinks.length > 0) io.out(sinkTable(sinks));
  const failing = Object.entries(nodeErrors).filter(([, n]) => n > 0);
  if (failing.length > 0) {
    io.out(`error records by node: ${failing.map(([node, n]) => `${node} ${n}`).join(', ')}`);
    for (const line of samples) io.out(`  ${line}`);
    // On stderr too: a run that made error records says so even when stdout goes to a file.
    const total = failing.reduce((n, [, k]) => n + k, 0);
    io.err(`sluice: ${total} error record${total === 1 ? '' : 's'} (rows not written) by node: ${failing.map(([node, n]) => `${node} ${n}`).join(', ')}`);
    for (const line of samples) io.err(`  ${line}`);
  }
}
