import { DataType, Type, Vector, makeData } from 'apache-arrow';
import type { Data, Dictionary } from 'apache-arrow';

const bitmapBytes = (length: number) => ((length + 63) >> 6) << 3;

/**
 * A column of `length` nulls of any type, with real (zeroed) buffers and an all-unset validity
 * bitmap: readers that treat a missing bitmap as "all valid" and the IPC writer both need them.
 * Used for a column a file lacks and for a null partition value.
 */
export function nullColumn(type: DataType, length: number): Data {
  const nullBitmap = new Uint8Array(bitmapBytes(length));
  const common = { type, length, nullCount: length, nullBitmap };
  switch (type.typeId) {
    case Type.Null:
      return makeData({ type, length, nullCount: length } as never) as Data;
    case Type.Struct:
      return makeData({ ...common, children: type.children.map((field) => nullColumn(field.type, length)) } as never) as Data;
    case Type.List:
      return makeData({ ...common, valueOffsets: new Int32Array(length + 1), child: nullColumn(type.children[0].type, 0) } as never) as Data;
    case Type.Utf8:
    case Type.Binary:
      return makeData({ ...common, valueOffsets: new Int32Array(length + 1), data: new Uint8Array(0) } as never) as Data;
    case Type.Dictionary: {
      const dictionaryType = type as Dictionary;
      const dictionary = new Vector([nullColumn(dictionaryType.dictionary, 0)]);
      return makeData({ ...common, data: new dictionaryType.indices.ArrayType(length), dictionary } as never) as Data;
    }
    case Type.Bool:
      return makeData({ ...common, data: new Uint8Array(bitmapBytes(length)) } as never) as Data;
    default: {
      // Fixed width: ints, floats, dates, timestamps, decimals.
      const ArrayType = (type as DataType & { ArrayType: new (n: number) => ArrayLike<unknown> }).ArrayType;
      const stride = type.typeId === Type.Decimal ? (type as unknown as { bitWidth: number }).bitWidth / 32 : 1;
      return makeData({ ...common, data: new ArrayType(length * stride) } as never) as Data;
    }
  }
}
