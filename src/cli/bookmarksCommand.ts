import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { resetBookmarks, rewindBookmarks, showBookmarks, type BookmarkReport } from '../job/bookmarks/bookmarkAdmin.js';
import { openBookmarkStore } from '../job/bookmarks/openBookmarkStore.js';
import { parseVerbArgs } from './parseVerbArgs.js';
import type { CliIO } from './runCli.js';
import { VERB_USAGE } from './usage.js';
import { UsageError } from './UsageError.js';

const ACTIONS = ['show', 'reset', 'rewind'] as const;
const JOB_FILE = /\.(json|m?ts|m?js)$/i;

/**
 * `sluice bookmarks show|reset|rewind <job> [runId]`. `<job>` is a job file (its name and its
 * `.sluice/` folder beside it are used) or a job name (state in `--state-dir`, else `./.sluice`).
 */
export async function bookmarksCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseVerbArgs('bookmarks', argv, {
    'state-dir': { type: 'string' },
    json: { type: 'boolean' },
  }, { min: 2, max: 3, names: 'an action and a job: sluice bookmarks show|reset|rewind <job> [runId]' });
  if (values.help) {
    io.out(VERB_USAGE.bookmarks);
    return 0;
  }
  const [action, jobArg, runId] = positionals;
  if (!(ACTIONS as readonly string[]).includes(action)) throw new UsageError(`sluice bookmarks: unknown action '${action}'; use ${ACTIONS.join(', ')}`, 'bookmarks');
  if (action === 'rewind' && runId === undefined) throw new UsageError('sluice bookmarks rewind needs a run id: sluice bookmarks rewind <job> <runId>', 'bookmarks');
  if (action !== 'rewind' && runId !== undefined) throw new UsageError(`sluice bookmarks ${action}: unexpected argument '${runId}'`, 'bookmarks');
  if (values.json && action !== 'show') throw new UsageError('--json goes with sluice bookmarks show', 'bookmarks');
  const { job, stateDir } = jobAndState(jobArg, values['state-dir'] as string | undefined);
  const store = openBookmarkStore(stateDir);
  if (action === 'show') {
    const report = await showBookmarks(store, job);
    io.out(values.json ? JSON.stringify(report, null, 2) : formatReport(report));
  } else if (action === 'reset') {
    const state = await resetBookmarks(store, job);
    io.out(`job ${job}: bookmark reset (version ${state.version}); the next run reads every file`);
  } else {
    const state = await rewindBookmarks(store, job, runId);
    io.out(`job ${job}: bookmark rewound to run ${runId} (version ${state.version}); the next run reads what came after it`);
  }
  return 0;
}

/** A job file gives its name (a spec's `name`, else the file's) and the `.sluice` folder beside it. */
function jobAndState(jobArg: string, stateDirFlag?: string): { job: string; stateDir: string } {
  if (JOB_FILE.test(jobArg) && existsSync(jobArg)) {
    const name = extname(jobArg).toLowerCase() === '.json' ? specName(jobArg) : undefined;
    return { job: name ?? basename(jobArg, extname(jobArg)), stateDir: stateDirFlag ?? join(dirname(resolve(jobArg)), '.sluice') };
  }
  return { job: jobArg, stateDir: stateDirFlag ?? join(process.cwd(), '.sluice') };
}

function specName(file: string): string | undefined {
  try {
    const spec = JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown };
    return typeof spec.name === 'string' && spec.name !== '' ? spec.name : undefined;
  } catch {
    return undefined;
  }
}

/** The bookmark of each source, then the runs, as aligned tables. */
function formatReport(report: BookmarkReport): string {
  const lines = [`job ${report.job}: bookmark version ${report.version} (state in ${report.location})`];
  if (report.pendingRun) lines.push(`run ${report.pendingRun} committed but its files are not all published yet; the next run (or reset/rewind) finishes it`);
  const sources = Object.entries(report.sources);
  lines.push('', sources.length ? 'sources:' : 'sources: (none read yet)');
  if (sources.length) {
    lines.push(table(
      ['source', 'high-water mark', 'tracked files', 'columns'],
      sources.map(([ctx, s]) => [ctx, new Date(s.highWaterMs).toISOString(), String(s.files.length), s.schema ? String(Object.keys(s.schema).length) : '-']),
      [false, false, true, true],
    ));
  }
  lines.push('', report.runs.length ? 'runs:' : 'runs: (none)');
  if (report.runs.length) {
    lines.push(table(
      ['run id', 'attempt', 'option', 'status', 'started', 'ended', 'rows', 'files', 'version'],
      report.runs.map((r) => [
        r.runId, String(r.attempt), r.option, r.status, r.startedAt, r.endedAt ?? '-',
        r.rows === undefined ? '-' : r.rows.toLocaleString('en-US'), r.files === undefined ? '-' : String(r.files), String(r.version),
      ]),
      [false, true, false, false, false, false, true, true, true],
    ));
    const failed = report.runs.filter((r) => r.error);
    for (const r of failed.slice(-3)) lines.push(`  ${r.runId}: ${r.error}`);
  }
  return lines.join('\n');
}

function table(header: string[], rows: string[][], numeric: boolean[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => '  ' + cells.map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}
