import { Field, List, Struct, Type, type Data, type DataType } from 'apache-arrow';
import { mayHaveNulls } from '../../src/columns/bitmap.js';
import { withParentNulls } from '../paths/nestedColumn.js';

/**
 * Glue's unnest, on the schema and on Arrow data alike: a struct's children become columns named
 * `parent.child` (a null struct makes its children null); an array of structs stays an array
 * whose element struct is flattened the same way, its fields named `<array>.val.<field>` — Glue's
 * "for historical reasons" naming. Only Data nodes are rebuilt; values are never copied.
 */
export function unnestFields(fields: readonly Field[]): Field[] {
  return fields.flatMap((f) => unnestField(f, f.name));
}

function unnestField(field: Field, name: string): Field[] {
  const type = field.type;
  if (isFlattenable(type)) return (type as Struct).children.flatMap((c) => unnestField(c, `${name}.${c.name}`));
  return [new Field(name, unnestElementType(type, name), field.nullable, field.metadata)];
}

/** Inside an array, an element struct is flattened into one struct of `<array>.val.<path>` fields. */
function unnestElementType(type: DataType, name: string): DataType {
  if (type.typeId !== Type.List) return type;
  const element = (type as List).children[0];
  const prefix = `${name}.val`;
  const inner = isFlattenable(element.type)
    ? new Struct((element.type as Struct).children.flatMap((c) => unnestField(c, `${prefix}.${c.name}`)))
    : unnestElementType(element.type, prefix);
  return new List(new Field(element.name, inner, element.nullable, element.metadata));
}

/** The unnested columns of a batch's columns, in the order of unnestFields. */
export function unnestData(fields: readonly Field[], columns: readonly Data[]): Data[] {
  const out: Data[] = [];
  fields.forEach((f, i) => unnestColumn(f.type, columns[i], f.name, out));
  return out;
}

function unnestColumn(type: DataType, data: Data, name: string, out: Data[]): void {
  if (isFlattenable(type)) {
    (type as Struct).children.forEach((c, i) => {
      const child = data.children[i] as Data;
      unnestColumn(c.type, mayHaveNulls(data) ? withParentNulls(child, data) : child, `${name}.${c.name}`, out);
    });
  } else out.push(unnestElements(type, data, name));
}

/** A list column with its element struct flattened; the element keeps its own validity. */
function unnestElements(type: DataType, data: Data, name: string): Data {
  if (type.typeId !== Type.List) return data;
  const elementType = (type as List).children[0].type;
  const element = data.children[0] as Data;
  const prefix = `${name}.val`;
  let inner: Data;
  if (isFlattenable(elementType)) {
    const children: Data[] = [];
    (elementType as Struct).children.forEach((c, i) => unnestColumn(c.type, element.children[i] as Data, `${prefix}.${c.name}`, children));
    const innerType = new Struct((elementType as Struct).children.flatMap((c) => unnestField(c, `${prefix}.${c.name}`)));
    inner = element.clone(innerType, element.offset, element.length, element.nullCount, element.buffers, children);
  } else inner = unnestElements(elementType, element, prefix);
  return data.clone(unnestElementType(type, name), data.offset, data.length, data.nullCount, data.buffers, [inner]);
}

const isFlattenable = (type: DataType): boolean => type.typeId === Type.Struct && (type as Struct).children.length > 0;
