import { DataType, makeData, type Data, type Struct } from 'apache-arrow';
import { isEscaped, scratchBytes, unescapeToScratch } from './ColumnBuilder.js';
import { typesOf } from './inferCsvSchema.js';
import { takeNullable } from '../../../columns/takeNullable.js';
import { typeName } from '../../../types/typeNames.js';
import type { ColumnBuilder } from './ColumnBuilder.js';
import type { CsvScanner } from './CsvScanner.js';

/**
 * A choice column (types/choice.ts) from CSV text: each field goes to the first alternative that
 * parses it, in the choice's canonical order (boolean, numbers, dates, then string, which takes
 * any text). The first alternative is built over every row, as a plain column would be; each
 * later one only over the rows the ones before refused, and is spread to full length with
 * `takeNullable` when the batch is finished — whole-window typed-array passes, no per-row objects.
 */
export class ChoiceBuilder implements ColumnBuilder {
  readonly label: string;
  length = 0;
  /** For alternatives after the first: the batch positions of the rows each holds, ascending. */
  private positions: Int32Array[];
  private counts: number[];
  /** Record indexes refused so far in a window (scratch, reused). */
  private refused = new Int32Array(1024);
  private next = new Int32Array(1024);
  private batchOf = new Int32Array(1024);
  private nextBatchOf = new Int32Array(1024);

  constructor(readonly type: Struct, private readonly children: ColumnBuilder[]) {
    this.label = typeName(type);
    this.positions = children.map(() => new Int32Array(64));
    this.counts = children.map(() => 0);
  }

  append(scanner: CsvScanner, rows: Int32Array, count: number, column: number, failed: Int32Array): number {
    if (this.refused.length < count) {
      this.refused = new Int32Array(count);
      this.next = new Int32Array(count);
      this.batchOf = new Int32Array(count);
      this.nextBatchOf = new Int32Array(count);
    }
    const start = this.length;
    let left = this.children[0].append(scanner, rows, count, column, this.refused);
    if (left > 0) {
      // Batch positions of the refused records: `rows` is in record order, so a merge walk finds them.
      for (let i = 0, j = 0; j < left; i++) if (rows[i] === this.refused[j]) this.batchOf[j++] = start + i;
    }
    let typed = 0;
    for (let k = 1; k < this.children.length && left > 0; k++) {
      // Text that is a number (or bool, date…) the choice has no alternative for misfits, rather
      // than landing in `string`: an inferred column widens to it (`4.5` in choice<int,string>).
      if (DataType.isUtf8(this.children[k].type)) {
        let kept = 0;
        for (let j = 0; j < left; j++) {
          const r = this.refused[j];
          if (isTypedText(scanner, scanner.recordFieldBase[r] + column)) failed[typed++] = r;
          else {
            this.refused[kept] = r;
            this.batchOf[kept++] = this.batchOf[j];
          }
        }
        left = kept;
        if (left === 0) break;
      }
      const still = this.children[k].append(scanner, this.refused, left, column, this.next);
      // The alternative holds all `left` rows, its own refusals as nulls: note where they go.
      this.notePositions(k, this.batchOf, left);
      if (still > 0) {
        for (let i = 0, j = 0; j < still; i++) if (this.refused[i] === this.next[j]) this.nextBatchOf[j++] = this.batchOf[i];
        this.refused.set(this.next.subarray(0, still));
        [this.batchOf, this.nextBatchOf] = [this.nextBatchOf, this.batchOf];
      }
      left = still;
    }
    for (let j = 0; j < left; j++) failed[typed + j] = this.refused[j];
    this.length = start + count;
    if (typed > 0 && left > 0) failed.subarray(0, typed + left).sort();
    return typed + left;
  }

  private notePositions(k: number, batchOf: Int32Array, n: number): void {
    let positions = this.positions[k];
    if (positions.length < this.counts[k] + n) {
      const grown = new Int32Array(Math.max(positions.length * 2, this.counts[k] + n));
      grown.set(positions);
      this.positions[k] = positions = grown;
    }
    positions.set(batchOf.subarray(0, n), this.counts[k]);
    this.counts[k] += n;
  }

  truncate(length: number): void {
    this.children[0].truncate(length);
    for (let k = 1; k < this.children.length; k++) {
      let kept = 0;
      while (kept < this.counts[k] && this.positions[k][kept] < length) kept++;
      this.children[k].truncate(kept);
      this.counts[k] = kept;
    }
    this.length = length;
  }

  finish(): Data {
    const length = this.length;
    const columns: Data[] = [this.children[0].finish()];
    for (let k = 1; k < this.children.length; k++) {
      const compact = this.children[k].finish();
      const indices = new Int32Array(length).fill(-1);
      const positions = this.positions[k];
      for (let p = 0; p < this.counts[k]; p++) indices[positions[p]] = p;
      columns.push(takeNullable(compact, indices));
      this.counts[k] = 0;
    }
    // A row is null when no alternative holds a value: the OR of the children's validity.
    const bitmap = new Uint8Array(((length + 63) >> 6) << 3);
    for (const column of columns) {
      const bits = column.nullCount > 0 ? column.nullBitmap : undefined;
      if (!bits || bits.length === 0) bitmap.fill(0xff);
      else for (let b = 0; b < bits.length && b < bitmap.length; b++) bitmap[b] |= bits[b];
    }
    let nulls = 0;
    for (let i = 0; i < length; i++) if ((bitmap[i >> 3] & (1 << (i & 7))) === 0) nulls++;
    this.length = 0;
    return makeData({ type: this.type, length, nullCount: nulls, nullBitmap: nulls ? bitmap : undefined, children: columns } as never) as Data;
  }
}

/** Whether field `k` reads as a number, bool, date or timestamp (not plain text). */
function isTypedText(scanner: CsvScanner, k: number): boolean {
  if (isEscaped(scanner.fieldFlags[k])) return typesOf(scratchBytes(), 0, unescapeToScratch(scanner, k)) !== 0;
  return typesOf(scanner.buf, scanner.fieldStart[k], scanner.fieldEnd[k]) !== 0;
}
