import type { DataFrame } from '../../src/frame/DataFrame.js';

/**
 * The row type of a DataFrame type, for compile-time checks such as
 * `expectTypeOf<RowOf<typeof frame>>().toEqualTypeOf<{ id: number }>()`: tsc (npm test's
 * typecheck step) fails when the row type differs. The row is flattened, so that
 * `Omit<T, K> & Record<N, V>` equals the plain object type it denotes.
 */
export type RowOf<F> = F extends DataFrame<infer T> ? { [K in keyof T]: T[K] } : never;
