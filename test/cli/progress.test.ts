import { describe, expect, it } from 'vitest';
import { formatProgress } from '../../src/cli/progressBar.js';
import { ProgressTracker, runWithProgress, currentProgress, effectiveSignal } from '../../src/exec/progress.js';

describe('progress', () => {
  it('formats splits, bytes, rows and rate', () => {
    expect(formatProgress({ splitsDone: 1, splitsTotal: 4, bytesDone: 50e6, bytesTotal: 200e6, rowsWritten: 1234567, elapsedMs: 2000 }))
      .toBe('[######..................]  1/4 splits  50.0 MB/200 MB  1,234,567 rows written  25.0 MB/s');
  });

  it('is scoped to the job that runs inside runWithProgress, with its signal', async () => {
    const seen: number[] = [];
    const controller = new AbortController();
    const tracker = new ProgressTracker((s) => seen.push(s.splitsDone), controller.signal);
    expect(currentProgress()).toBeUndefined();
    await runWithProgress(tracker, async () => {
      await Promise.resolve();
      currentProgress()!.addSplits(2, 10);
      currentProgress()!.splitDone(5);
      expect(effectiveSignal()).toBe(controller.signal);
    });
    expect(seen).toEqual([0, 1]);
    expect(tracker.snapshot()).toMatchObject({ splitsDone: 1, splitsTotal: 2, bytesDone: 5, bytesTotal: 10 });
  });
});
