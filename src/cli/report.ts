import { currentProgress } from '../exec/progress.js';
import type { ErrorRecord } from '../types/ErrorRecord.js';

/** One written output, as the CLI reports it for specs and scripts alike. */
export interface SinkLine {
  id: string;
  format: string;
  path: string;
  rows: number;
  files: number;
  bytes: number;
  errors: number;
  ms: number;
}

/** `orders.csv:17:3: message` — where first, the way compilers print, so editors can jump there. */
export function formatErrorRecord(e: ErrorRecord): string {
  // Readers' messages often name the place already ("orders.csv:17: column amount: ...").
  const named = e.file !== undefined && e.message.includes(e.file);
  const where = named ? '' : [e.file, e.line, e.column].filter((x) => x !== undefined && x !== null).join(':');
  const node = e.node ? `[${e.node}] ` : '';
  return `${node}${where ? `${where}: ` : ''}${e.message}`;
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

/** The sinks as an aligned table: numbers right-aligned, names and paths left-aligned. */
export function sinkTable(sinks: readonly SinkLine[]): string {
  const header = ['sink', 'format', 'rows', 'files', 'errors', 'time', 'path'];
  const rows = sinks.map((s) => [s.id, s.format, s.rows.toLocaleString('en-US'), String(s.files), String(s.errors), seconds(s.ms), s.path]);
  const numeric = [false, false, true, true, true, true, false];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => '  ' + cells.map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

/** The metrics line of `--metrics-json`. */
export function metricsJson(job: string, wallMs: number, sinks: readonly SinkLine[], nodeErrors: Record<string, number>): string {
  const errors = Object.values(nodeErrors).reduce((a, b) => a + b, 0);
  const progress = currentProgress()?.snapshot();
  return JSON.stringify({
    job, wallMs,
    rows: sinks.reduce((n, s) => n + s.rows, 0),
    bytesWritten: sinks.reduce((n, s) => n + s.bytes, 0),
    files: sinks.reduce((n, s) => n + s.files, 0),
    errors, nodeErrors,
    nodeRows: progress?.nodeRows ?? {},
    pruning: progress?.pruning ?? {},
    bytesRead: progress?.bytesDone ?? 0,
    splits: progress?.splitsTotal ?? 0,
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    sinks,
  });
}
