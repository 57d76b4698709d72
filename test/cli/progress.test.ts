import { describe, expect, it } from 'vitest';
import { formatProgress } from '../../src/cli/progressBar.js';
import { ProgressTracker, runWithProgress, currentProgress, effectiveSignal } from '../../src/exec/progress.js';
import { tempDir } from '../support/files.js';

describe('progress', () => {
  it('formats splits, bytes, rows and rate', () => {
    expect(formatProgress({ splitsDone: 1, splitsTotal: 4, bytesDone: 50e6, bytesTotal: 200e6, rowsWritten: 1234567, nodeRows: {}, pruning: {}, elapsedMs: 2000 }))
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

describe('job metrics', () => {
  it('counts rows per node and bytes read for a run', async () => {
    const { writeFileSync, statSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { read } = await import('../../src/index.js');
    const dir = await tempDir('sluice-metrics-');
    const file = join(dir, 'in.csv');
    writeFileSync(file, 'a,b\n1,x\n2,y\n3,z\n');
    const tracker = new ProgressTracker();
    await runWithProgress(tracker, () =>
      read.csv(file, { withHeader: true, transformationCtx: 'src' }).filter('a > 1', { transformationCtx: 'big' }).write.csv(join(dir, 'out')));
    const s = tracker.snapshot();
    expect(s.nodeRows).toEqual({ src: 3, big: 2 });
    expect(s.rowsWritten).toBe(2);
    expect(s.bytesDone).toBe(statSync(file).size);
  });
});
