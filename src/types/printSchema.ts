import { List, Struct, Type, type DataType, type Schema } from 'apache-arrow';
import { glueTypeName, isChoice } from './choice.js';

/**
 * A schema in the layout of Glue's `DynamicFrame.printSchema()`:
 *
 * ```
 * root
 * |-- provider id: choice
 * |    |-- long
 * |    |-- string
 * |-- address: struct
 * |    |-- city: string
 * |-- tags: array
 * |    |-- element: string
 * ```
 *
 * Type names are Glue's (`int`, `long`, `double`, `string`, `boolean`, `decimal(10,2)`, …); a
 * choice lists its alternatives one level in, a struct its fields, an array its `element`.
 */
export function printSchema(schema: Schema): string {
  const lines = ['root'];
  for (const field of schema.fields) describe(field.name, field.type, 0, lines);
  return lines.join('\n');
}

function describe(name: string | undefined, type: DataType, depth: number, lines: string[]): void {
  const indent = '|    '.repeat(depth);
  const label = glueLabel(type);
  lines.push(`${indent}|-- ${name === undefined ? label : `${name}: ${label}`}`);
  if (isChoice(type)) for (const alternative of type.children) describe(undefined, alternative.type, depth + 1, lines);
  else if (type instanceof Struct) for (const child of type.children) describe(child.name, child.type, depth + 1, lines);
  else if (type instanceof List) describe('element', type.children[0].type, depth + 1, lines);
}

function glueLabel(type: DataType): string {
  if (type.typeId === Type.Decimal) {
    const { precision, scale } = type as unknown as { precision: number; scale: number };
    return `decimal(${precision},${scale})`;
  }
  return glueTypeName(type);
}
