import { Type, type DataType, type Decimal, type Dictionary, type Float64, type Int32, type List, type Struct } from 'apache-arrow';

/** A type as Spark's `df.dtypes` and `simpleString` name it: `int`, `bigint`, `double`, `decimal(10,2)`, `array<string>`, `struct<a:int>`. */
export function sparkTypeName(type: DataType): string {
  switch (type.typeId) {
    case Type.Bool: return 'boolean';
    case Type.Int: {
      const bits: number = (type as Int32).bitWidth;
      return bits === 8 ? 'tinyint' : bits === 16 ? 'smallint' : bits === 32 ? 'int' : 'bigint';
    }
    case Type.Float: return (type as Float64).precision === 2 ? 'double' : 'float';
    case Type.Decimal: return `decimal(${(type as Decimal).precision},${(type as Decimal).scale})`;
    case Type.Utf8: case Type.LargeUtf8: return 'string';
    case Type.Binary: case Type.LargeBinary: return 'binary';
    case Type.Date: return 'date';
    case Type.Timestamp: return 'timestamp';
    case Type.Dictionary: return sparkTypeName((type as Dictionary).dictionary);
    case Type.List: return `array<${sparkTypeName((type as List).valueType)}>`;
    case Type.Struct: return `struct<${(type as Struct).children.map((f) => `${f.name}:${sparkTypeName(f.type)}`).join(',')}>`;
    case Type.Map: {
      const entry = (type.children[0].type as Struct).children;
      return `map<${sparkTypeName(entry[0].type)},${sparkTypeName(entry[1].type)}>`;
    }
    case Type.Null: return 'void';
    default: return String(type).toLowerCase();
  }
}
