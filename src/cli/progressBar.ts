import type { ProgressSnapshot } from '../exec/progress.js';

const WIDTH = 24;
const REDRAW_MS = 100;

/**
 * A one-line progress bar on a TTY stream: splits done/total, input bytes, rows written and
 * the input rate. Redraws at most every 100 ms; `done()` clears the line.
 */
export function progressBar(stream: NodeJS.WriteStream): { update(s: ProgressSnapshot): void; done(): void } {
  let last = 0;
  let drawn = false;
  return {
    update(s) {
      const now = performance.now();
      if (now - last < REDRAW_MS && s.splitsDone < s.splitsTotal) return;
      last = now;
      stream.write(`\r${formatProgress(s)}\x1b[K`);
      drawn = true;
    },
    done() {
      if (drawn) stream.write('\r\x1b[K');
    },
  };
}

/** The text of one progress line (exported for tests). */
export function formatProgress(s: ProgressSnapshot): string {
  const fraction = s.bytesTotal > 0 ? Math.min(1, s.bytesDone / s.bytesTotal) : s.splitsTotal > 0 ? s.splitsDone / s.splitsTotal : 0;
  const filled = Math.round(fraction * WIDTH);
  const bar = '#'.repeat(filled) + '.'.repeat(WIDTH - filled);
  const seconds = s.elapsedMs / 1000;
  const rate = seconds > 0 ? s.bytesDone / seconds : 0;
  const parts = [
    `[${bar}]`,
    `${s.splitsDone}/${s.splitsTotal} splits`,
    `${mb(s.bytesDone)}/${mb(s.bytesTotal)}`,
    `${s.rowsWritten.toLocaleString('en-US')} rows written`,
    `${mb(rate)}/s`,
  ];
  return parts.join('  ');
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(bytes >= 1e8 ? 0 : 1)} MB`;
