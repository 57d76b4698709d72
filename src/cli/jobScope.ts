import { ProgressTracker, runWithProgress } from '../exec/progress.js';
import { SluiceError } from '../types/ErrorRecord.js';
import { progressBar } from './progressBar.js';

/**
 * Runs a long command (run, convert) as a job scope: a progress bar on stderr when it is a
 * terminal, and Ctrl-C cancelling the job — workers stop and staged output is removed, so
 * nothing partial is left. A second Ctrl-C exits at once.
 */
export async function inJobScope<T>(fn: () => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const bar = process.stderr.isTTY ? progressBar(process.stderr) : undefined;
  const onInterrupt = () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort(new SluiceError('cancelled (Ctrl-C): no output was published'));
  };
  process.on('SIGINT', onInterrupt);
  try {
    return await runWithProgress(new ProgressTracker((s) => bar?.update(s), controller.signal), fn);
  } finally {
    process.off('SIGINT', onInterrupt);
    bar?.done();
  }
}
