import { Field, Int32, Int64, Schema, Struct, Type, type DataType, type List } from 'apache-arrow';
import { SluiceError } from '../../src/types/ErrorRecord.js';

/**
 * Relationalize's tables, derived from the input schema alone: the root table, then one table per
 * array, depth first in column order (Glue's naming: `<name>_<column>`, where the column is the
 * array's flattened name in its parent table, such as `root_customers.val.orders`).
 */
export interface RelationalTable {
  name: string;
  /** The parent table's index in the list (-1 for the root). */
  parent: number;
  /** Inside the parent's element: struct child indices down to the array column. */
  listPath: number[];
  /** The element's flattened columns; a key column stands for an array (its own table). */
  columns: TableColumn[];
  schema: Schema;
}

export interface TableColumn {
  name: string;
  /** Struct child indices from the table's element down to the value (empty: the element itself). */
  path: number[];
  /** True for an array: the column holds the join key of its child table's `id`. */
  key: boolean;
}

/** Every table, the root first. */
export function relationalTables(input: Schema, name: string): RelationalTable[] {
  const tables: RelationalTable[] = [];
  addTable(tables, name, -1, [], new Struct(input.fields), '', true);
  return tables;
}

function addTable(tables: RelationalTable[], name: string, parent: number, listPath: number[], element: DataType, prefix: string, root: boolean): void {
  const index = tables.length;
  const columns: TableColumn[] = [];
  const arrays: { path: number[]; name: string; element: DataType }[] = [];
  flatten(element, prefix, [], columns, arrays);
  const fields = columns.map((c) => new Field(c.name, c.key ? new Int64() : typeAt(element, c.path), true));
  const seen = new Set(root ? [] : ['id', 'index']);
  for (const f of fields) {
    // A column named `a.b` beside a struct `a` with a child `b` would make two columns of one name.
    if (seen.has(f.name)) throw new SluiceError(`Relationalize would make two columns named '${f.name}' in table '${name}'; rename one first`);
    seen.add(f.name);
  }
  // A child row: `id` is its parent row's key, `index` its position in the array (Glue's names).
  const schema = new Schema(root ? fields : [new Field('id', new Int64(), false), new Field('index', new Int32(), false), ...fields]);
  tables.push({ name, parent, listPath, columns, schema });
  for (const array of arrays) {
    addTable(tables, `${tables[0]?.name ?? name}_${array.name}`, index, array.path, array.element, `${array.name}.val`, false);
  }
}

/** Structs become dotted columns; an array becomes a key column and a table; anything else a value column. */
function flatten(type: DataType, name: string, path: number[], columns: TableColumn[], arrays: { path: number[]; name: string; element: DataType }[]): void {
  if (type.typeId === Type.Struct && (name === '' || (type as Struct).children.length > 0)) {
    (type as Struct).children.forEach((child, i) => flatten(child.type, name ? `${name}.${child.name}` : child.name, [...path, i], columns, arrays));
  } else if (type.typeId === Type.List) {
    columns.push({ name, path, key: true });
    arrays.push({ path, name, element: (type as List).valueType });
  } else {
    columns.push({ name, path, key: false });
  }
}

function typeAt(element: DataType, path: number[]): DataType {
  let type = element;
  for (const i of path) type = (type as Struct).children[i].type;
  return type;
}
