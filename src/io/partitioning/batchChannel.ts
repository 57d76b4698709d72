import type { RecordBatch } from 'apache-arrow';

/**
 * A hand-off from a producer that pushes batches to a FormatWriter that pulls them as an
 * AsyncIterable. `push` resolves once the writer has taken the batch, so at most one batch
 * waits per open file (memory stays bounded however many files are open).
 */
export class BatchChannel implements AsyncIterable<RecordBatch> {
  private pending?: { batch: RecordBatch; taken: () => void };
  private waiting?: (result: IteratorResult<RecordBatch>) => void;
  private closed = false;
  private failure?: { error: unknown };
  private rejectWaiting?: (error: unknown) => void;

  push(batch: RecordBatch): Promise<void> {
    if (this.closed) throw new Error('push after close');
    return new Promise((taken) => {
      if (this.waiting) {
        const deliver = this.waiting;
        this.waiting = this.rejectWaiting = undefined;
        deliver({ value: batch, done: false });
        taken();
      } else {
        this.pending = { batch, taken };
      }
    });
  }

  /** No more batches: the writer finishes its file. */
  close(): void {
    this.closed = true;
    if (this.waiting && !this.pending) {
      const deliver = this.waiting;
      this.waiting = this.rejectWaiting = undefined;
      deliver({ value: undefined, done: true });
    }
  }

  /** The job failed: the writer's next pull throws, so it abandons (and removes) its file. */
  fail(error: unknown): void {
    this.failure = { error };
    this.closed = true;
    this.pending?.taken();
    this.pending = undefined;
    if (this.rejectWaiting) {
      const reject = this.rejectWaiting;
      this.waiting = this.rejectWaiting = undefined;
      reject(error);
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<RecordBatch> {
    return {
      next: () => {
        if (this.failure) return Promise.reject(this.failure.error);
        if (this.pending) {
          const { batch, taken } = this.pending;
          this.pending = undefined;
          taken();
          return Promise.resolve({ value: batch, done: false });
        }
        if (this.closed) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve, reject) => {
          this.waiting = resolve;
          this.rejectWaiting = reject;
        });
      },
    };
  }
}
