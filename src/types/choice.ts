import { DataType, Field, Struct, Type, type Dictionary, type Int, type Float64 } from 'apache-arrow';

/**
 * Glue's ChoiceType (a value that is an int in some records and a string in others) as Arrow data.
 *
 * Representation: an Arrow `Struct` with one child per alternative, named by Glue's type name
 * (`int`, `long`, `double`, `string`, `struct`, …), each child field tagged with the metadata
 * `sluice.choice`. In each row at most one child is non-null (the value's own type); the row is
 * null when all are. This is exactly the layout Glue's `toDF()` gives a choice column (a struct
 * with a field per type), so an unresolved choice writes to Parquet/JSON as Glue writes it, and
 * every kernel that handles a struct (take, concat, filter, IPC to workers, the Parquet encoder)
 * handles a choice unchanged. An Arrow DenseUnion would save the nulls' validity bits, but Arrow JS
 * and our Parquet encoder cannot write unions and most kernels would need a union branch each.
 *
 * The tag is on the children (not on the column's field) so that it belongs to the *type*: a choice
 * nested in a struct or a list, or passed through `typeName`/`parseType` as `choice<int64,string>`,
 * stays a choice. Alternatives are kept in one canonical order (CHOICE_ORDER), so merging choices is
 * order-independent: splits that widen in a different order reach the same schema.
 */
export const CHOICE_KEY = 'sluice.choice';

/** Canonical order of alternatives: numbers, then the other atomics, then nested types. */
const CHOICE_ORDER = ['boolean', 'byte', 'short', 'int', 'long', 'float', 'double', 'decimal', 'date', 'timestamp', 'string', 'binary', 'struct', 'array', 'map', 'null'];

/** Glue's name of a type (gluetypes.py): `int`, `long`, `double`, `string`, `boolean`, `struct`, `array`… */
export function glueTypeName(type: DataType): string {
  switch (type.typeId) {
    case Type.Bool: return 'boolean';
    case Type.Int: {
      const bits = (type as Int).bitWidth;
      return bits === 8 ? 'byte' : bits === 16 ? 'short' : bits === 32 ? 'int' : 'long';
    }
    case Type.Float: return (type as Float64).precision === 2 ? 'double' : 'float';
    case Type.Decimal: return 'decimal';
    case Type.Utf8: case Type.LargeUtf8: return 'string';
    case Type.Binary: case Type.LargeBinary: return 'binary';
    case Type.Date: return 'date';
    case Type.Timestamp: return 'timestamp';
    case Type.List: return 'array';
    case Type.Map: return 'map';
    case Type.Struct: return isChoice(type) ? 'choice' : 'struct';
    case Type.Null: return 'null';
    // A dictionary is an encoding: Glue names the values' type.
    case Type.Dictionary: return glueTypeName((type as Dictionary).dictionary);
    default: return String(type).toLowerCase();
  }
}

/** Whether `type` is a choice (a Struct whose children carry the choice tag). */
export function isChoice(type: DataType): type is Struct {
  return type.typeId === Type.Struct && type.children.length > 0 && type.children.every((f) => f.metadata.has(CHOICE_KEY));
}

/** A choice's alternatives (the types of its children, in canonical order). */
export function choiceAlternatives(type: Struct): DataType[] {
  return type.children.map((f) => f.type);
}

/**
 * The choice of `types` (nested choices flattened, one alternative per Glue type name, the last
 * given of a name winning), in canonical order; a single type stays itself.
 */
export function makeChoice(types: readonly DataType[]): DataType {
  const byName = new Map<string, DataType>();
  for (const type of types.flatMap((t) => (isChoice(t) ? choiceAlternatives(t) : [t]))) {
    if (type.typeId !== Type.Null) byName.set(glueTypeName(type), type);
  }
  if (byName.size === 1) return [...byName.values()][0];
  const names = [...byName.keys()].sort((a, b) => rank(a) - rank(b));
  return new Struct(names.map((name) => new Field(name, byName.get(name)!, true, new Map([[CHOICE_KEY, 'alternative']]))));
}

const rank = (name: string) => {
  const i = CHOICE_ORDER.indexOf(name);
  return i < 0 ? CHOICE_ORDER.length : i;
};

/** A choice's alternatives as plain struct fields (what `toDF()` and `make_struct` give: the tag dropped). */
export function choiceAsStruct(type: Struct): Struct {
  return new Struct(type.children.map((f) => new Field(f.name, f.type, true)));
}
