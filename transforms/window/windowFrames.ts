import { SluiceError } from '../../src/types/ErrorRecord.js';

/** A frame: offsets before (negative) / after (positive) the current row; null = unbounded; RANGE bounds are 0 or null. */
export interface FrameSpec { unit: 'rows' | 'range'; start: number | null; end: number | null }

/**
 * Where each row of the sorted input sits: its partition's first and last row, and its peer
 * group's (rows equal on every ORDER BY key), all as sorted positions.
 */
export interface Layout {
  length: number;
  partStart: Int32Array;
  partEnd: Int32Array;
  peerStart: Int32Array;
  peerEnd: Int32Array;
}

/** Partitions and peer groups from the keys' sort digits (equal digits ⇔ equal values), read in sorted order. */
export function layoutOf(order: Int32Array, partitionDigits: Uint32Array[], orderDigits: Uint32Array[]): Layout {
  const n = order.length;
  const partStart = new Int32Array(n);
  const partEnd = new Int32Array(n);
  const peerStart = new Int32Array(n);
  const peerEnd = new Int32Array(n);
  const same = (digits: Uint32Array[], a: number, b: number) => {
    for (const d of digits) if (d[order[a]] !== d[order[b]]) return false;
    return true;
  };
  let p = 0;
  let q = 0;
  for (let s = 0; s < n; s++) {
    if (s > 0 && !same(partitionDigits, s, s - 1)) p = q = s;
    else if (s > 0 && !same(orderDigits, s, s - 1)) q = s;
    partStart[s] = p;
    peerStart[s] = q;
  }
  for (let s = n - 1; s >= 0; s--) {
    partEnd[s] = s === n - 1 || partStart[s + 1] !== partStart[s] ? s : partEnd[s + 1];
    peerEnd[s] = s === n - 1 || peerStart[s + 1] !== peerStart[s] ? s : peerEnd[s + 1];
  }
  return { length: n, partStart, partEnd, peerStart, peerEnd };
}

/**
 * Each row's frame as inclusive sorted positions [lo, hi] (empty when lo > hi). Without a frame:
 * the whole partition when there is no ORDER BY, else RANGE BETWEEN UNBOUNDED PRECEDING AND
 * CURRENT ROW (the row's peers included), as in Spark.
 */
export function frameBounds(layout: Layout, frame: FrameSpec | undefined, ordered: boolean): { lo: Int32Array; hi: Int32Array } {
  const { length: n, partStart, partEnd, peerStart, peerEnd } = layout;
  const spec: FrameSpec = frame ?? (ordered ? { unit: 'range', start: null, end: 0 } : { unit: 'rows', start: null, end: null });
  if (spec.unit === 'range' && ((spec.start !== null && spec.start !== 0) || (spec.end !== null && spec.end !== 0))) {
    throw new SluiceError('a RANGE frame takes UNBOUNDED PRECEDING, CURRENT ROW or UNBOUNDED FOLLOWING only; use ROWS for offsets');
  }
  const lo = new Int32Array(n);
  const hi = new Int32Array(n);
  for (let s = 0; s < n; s++) {
    if (spec.start === null) lo[s] = partStart[s];
    else if (spec.unit === 'range') lo[s] = peerStart[s];
    else lo[s] = Math.max(partStart[s], s + spec.start);
    if (spec.end === null) hi[s] = partEnd[s];
    else if (spec.unit === 'range') hi[s] = peerEnd[s];
    else hi[s] = Math.min(partEnd[s], s + spec.end);
  }
  return { lo, hi };
}
