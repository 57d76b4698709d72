import { wideningOf } from '../types/WidenSignal.js';
import { widenScan } from './scan.js';

/** Reads again at most this often for one action: each widening moves one column up the type lattice. */
const MAX_WIDENINGS = 64;

/**
 * Runs an action (a write, a collect, a count) and, when a reader met a value after the sampled
 * rows that misfits an inferred column (a WidenSignal), records the wider type and runs the
 * action again from the start. Nothing was published by the failed attempt (writes commit once,
 * at the end), so the output equals a run that knew the wider type from the start. Parallel runs
 * take the same path: a split's signal fails the run, every split then reads with the new schema.
 */
export async function withWidening<T>(action: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await action();
    } catch (error) {
      const widening = wideningOf(error);
      if (!widening || attempt >= MAX_WIDENINGS || !widenScan(widening)) throw error;
    }
  }
}
