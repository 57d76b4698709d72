import { Int32, Int64, TimeUnit, Type, makeData, type Data, type Decimal, type Timestamp } from 'apache-arrow';
import { asColumn, column, type Operand } from '../operand.js';
import { bitIsSet, boolBitsOf, int32PairsOf, validityOf } from '../vectors.js';
import { decimalBigInt } from '../../columns/toValues.js';
import { define, type FunctionDef, INT32, INT64, VARIADIC } from './define.js';
import { SluiceError } from '../../types/ErrorRecord.js';

/**
 * Spark's `hash` (Murmur3 x86_32) and `xxhash64` (XXH64), both seeded with 42 and chained over
 * the arguments: each non-null argument hashes with the previous result as its seed; a NULL
 * leaves it unchanged. Values hash as Spark hashes them: int types as int, bigint/timestamp
 * (microseconds) as long, date as its day number, float/double by their IEEE bits (-0.0 as 0.0,
 * Spark 3.2+), boolean as 1/0, strings by their UTF-8 bytes (Spark's Murmur3 mixes the trailing
 * bytes one by one), decimals of precision <= 18 by their unscaled long, arrays element by
 * element, structs field by field. Loops over Arrow buffers; xxhash64 computes in BigInt.
 */

const SEED = 42;

// ---- Murmur3 x86_32, as Spark's org.apache.spark.unsafe.hash.Murmur3_x86_32 ----------------
const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;
const mixK1 = (k: number) => Math.imul(rotl32(Math.imul(k, C1), 15), C2);
const mixH1 = (h: number, k: number) => (Math.imul(rotl32(h ^ k, 13), 5) + 0xe6546b64) | 0;
const rotl32 = (x: number, r: number) => (x << r) | (x >>> (32 - r));
function fmix32(h: number, length: number): number {
  h ^= length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}
const murmurInt = (v: number, seed: number) => fmix32(mixH1(seed, mixK1(v)), 4);
const murmurLong = (low: number, high: number, seed: number) => fmix32(mixH1(mixH1(seed, mixK1(low)), mixK1(high)), 8);
function murmurBytes(bytes: Uint8Array, start: number, end: number, seed: number): number {
  const length = end - start;
  const aligned = start + length - (length % 4);
  let h = seed;
  for (let i = start; i < aligned; i += 4) h = mixH1(h, mixK1(bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24)));
  for (let i = aligned; i < end; i++) h = mixH1(h, mixK1((bytes[i] << 24) >> 24)); // a signed byte, as Java reads it
  return fmix32(h, length);
}

// ---- XXH64, as Spark's org.apache.spark.sql.catalyst.expressions.XXH64 -------------------------
const M64 = (1n << 64n) - 1n;
const P1 = 0x9e3779b185ebca87n;
const P2 = 0xc2b2ae3d27d4eb4fn;
const P3 = 0x165667b19e3779f9n;
const P4 = 0x85ebca77c2b2ae63n;
const P5 = 0x27d4eb2f165667c5n;
const rotl64 = (x: bigint, r: bigint) => ((x << r) | (x >> (64n - r))) & M64;
const mul = (a: bigint, b: bigint) => (a * b) & M64;
function fmix64(h: bigint): bigint {
  h ^= h >> 33n;
  h = mul(h, P2);
  h ^= h >> 29n;
  h = mul(h, P3);
  return h ^ (h >> 32n);
}
const xxInt = (v: number, seed: bigint) => {
  let h = (seed + P5 + 4n) & M64;
  h ^= mul(BigInt(v >>> 0), P1);
  return fmix64((mul(rotl64(h, 23n), P2) + P3) & M64);
};
const xxLong = (v: bigint, seed: bigint) => {
  let h = (seed + P5 + 8n) & M64;
  h ^= mul(rotl64(mul(v & M64, P2), 31n), P1);
  return fmix64((mul(rotl64(h, 27n), P1) + P4) & M64);
};
function xxBytes(bytes: Uint8Array, start: number, end: number, seed: bigint): bigint {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = end - start;
  let offset = start;
  let h: bigint;
  const round = (acc: bigint, lane: bigint) => mul(rotl64((acc + mul(lane, P2)) & M64, 31n), P1);
  if (length >= 32) {
    let v1 = (seed + P1 + P2) & M64, v2 = (seed + P2) & M64, v3 = seed, v4 = (seed - P1) & M64;
    for (; offset <= end - 32; offset += 32) {
      v1 = round(v1, view.getBigUint64(offset, true));
      v2 = round(v2, view.getBigUint64(offset + 8, true));
      v3 = round(v3, view.getBigUint64(offset + 16, true));
      v4 = round(v4, view.getBigUint64(offset + 24, true));
    }
    h = (rotl64(v1, 1n) + rotl64(v2, 7n) + rotl64(v3, 12n) + rotl64(v4, 18n)) & M64;
    for (const v of [v1, v2, v3, v4]) h = (mul(h ^ round(0n, v), P1) + P4) & M64;
  } else {
    h = (seed + P5) & M64;
  }
  h = (h + BigInt(length)) & M64;
  for (; offset <= end - 8; offset += 8) {
    h ^= mul(rotl64(mul(view.getBigUint64(offset, true), P2), 31n), P1);
    h = (mul(rotl64(h, 27n), P1) + P4) & M64;
  }
  if (offset + 4 <= end) {
    h ^= mul(BigInt(view.getUint32(offset, true)), P1);
    h = (mul(rotl64(h, 23n), P2) + P3) & M64;
    offset += 4;
  }
  for (; offset < end; offset++) {
    h ^= mul(BigInt(bytes[offset]), P5);
    h = mul(rotl64(h, 11n), P1);
  }
  return fmix64(h);
}

/** The two hash families behind one value walker. */
interface Hasher<H> {
  int(v: number, seed: H): H;
  long(low: number, high: number, seed: H): H;
  bytes(bytes: Uint8Array, start: number, end: number, seed: H): H;
}
const MURMUR: Hasher<number> = { int: murmurInt, long: murmurLong, bytes: murmurBytes };
const XX: Hasher<bigint> = {
  int: xxInt,
  long: (low, high, seed) => xxLong((BigInt(high >>> 0) << 32n) | BigInt(low >>> 0), seed),
  bytes: xxBytes,
};

const scratch = new Float64Array(1);
const scratchWords = new Int32Array(scratch.buffer);
const scratchFloat = new Float32Array(1);
const scratchFloatBits = new Int32Array(scratchFloat.buffer);

/** (row, seed) → hash of one column's value at row (the caller skips null rows). */
function rowHasher<H>(data: Data, h: Hasher<H>, fn: string): (i: number, seed: H) => H {
  const values = data.values as ArrayLike<number>;
  switch (data.typeId) {
    case Type.Null: return (_i, seed) => seed;
    case Type.Bool: {
      const bits = boolBitsOf(data);
      return (i, seed) => h.int(bitIsSet(bits, i) ? 1 : 0, seed);
    }
    case Type.Int: {
      if ((data.type as Int32).bitWidth < 64) return (i, seed) => h.int(values[i], seed);
      const pairs = int32PairsOf(data.values as BigInt64Array);
      return (i, seed) => h.long(pairs[2 * i], pairs[2 * i + 1], seed);
    }
    case Type.Date: return (i, seed) => h.int(values[i], seed);
    case Type.Timestamp: {
      const pairs = int32PairsOf(data.values as BigInt64Array);
      if ((data.type as Timestamp).unit === TimeUnit.MICROSECOND) return (i, seed) => h.long(pairs[2 * i], pairs[2 * i + 1], seed);
      const perMicro = (data.type as Timestamp).unit === TimeUnit.MILLISECOND ? 1000n : (data.type as Timestamp).unit === TimeUnit.SECOND ? 1_000_000n : 0n;
      const all = data.values as BigInt64Array;
      return (i, seed) => {
        const micros = perMicro ? all[i] * perMicro : all[i] / 1000n;
        return h.long(Number(BigInt.asIntN(32, micros)), Number(BigInt.asIntN(32, micros >> 32n)), seed);
      };
    }
    case Type.Float: {
      if (values instanceof Float32Array) {
        return (i, seed) => {
          scratchFloat[0] = values[i] === 0 ? 0 : values[i];
          return h.int(Number.isNaN(values[i]) ? 0x7fc00000 : scratchFloatBits[0], seed);
        };
      }
      return (i, seed) => {
        const v = values[i];
        scratch[0] = v === 0 ? 0 : Number.isNaN(v) ? NaN : v;
        // Java's doubleToLongBits: one NaN, 0x7ff8000000000000.
        return Number.isNaN(v) ? h.long(0, 0x7ff80000, seed) : h.long(scratchWords[0], scratchWords[1], seed);
      };
    }
    case Type.Decimal: {
      const type = data.type as Decimal;
      if (type.precision > 18) throw new SluiceError(`${fn}: decimals of precision above 18 are not supported yet (got decimal(${type.precision},${type.scale}))`);
      const words = data.values as Uint32Array;
      return (i, seed) => {
        const v = decimalBigInt(words, i);
        return h.long(Number(BigInt.asIntN(32, v)), Number(BigInt.asIntN(32, v >> 32n)), seed);
      };
    }
    case Type.Utf8: {
      const offsets = data.valueOffsets as Int32Array;
      const bytes = data.values as Uint8Array;
      return (i, seed) => h.bytes(bytes, offsets[i], offsets[i + 1], seed);
    }
    case Type.Dictionary: {
      const dict = data.dictionary!.data[0];
      const inner = rowHasher(dict, h, fn);
      const indices = data.values as ArrayLike<number>;
      return (i, seed) => inner(indices[i], seed);
    }
    case Type.List: {
      const offsets = data.valueOffsets as Int32Array;
      const child = data.children[0];
      const inner = rowHasher(child, h, fn);
      const valid = validityOf(child);
      return (i, seed) => {
        let acc = seed;
        for (let e = offsets[i]; e < offsets[i + 1]; e++) if (!valid || bitIsSet(valid, e)) acc = inner(e, acc);
        return acc;
      };
    }
    case Type.Struct: {
      const fields = data.children.map((c) => ({ hash: rowHasher(c, h, fn), valid: validityOf(c) }));
      return (i, seed) => {
        let acc = seed;
        for (const f of fields) if (!f.valid || bitIsSet(f.valid, i)) acc = f.hash(i, acc);
        return acc;
      };
    }
    default:
      throw new SluiceError(`${fn}: cannot hash a value of type ${String(data.type)}`);
  }
}

function hashColumns<H>(args: Operand[], length: number, h: Hasher<H>, seed: H, fn: string): H[] {
  const out = new Array<H>(length).fill(seed);
  for (const arg of args) {
    const data = asColumn(arg, length);
    const hash = rowHasher(data, h, fn);
    const valid = validityOf(data);
    for (let i = 0; i < length; i++) if (!valid || bitIsSet(valid, i)) out[i] = hash(i, out[i]);
  }
  return out;
}

const hash = define({
  name: 'hash', category: 'hash', signature: 'hash(a, b, ...) → int',
  description: "Spark's Murmur3 x86_32 hash of the arguments, seed 42 (NULLs skipped): the same int as Spark's hash().",
  args: ['any'], min: 1, max: VARIADIC, result: INT32,
  evaluate(args, length) {
    const values = Int32Array.from(hashColumns(args, length, MURMUR, SEED, 'hash'));
    return column(makeData({ type: new Int32(), length, data: values }) as Data);
  },
});

const xxhash64 = define({
  name: 'xxhash64', category: 'hash', signature: 'xxhash64(a, b, ...) → bigint',
  description: "Spark's 64-bit xxHash of the arguments, seed 42 (NULLs skipped): the same bigint as Spark's xxhash64().",
  args: ['any'], min: 1, max: VARIADIC, result: INT64,
  evaluate(args, length) {
    const hashes = hashColumns(args, length, XX, BigInt(SEED), 'xxhash64');
    const values = new BigInt64Array(length);
    for (let i = 0; i < length; i++) values[i] = BigInt.asIntN(64, hashes[i]);
    return column(makeData({ type: new Int64(), length, data: values }) as Data);
  },
});

export const HASHING: FunctionDef[] = [hash, xxhash64];
