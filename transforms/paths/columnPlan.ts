import { Field, Schema, Struct, Type, makeData, type Data, type DataType, type RecordBatch } from 'apache-arrow';
import { makeBatch } from '../../src/columns/take.js';
import { SluiceError } from '../../src/types/ErrorRecord.js';
import { formatFieldPath, parseFieldPath } from '../fieldPath.js';

/**
 * How one output column is made from the input columns, decided once at prepare time: take
 * input column `source` as is, or rebuild it as a struct from a plan for each of its children.
 * SelectFields, DropFields and RenameField are all "compute a plan from the schema, then apply
 * it to every batch": no values are copied, only struct Data nodes are rebuilt.
 */
export interface ColumnPlan {
  /** Index among the sibling columns (top-level columns, or the parent struct's children). */
  source: number;
  field: Field;
  /** When set, the column is a struct rebuilt from these children plans. */
  children?: ColumnPlan[];
}

/** A plan that keeps `field` (at index `source`) unchanged. */
export const keep = (field: Field, source: number): ColumnPlan => ({ source, field });

/** A struct column rebuilt from children plans, keeping the original name, nullability and metadata. */
export function rebuilt(field: Field, source: number, children: ColumnPlan[], name = field.name): ColumnPlan {
  const type = new Struct(children.map((c) => c.field));
  return { source, field: new Field(name, type, field.nullable, field.metadata), children };
}

export function schemaOf(plans: ColumnPlan[], input: Schema): Schema {
  return new Schema(plans.map((p) => p.field), input.metadata);
}

/** Applies column plans to one batch. */
export function applyPlans(plans: ColumnPlan[], schema: Schema, batch: RecordBatch): RecordBatch {
  const columns = batch.data.children as Data[];
  return makeBatch(schema, plans.map((p) => buildColumn(p, columns)), batch.numRows);
}

function buildColumn(plan: ColumnPlan, siblings: readonly Data[]): Data {
  const data = siblings[plan.source];
  if (!plan.children) return data;
  const children = plan.children.map((c) => buildColumn(c, data.children as Data[]));
  // Struct children are sliced along with their parent, so the parent's offset and bitmap still apply.
  return makeData({
    type: plan.field.type as Struct, offset: data.offset, length: data.length,
    nullCount: data.nullCount, nullBitmap: data.nullBitmap, children,
  });
}

/** A parsed field path and the text the user wrote, for messages. */
export interface ParsedPath { parts: string[]; text: string }

export function parsePaths(paths: unknown, what: string): ParsedPath[] {
  if (!Array.isArray(paths) || paths.some((p) => typeof p !== 'string')) {
    throw new SluiceError(`${what} must be an array of field paths (strings), got ${JSON.stringify(paths)}`);
  }
  return paths.map((text: string) => ({ parts: parseFieldPath(text), text }));
}

/**
 * Finds the fields along a path; throws naming the path, the missing name and what is there.
 * Returns the chain of [index, field] from the top level down.
 */
export function resolvePath(fields: readonly Field[], path: ParsedPath): [number, Field][] {
  const chain: [number, Field][] = [];
  let level = fields;
  path.parts.forEach((name, depth) => {
    const index = level.findIndex((f) => f.name === name);
    if (index < 0) {
      const where = depth === 0 ? '' : ` inside '${formatFieldPath(path.parts.slice(0, depth))}'`;
      throw new SluiceError(`no field '${name}'${where} for path '${path.text}'; available: ${describeFields(level)}`);
    }
    const field = level[index];
    chain.push([index, field]);
    if (depth < path.parts.length - 1) {
      if (field.type.typeId !== Type.Struct) {
        throw new SluiceError(`path '${path.text}' goes into '${formatFieldPath(path.parts.slice(0, depth + 1))}', which is ${field.type} and not a struct`);
      }
      level = (field.type as Struct).children;
    }
  });
  return chain;
}

export const describeFields = (fields: readonly Field[]): string =>
  fields.length ? fields.map((f) => formatFieldPath([f.name])).join(', ') : '(none)';

export const structChildren = (type: DataType): Field[] => (type as Struct).children;
