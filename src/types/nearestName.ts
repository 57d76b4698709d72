/**
 * "Did you mean" for names: the candidate closest to `name` by edit distance (case-insensitive),
 * or undefined when none is close enough to be a plausible slip. Ties go to the earlier candidate,
 * so list the likelier names first.
 */
export function nearestName(name: string, candidates: Iterable<string>, maxDistance = defaultMaxDistance(name)): string | undefined {
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= maxDistance ? best : undefined;
}

/** Two edits, fewer for short names (one slip in a three-letter name is already a third of it). */
function defaultMaxDistance(name: string): number {
  return Math.min(2, Math.max(1, Math.floor(name.length / 3)));
}

/**
 * Levenshtein distance counting a swap of two neighbours as one edit (optimal string alignment),
 * since 'hwo' for 'how' is as common a slip as a missing letter.
 */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(rows[i - 1][j] + 1, row[j - 1] + 1, rows[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j], rows[i - 2][j - 2] + 1);
    }
    rows.push(row);
  }
  return rows[a.length][b.length];
}
