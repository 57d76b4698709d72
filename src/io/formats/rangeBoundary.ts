/**
 * The movable boundary between two neighbouring byte ranges of one file that run on different
 * threads at the same time (exec/parallel/dispatch.ts makes one per such pair).
 *
 * Equal ranges finish unevenly: the thread that starts first (the driver) is done long before a
 * worker that spent its first ~0.2 s starting up and warming up, and then idles. So the cut between
 * two ranges is decided when the upper range starts, from how far the lower one has got: each
 * takes half of what is left of the two. One shared 64-bit cell holds the state, changed only by
 * compare-and-swap so the two threads never disagree:
 * - `v >= 0`: open; the lower range has claimed (may read) the bytes before `v`;
 * - `v < 0`: fixed at `-v - 1`; the lower range ends there and the upper range starts there.
 * The lower range claims its bytes chunk by chunk and fixes the cut at its planned end when it gets
 * there first (the upper range has not started); the upper range fixes it at
 * `claimed + (upperEnd - claimed) / 2` when it starts first. Records still belong to ranges by
 * the usual rule (SplitPart): every record is read exactly once, whatever the timing.
 */

/** A boundary cell, open, with nothing claimed past `lowerStart`. */
export function openBoundary(lowerStart: number): SharedArrayBuffer {
  const cell = new SharedArrayBuffer(8);
  new BigInt64Array(cell)[0] = BigInt(lowerStart);
  return cell;
}

/**
 * The lower range's side, before it reads `[position, position + length)`: undefined while the
 * cut is still open (the bytes are claimed), else the range's end (fixed now at `plannedEnd` if
 * the read would pass it, or earlier by the upper range).
 */
export function claimBeforeRead(cell: SharedArrayBuffer, position: number, length: number, plannedEnd: number): number | undefined {
  const state = new BigInt64Array(cell);
  for (;;) {
    const v = Atomics.load(state, 0);
    if (v < 0n) return fixedAt(v);
    const wanted = position + length;
    if (wanted < plannedEnd) {
      if (BigInt(wanted) <= v || Atomics.compareExchange(state, 0, v, BigInt(wanted)) === v) return undefined;
    } else if (Atomics.compareExchange(state, 0, v, fixed(plannedEnd)) === v) {
      return plannedEnd;
    }
  }
}

/** The upper range's side, when it starts: where it starts (the cut, fixed by now). */
export function takeUpperShare(cell: SharedArrayBuffer, upperEnd: number): number {
  const state = new BigInt64Array(cell);
  for (;;) {
    const v = Atomics.load(state, 0);
    if (v < 0n) return fixedAt(v);
    const claimed = Number(v);
    const cut = Math.max(claimed, claimed + Math.floor((upperEnd - claimed) / 2));
    if (Atomics.compareExchange(state, 0, v, fixed(cut)) === v) return cut;
  }
}

/** A fixed cut's cell value (-1 for 0, so that 0 stays "open, nothing claimed"). */
const fixed = (cut: number): bigint => -BigInt(cut) - 1n;
const fixedAt = (v: bigint): number => Number(-v - 1n);
