/**
 * Object moves in flight at once when a commit publishes (S3 copies and uploads are latency
 * bound: one at a time, a thousand part files took a thousand round trips).
 */
export const MOVES_IN_FLIGHT = 16;

/**
 * Runs `task` over `items`, at most `limit` at a time. Every task is let finish (none is left in
 * flight when this returns or throws); the first failure is then thrown.
 */
export async function forEachInParallel<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (next < items.length && !failure) {
      const item = items[next++];
      try {
        await task(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure) throw failure.error;
}
