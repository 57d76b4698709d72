import { DataType, Field, Schema, Type, makeData, type Data, type RecordBatch, type Timestamp } from 'apache-arrow';
import { makeBatch } from '../../../columns/makeBatch.js';
import type { ExprNode } from '../../../expr/ast.js';
import { conjuncts } from '../../../expr/conjuncts.js';
import { referencedColumns } from '../../../expr/ast.js';
import { evaluatePredicate } from '../../../expr/evaluate.js';
import { withoutChosenEncoding } from '../../../types/dictionaryEncoded.js';
import { PhysicalType, type FooterColumn, type FooterStatistics, type ParquetFooter } from './parquetFooter.js';

/**
 * Row-group skipping by statistics: a row group is read unless some part of the predicate cannot
 * hold for any of its rows. Each supported part — `col <op> constant` (either side), `BETWEEN`,
 * `IN (…)`, `IS [NOT] NULL` — is rewritten into conditions on the group's minimum and maximum
 * (e.g. `col < k` can hold only if `min < k`) and evaluated by the same expression code the Filter
 * runs, over one-row batches holding the minimum or the maximum, so casts and NULLs agree with it.
 * Everything else (functions of columns, OR, LIKE, nested fields) keeps the group.
 */
export function rowGroupsMatching(footer: ParquetFooter, read: Schema, predicate: ExprNode, groups: number[]): number[] {
  const tests = statisticsTests(read, predicate);
  if (tests.length === 0) return groups;
  const columns = new Map(footer.columns.filter((c) => c.repetitions.length === 1).map((c) => [c.path, c]));
  return groups.filter((index) => {
    const group = footer.rowGroups[index];
    if (!group) return true;
    return tests.every((test) => {
      const column = columns.get(test.column);
      const chunk = group.chunks.find((c) => c.path === test.column);
      if (!column || !chunk?.statistics) return true;
      return test.mayMatch(chunk.statistics, column, group.numRows);
    });
  });
}

/**
 * The parts of `predicate` that statistics can rule out, each as a test of one column's min, max
 * and null count over some rows: a row group's (above) or a page's (decode/pageSelection.ts).
 */
export function statisticsTests(read: Schema, predicate: ExprNode): StatTest[] {
  // A string column read as a dictionary (an encoding, see dictionaryEncoded.ts) has string statistics.
  const schema = new Schema(read.fields.map(withoutChosenEncoding));
  return conjuncts(predicate).map((part) => boundTest(part, schema)).filter((t) => t !== undefined);
}

type Bound = 'min' | 'max';
/** Whether any of `rows` rows whose statistics are `stats` may satisfy one part of a predicate. */
export interface StatTest {
  column: string;
  mayMatch(stats: FooterStatistics, column: FooterColumn, rows: number): boolean;
  /** The same for many units at once (a chunk's pages): one evaluation per condition over all their bounds. */
  mayMatchEach(stats: FooterStatistics[], column: FooterColumn, rows: number[]): boolean[];
}

/** A StatTest from its many-units form. */
const statTest = (column: string, mayMatchEach: StatTest['mayMatchEach']): StatTest => ({
  column,
  mayMatchEach,
  mayMatch: (stats, footerColumn, rows) => mayMatchEach([stats], footerColumn, [rows])[0],
});

const flip = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '=': '=', '<>': '<>' } as const;

function boundTest(part: ExprNode, schema: Schema): StatTest | undefined {
  const fieldOf = (node: ExprNode) => (node.kind === 'col' ? schema.fields.find((f) => f.name === node.name) : undefined);
  // Strings only against literals: statistics order bytes, and so does a comparison with a literal
  // (a computed string operand compares as JS strings, which differ for characters past U+FFFF).
  const constant = (node: ExprNode) => referencedColumns(node).size === 0 && (node.kind === 'lit' || !stringOperand(part, schema));
  if (part.kind === 'compare') {
    const [colSide, other, op] = fieldOf(part.left) && constant(part.right) ? [part.left, part.right, part.op]
      : fieldOf(part.right) && constant(part.left) ? [part.right, part.left, flip[part.op]] : [];
    const field = colSide && fieldOf(colSide);
    if (!field || !other || !op || op === '<>') return undefined;
    const at = (bound: Bound, cmp: '<' | '<=' | '>' | '>=') => ({ bound, node: { kind: 'compare', op: cmp, left: colSide, right: other } as ExprNode });
    const conditions = op === '<' || op === '<=' ? [at('min', op)] : op === '>' || op === '>=' ? [at('max', op)] : [at('min', '<='), at('max', '>=')];
    return rangeTest(field, [conditions]);
  }
  if (part.kind === 'between' && !part.negated) {
    const field = fieldOf(part.expr);
    if (!field || !constant(part.low) || !constant(part.high)) return undefined;
    return rangeTest(field, [[
      { bound: 'max', node: { kind: 'compare', op: '>=', left: part.expr, right: part.low } },
      { bound: 'min', node: { kind: 'compare', op: '<=', left: part.expr, right: part.high } },
    ]]);
  }
  if (part.kind === 'in' && !part.negated) {
    const field = fieldOf(part.expr);
    if (!field || !part.list.every(constant) || part.list.length > 64) return undefined;
    // Any listed value inside [min, max].
    return rangeTest(field, part.list.map((value) => [
      { bound: 'min', node: { kind: 'compare', op: '<=', left: part.expr, right: value } },
      { bound: 'max', node: { kind: 'compare', op: '>=', left: part.expr, right: value } },
    ]));
  }
  if (part.kind === 'isNull') {
    const field = fieldOf(part.expr);
    if (!field) return undefined;
    // IS NULL needs a null; IS NOT NULL needs a value.
    return statTest(field.name, (stats, _column, rows) => stats.map(({ nullCount }, k) => nullCount === undefined || (part.negated ? nullCount < rows[k] : nullCount > 0)));
  }
  return undefined;
}

/** The part compares a string column (its column operand is Utf8). */
function stringOperand(part: ExprNode, schema: Schema): boolean {
  const columns = [...referencedColumns(part)];
  return columns.some((name) => schema.fields.find((f) => f.name === name)?.type.typeId === Type.Utf8);
}

/** A unit may match when some alternative's conditions all hold on its bounds (a bound that cannot be read rules nothing out). */
function rangeTest(field: Field, alternatives: { bound: Bound; node: ExprNode }[][]): StatTest | undefined {
  if (!decodable(field.type)) return undefined;
  return statTest(field.name, (stats, column, rows) => {
    const n = stats.length;
    const batches = { min: boundsBatch(field, column, stats.map((s) => s.min)), max: boundsBatch(field, column, stats.map((s) => s.max)) };
    const holds = new Map<ExprNode, Uint8Array>();
    const holdsAt = (bound: Bound, node: ExprNode, k: number) => {
      const batch = batches[bound];
      if (!batch || !batch.known[k]) return true;
      let truth = holds.get(node);
      if (!truth) holds.set(node, (truth = evaluatePredicate(node, batch.batch)));
      return truth[k] === 1;
    };
    const out: boolean[] = [];
    for (let k = 0; k < n; k++) {
      // All NULL: no comparison is TRUE.
      const nulls = stats[k].nullCount;
      if (nulls !== undefined && nulls >= rows[k]) out.push(false);
      else out.push(alternatives.some((conditions) => conditions.every(({ bound, node }) => holdsAt(bound, node, k))));
    }
    return out;
  });
}

const decodable = (type: DataType): boolean =>
  (DataType.isInt(type) && type.isSigned) || type.typeId === Type.Float || type.typeId === Type.Utf8 ||
  type.typeId === Type.Date || type.typeId === Type.Timestamp;

const UNIT_SCALE = { ms: 1_000_000n, us: 1_000n, ns: 1n } as const;
const ARROW_UNIT = ['s', 'ms', 'us', 'ns'] as const;

/**
 * A batch of one column holding each unit's statistic as the column's type, and which units' it
 * could read safely (the others are null); undefined when the column's statistics are never read.
 */
function boundsBatch(field: Field, column: FooterColumn, bounds: (Uint8Array | undefined)[]): { batch: RecordBatch; known: boolean[] } | undefined {
  if (column.unsigned) return undefined;
  const n = bounds.length;
  const values = bounds.map((bytes) => (bytes ? boundValue(field.type, column, bytes) : undefined));
  const known = values.map((v) => v !== undefined);
  const validity = new Uint8Array((n + 7) >> 3);
  let nulls = 0;
  known.forEach((isKnown, k) => (isKnown ? (validity[k >> 3] |= 1 << (k & 7)) : nulls++));
  const type = field.type;
  let data: Data;
  if (type.typeId === Type.Utf8) {
    const offsets = new Int32Array(n + 1);
    values.forEach((v, k) => (offsets[k + 1] = offsets[k] + (v ? (v as Uint8Array).length : 0)));
    const bytes = new Uint8Array(offsets[n]);
    values.forEach((v, k) => v && bytes.set(v as Uint8Array, offsets[k]));
    data = makeData({ type, length: n, nullCount: nulls, nullBitmap: validity, data: bytes, valueOffsets: offsets } as never);
  } else {
    const ArrayType = type.ArrayType as { new (n: number): ArrayLike<unknown> & { [k: number]: unknown } };
    const array = new ArrayType(n);
    values.forEach((v, k) => v !== undefined && (array[k] = v));
    data = makeData({ type, length: n, nullCount: nulls, nullBitmap: validity, data: array } as never);
  }
  const one = new Field(field.name, type, true);
  return { batch: makeBatch(new Schema([one]), [data], n), known };
}

/** A statistic as a value of the column's Arrow type (number, bigint or UTF-8 bytes); undefined when it cannot be read safely. */
function boundValue(type: DataType, column: FooterColumn, bytes: Uint8Array): number | bigint | Uint8Array | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const physical = column.physicalType;
  const number = (): number | undefined =>
    physical === PhysicalType.INT32 && bytes.length === 4 ? view.getInt32(0, true)
      : physical === PhysicalType.INT64 && bytes.length === 8 ? Number(view.getBigInt64(0, true))
        : physical === PhysicalType.FLOAT && bytes.length === 4 ? view.getFloat32(0, true)
          : physical === PhysicalType.DOUBLE && bytes.length === 8 ? view.getFloat64(0, true) : undefined;
  switch (type.typeId) {
    case Type.Int: {
      if (DataType.isInt(type) && type.bitWidth === 64) {
        if (physical === PhysicalType.INT64 && bytes.length === 8) return view.getBigInt64(0, true);
        if (physical === PhysicalType.INT32 && bytes.length === 4) return BigInt(view.getInt32(0, true));
        return undefined;
      }
      return physical === PhysicalType.INT32 ? number() : undefined;
    }
    case Type.Float: {
      const value = number();
      // NaN bounds order nothing.
      return value === undefined || Number.isNaN(value) ? undefined : value;
    }
    case Type.Utf8:
      return physical === PhysicalType.BYTE_ARRAY ? bytes : undefined;
    case Type.Date:
      // Date32 (days); Date64 (ms) is left alone.
      if (!DataType.isDate(type) || type.unit !== 0 || physical !== PhysicalType.INT32 || bytes.length !== 4) return undefined;
      return view.getInt32(0, true);
    case Type.Timestamp: {
      if (physical !== PhysicalType.INT64 || bytes.length !== 8 || !column.timeUnit) return undefined;
      const unit = ARROW_UNIT[(type as Timestamp).unit];
      if (unit === 's') return undefined;
      // Rescale the file's unit to the column's (a reader may have widened ms to µs); floor a min, but
      // a max rounded down could exclude a matching row: keep the unit by giving up on inexact bounds.
      const nanos = view.getBigInt64(0, true) * UNIT_SCALE[column.timeUnit];
      if (nanos % UNIT_SCALE[unit] !== 0n) return undefined;
      return nanos / UNIT_SCALE[unit];
    }
  }
  return undefined;
}
