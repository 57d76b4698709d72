/**
 * How deep a JSON record may nest: Jackson's default (StreamReadConstraints.maxNestingDepth), so
 * Spark and Glue refuse the same records. Deeper values would overflow the recursive schema
 * inference and column builders ("Maximum call stack size exceeded", naming nothing).
 */
export const MAX_JSON_DEPTH = 1000;

export const tooDeepMessage = `nested deeper than ${MAX_JSON_DEPTH} levels (the most Spark's JSON reader accepts)`;

/**
 * Whether `value` nests arrays/objects deeper than MAX_JSON_DEPTH. Iterative, so it cannot
 * overflow itself. `text`, when given, is the value's JSON: shorter than 2 × the limit it cannot
 * be that deep, and the walk is skipped (the common case costs one comparison).
 */
export function nestsTooDeep(value: unknown, text?: string): boolean {
  if (text !== undefined && text.length <= 2 * MAX_JSON_DEPTH) return false;
  if (value === null || typeof value !== 'object') return false;
  const stack: unknown[] = [value];
  const depths: number[] = [1];
  while (stack.length > 0) {
    const current = stack.pop() as object;
    const depth = depths.pop() as number;
    if (depth > MAX_JSON_DEPTH) return true;
    for (const child of Array.isArray(current) ? current : Object.values(current)) {
      if (child !== null && typeof child === 'object') {
        stack.push(child);
        depths.push(depth + 1);
      }
    }
  }
  return false;
}
