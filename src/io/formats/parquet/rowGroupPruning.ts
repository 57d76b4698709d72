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
}

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
    return {
      column: field.name,
      // IS NULL needs a null; IS NOT NULL needs a value.
      mayMatch: (stats, _column, rows) => stats.nullCount === undefined || (part.negated ? stats.nullCount < rows : stats.nullCount > 0),
    };
  }
  return undefined;
}

/** The part compares a string column (its column operand is Utf8). */
function stringOperand(part: ExprNode, schema: Schema): boolean {
  const columns = [...referencedColumns(part)];
  return columns.some((name) => schema.fields.find((f) => f.name === name)?.type.typeId === Type.Utf8);
}

/** A group may match when some alternative's conditions all hold on its bounds. */
function rangeTest(field: Field, alternatives: { bound: Bound; node: ExprNode }[][]): StatTest | undefined {
  if (!decodable(field.type)) return undefined;
  return {
    column: field.name,
    mayMatch(stats, column, rows) {
      // All NULL: no comparison is TRUE.
      if (stats.nullCount !== undefined && stats.nullCount >= rows) return false;
      const batches = { min: boundBatch(field, column, stats.min), max: boundBatch(field, column, stats.max) };
      return alternatives.some((conditions) => conditions.every(({ bound, node }) => {
        const batch = batches[bound];
        return batch === undefined || evaluatePredicate(node, batch)[0] === 1;
      }));
    },
  };
}

const decodable = (type: DataType): boolean =>
  (DataType.isInt(type) && type.isSigned) || type.typeId === Type.Float || type.typeId === Type.Utf8 ||
  type.typeId === Type.Date || type.typeId === Type.Timestamp;

const UNIT_SCALE = { ms: 1_000_000n, us: 1_000n, ns: 1n } as const;
const ARROW_UNIT = ['s', 'ms', 'us', 'ns'] as const;

/** A one-row batch holding a statistic as the column's type; undefined when it cannot be read safely. */
function boundBatch(field: Field, column: FooterColumn, bytes: Uint8Array | undefined): RecordBatch | undefined {
  if (!bytes || column.unsigned) return undefined;
  const data = boundData(field.type, column, bytes);
  if (!data) return undefined;
  const one = new Field(field.name, field.type, true);
  return makeBatch(new Schema([one]), [data], 1);
}

function boundData(type: DataType, column: FooterColumn, bytes: Uint8Array): Data | undefined {
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
        if (physical === PhysicalType.INT64 && bytes.length === 8) return makeData({ type, length: 1, nullCount: 0, data: BigInt64Array.of(view.getBigInt64(0, true)) } as never);
        if (physical === PhysicalType.INT32 && bytes.length === 4) return makeData({ type, length: 1, nullCount: 0, data: BigInt64Array.of(BigInt(view.getInt32(0, true))) } as never);
        return undefined;
      }
      const value = physical === PhysicalType.INT32 ? number() : undefined;
      return value === undefined ? undefined : makeData({ type, length: 1, nullCount: 0, data: new (type.ArrayType as Int32ArrayConstructor)([value]) } as never);
    }
    case Type.Float: {
      const value = number();
      // NaN bounds order nothing.
      return value === undefined || Number.isNaN(value) ? undefined : makeData({ type, length: 1, nullCount: 0, data: new (type.ArrayType as Float64ArrayConstructor)([value]) } as never);
    }
    case Type.Utf8:
      if (physical !== PhysicalType.BYTE_ARRAY) return undefined;
      return makeData({ type, length: 1, nullCount: 0, data: bytes.slice(), valueOffsets: Int32Array.of(0, bytes.length) } as never);
    case Type.Date: {
      // Date32 (days); Date64 (ms) is left alone.
      if (!DataType.isDate(type) || type.unit !== 0 || physical !== PhysicalType.INT32 || bytes.length !== 4) return undefined;
      return makeData({ type, length: 1, nullCount: 0, data: Int32Array.of(view.getInt32(0, true)) } as never);
    }
    case Type.Timestamp: {
      if (physical !== PhysicalType.INT64 || bytes.length !== 8 || !column.timeUnit) return undefined;
      const unit = ARROW_UNIT[(type as Timestamp).unit];
      if (unit === 's') return undefined;
      // Rescale the file's unit to the column's (a reader may have widened ms to µs); floor a min, but
      // a max rounded down could exclude a matching row: keep the group by giving up on inexact maxima.
      const nanos = view.getBigInt64(0, true) * UNIT_SCALE[column.timeUnit];
      if (nanos % UNIT_SCALE[unit] !== 0n) return undefined;
      return makeData({ type, length: 1, nullCount: 0, data: BigInt64Array.of(nanos / UNIT_SCALE[unit]) } as never);
    }
  }
  return undefined;
}
