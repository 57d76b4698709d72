import { Field, List, Schema, Struct, Type, makeData, type Data, type DataType, type RecordBatch } from 'apache-arrow';
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

/**
 * A struct column rebuilt from children plans, keeping the original name, nullability and
 * metadata. For an array of structs (`friends.age`), the element struct is rebuilt, in every
 * element, and the arrays around it are kept.
 */
export function rebuilt(field: Field, source: number, children: ColumnPlan[], name = field.name): ColumnPlan {
  const type = aroundStruct(field.type, new Struct(children.map((c) => c.field)));
  return { source, field: new Field(name, type, field.nullable, field.metadata), children };
}

/** `type` with the struct inside its arrays (or itself, when it is the struct) replaced by `struct`. */
function aroundStruct(type: DataType, struct: Struct): DataType {
  if (type.typeId !== Type.List) return struct;
  const element = (type as List).children[0];
  return new List(new Field(element.name, aroundStruct(element.type, struct), element.nullable, element.metadata));
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
  return plan.children ? rebuildStruct(data, plan.field.type, plan.children) : data;
}

function rebuildStruct(data: Data, type: DataType, plans: ColumnPlan[]): Data {
  if (type.typeId === Type.List) {
    // The offsets and validity stay; only the element is rebuilt.
    const element = rebuildStruct(data.children[0] as Data, (type as List).children[0].type, plans);
    return data.clone(type as List, data.offset, data.length, data.nullCount, data.buffers, [element]);
  }
  const children = plans.map((c) => buildColumn(c, data.children as Data[]));
  // Struct children are sliced along with their parent, so the parent's offset and bitmap still apply.
  return makeData({
    type: type as Struct, offset: data.offset, length: data.length,
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
 * Returns the chain of [index, field] from the top level down. With `throughArrays`, a name
 * after an array of structs is a field of its elements (`friends.age`), as Glue's field paths go.
 */
export function resolvePath(fields: readonly Field[], path: ParsedPath, throughArrays = false): [number, Field][] {
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
      const struct = throughArrays ? elementStruct(field.type) : field.type;
      if (struct.typeId !== Type.Struct) {
        const what = throughArrays ? 'a struct or an array of structs' : 'a struct';
        throw new SluiceError(`path '${path.text}' goes into '${formatFieldPath(path.parts.slice(0, depth + 1))}', which is ${field.type} and not ${what}`);
      }
      level = (struct as Struct).children;
    }
  });
  return chain;
}

export const describeFields = (fields: readonly Field[]): string =>
  fields.length ? fields.map((f) => formatFieldPath([f.name])).join(', ') : '(none)';

/** The struct itself, or the struct inside arrays (array<array<struct>>); else the type. */
export function elementStruct(type: DataType): DataType {
  while (type.typeId === Type.List) type = (type as List).children[0].type;
  return type;
}

/** A struct's children, or those of the struct inside an array of structs. */
export const structChildren = (type: DataType): Field[] => (elementStruct(type) as Struct).children;
