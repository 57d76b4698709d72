import {
  Field, Schema, Type, type DataType, type Decimal, type Dictionary, type FixedSizeList, type Float, type Int, type List, type Map_, type Struct,
} from 'apache-arrow';
import type { Column } from '@aws-sdk/client-glue';
import { parseType } from '../types/typeNames.js';

/**
 * The Hive type string Glue's catalog and Athena use for a sluice (Arrow) type: `bigint`, `int`,
 * `double`, `string`, `boolean`, `decimal(10,2)`, `array<struct<a:int>>`, `map<string,bigint>`.
 */
export function hiveTypeName(type: DataType): string {
  switch (type.typeId) {
    case Type.Bool: return 'boolean';
    case Type.Int: {
      const bits = (type as Int).bitWidth;
      return bits === 8 ? 'tinyint' : bits === 16 ? 'smallint' : bits === 32 ? 'int' : 'bigint';
    }
    case Type.Float: return (type as Float).precision === 2 ? 'double' : 'float';
    case Type.Decimal: return `decimal(${(type as Decimal).precision},${(type as Decimal).scale})`;
    case Type.Utf8: case Type.LargeUtf8: return 'string';
    case Type.Binary: case Type.LargeBinary: case Type.FixedSizeBinary: return 'binary';
    case Type.Date: return 'date';
    case Type.Timestamp: return 'timestamp';
    case Type.Dictionary: return hiveTypeName((type as Dictionary).dictionary);
    case Type.List: return `array<${hiveTypeName((type as List).valueType)}>`;
    case Type.FixedSizeList: return `array<${hiveTypeName((type as FixedSizeList).valueType)}>`;
    case Type.Struct: return `struct<${(type as Struct).children.map((f) => `${f.name.toLowerCase()}:${hiveTypeName(f.type)}`).join(',')}>`;
    case Type.Map: {
      const entry = (type as Map_).children[0].type as Struct;
      return `map<${hiveTypeName(entry.children[0].type)},${hiveTypeName(entry.children[1].type)}>`;
    }
    // A column with no value seen yet: the crawler's choice for it too.
    case Type.Null: return 'string';
    default: return 'string';
  }
}

/** Catalog columns for a schema: names lower-cased as Glue keeps them, Hive type strings. */
export function columnsOfSchema(schema: { readonly fields: readonly Field[] }): Column[] {
  return schema.fields.map((f) => ({ Name: f.name.toLowerCase(), Type: hiveTypeName(f.type) }));
}

/** The sluice schema a table's columns declare (Hive type names are sluice type names too). */
export function schemaOfColumns(columns: readonly Column[]): Schema {
  return new Schema(columns.map((c) => new Field(c.Name ?? '', parseType(c.Type ?? 'string'), true)));
}
