import type { FooterColumn } from '../parquetFooter.js';
import type { StatTest } from '../rowGroupPruning.js';
import type { ChunkPageIndex, PageSpan } from './pageIndex.js';

/** Sorted, disjoint, non-adjacent row ranges of one row group as [start, end) pairs: [s0, e0, s1, e1, …]. */
export type RowRanges = number[];

/**
 * The rows of a row group the predicate's tests may match, by the page index: for each test whose
 * column has page bounds, the rows of its pages that may match (the same tests as row-group
 * pruning, over each page's min, max and null count); the rows every test keeps. Rows outside
 * cannot satisfy the predicate; the filter still runs on the rows inside.
 */
export function rowsMayMatch(tests: StatTest[], columns: Map<string, FooterColumn>, indexes: Map<string, ChunkPageIndex>, rows: number): RowRanges {
  let kept: RowRanges = [0, rows];
  for (const test of tests) {
    const index = indexes.get(test.column);
    const column = columns.get(test.column);
    if (!index?.stats || !column) continue;
    const matching: RowRanges = [];
    const may = test.mayMatchEach(index.stats, column, index.pages.map((page) => page.rows));
    index.pages.forEach((page, k) => {
      if (may[k]) addRange(matching, page.firstRow, page.firstRow + page.rows);
    });
    kept = intersect(kept, matching);
    if (kept.length === 0) break;
  }
  return kept;
}

/** Appends [start, end) to ranges sorted so far, merging it with the last range when they touch. */
function addRange(ranges: RowRanges, start: number, end: number): void {
  const n = ranges.length;
  if (n > 0 && ranges[n - 1] >= start) ranges[n - 1] = Math.max(ranges[n - 1], end);
  else ranges.push(start, end);
}

export function intersect(a: RowRanges, b: RowRanges): RowRanges {
  const out: RowRanges = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const start = Math.max(a[i], b[j]);
    const end = Math.min(a[i + 1], b[j + 1]);
    if (start < end) addRange(out, start, end);
    if (a[i + 1] < b[j + 1]) i += 2;
    else j += 2;
  }
  return out;
}

/** The pages holding any of `ranges`' rows, in order. */
export function pagesFor(pages: PageSpan[], ranges: RowRanges): PageSpan[] {
  const out: PageSpan[] = [];
  let r = 0;
  for (const page of pages) {
    const end = page.firstRow + page.rows;
    while (r < ranges.length && ranges[r + 1] <= page.firstRow) r += 2;
    if (r < ranges.length && ranges[r] < end) out.push(page);
  }
  return out;
}

/**
 * Where a row of the group lies among the rows of `pages` (a subset of a chunk's pages, in order,
 * decoded one after the other): its position in the decoded column. The row must be in one of them.
 */
export function positionIn(pages: PageSpan[], row: number): number {
  let before = 0;
  for (const page of pages) {
    if (row < page.firstRow + page.rows) return before + (row - page.firstRow);
    before += page.rows;
  }
  return before;
}
