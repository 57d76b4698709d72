import { Type, type DataType, type Decimal, type Float, type Int, type Struct } from 'apache-arrow';

/**
 * The Hive type string the Data Catalog keeps for an Arrow type (`bigint`, `array<struct<a:int>>`),
 * as a Glue crawler writes it: names lower-cased, nothing known becomes `string`.
 */
export function hiveType(type: DataType): string {
  switch (type.typeId) {
    case Type.Int: {
      const int = type as Int;
      const bits = int.isSigned ? int.bitWidth : int.bitWidth * 2; // an unsigned int needs the next width up
      return bits <= 8 ? 'tinyint' : bits <= 16 ? 'smallint' : bits <= 32 ? 'int' : 'bigint';
    }
    case Type.Float:
      return (type as Float).precision === 2 ? 'double' : 'float';
    case Type.Bool:
      return 'boolean';
    case Type.Utf8:
    case Type.LargeUtf8:
      return 'string';
    case Type.Binary:
    case Type.LargeBinary:
    case Type.FixedSizeBinary:
      return 'binary';
    case Type.Date:
      return 'date';
    case Type.Timestamp:
      return 'timestamp';
    case Type.Decimal: {
      const decimal = type as Decimal;
      return `decimal(${decimal.precision},${decimal.scale})`;
    }
    case Type.List:
    case Type.FixedSizeList:
      return `array<${hiveType(type.children[0].type)}>`;
    case Type.Struct:
      return `struct<${(type as Struct).children.map((field) => `${field.name.toLowerCase()}:${hiveType(field.type)}`).join(',')}>`;
    case Type.Map: {
      const entries = type.children[0].type as Struct;
      return `map<${hiveType(entries.children[0].type)},${hiveType(entries.children[1].type)}>`;
    }
    default:
      return 'string';
  }
}
