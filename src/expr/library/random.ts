import { Float64 } from 'apache-arrow';
import { column, type Operand } from '../operand.js';
import { makeFloat64 } from '../vectors.js';
import { SluiceError } from '../../types/ErrorRecord.js';
import type { EvalContext, FunctionDef } from './define.js';
import { expectArg, literalArg } from './define.js';
import { isIntegerType } from '../typeRules.js';

const FLOAT64 = new Float64();

/**
 * rand(seed) and randn(seed): one value per row, a function of the seed, the split (partition)
 * and the row's position in it, so a rerun over the same splits gives the same values and
 * parallel workers never share a stream. Spark's values depend on its partitioning too (it seeds
 * each partition with seed + partition index), so neither matches Spark's numbers. An omitted
 * seed is drawn once when the expression is parsed or built (as Spark draws it at analysis), so
 * every worker of one run uses the same seed. Marked non-deterministic: evaluation never folds
 * them into a constant and filters holding them are not pushed into scans.
 */
function random(name: 'rand' | 'randn', description: string): FunctionDef {
  return {
    name, aliases: name === 'rand' ? ['random'] : undefined, category: 'math',
    signature: `${name}(seed: long = random) → double`, description,
    minArgs: 0, maxArgs: 1, deterministic: false,
    returnType(types, nodes) {
      if (types.length) expectArg(name, 1, types[0], isIntegerType(types[0]), 'an integer literal (the seed)');
      if (nodes?.[0] && nodes[0].kind !== 'lit') throw new SluiceError(`${name}: the seed must be a literal, not an expression over columns`);
      return FLOAT64;
    },
    evaluate(args: Operand[], n: number, _type, context?: EvalContext) {
      const seed = seedOf(args[0], name);
      const out = new Float64Array(n);
      const partition = context?.partition ?? 0;
      const start = context?.rowOffset ?? 0;
      if (name === 'rand') {
        for (let i = 0; i < n; i++) out[i] = unitAt(seed, partition, start + i, 0);
      } else {
        // Box-Muller over two independent uniforms of the row; 1 - u keeps the logarithm finite.
        for (let i = 0; i < n; i++) {
          const u = 1 - unitAt(seed, partition, start + i, 1);
          const v = unitAt(seed, partition, start + i, 2);
          out[i] = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
        }
      }
      return column(makeFloat64(out, null));
    },
  };
}

/** The seed as two 32-bit words; a missing seed (a hand-written plan) is drawn now. */
function seedOf(arg: Operand | undefined, name: string): [number, number] {
  const value = arg === undefined ? Math.floor(Math.random() * 2 ** 53) : literalArg(arg, name, 'the seed');
  if (value === null) return [0, 0]; // Spark: rand(NULL) is rand(0)
  if (typeof value !== 'number' && typeof value !== 'bigint') throw new SluiceError(`${name}: the seed must be an integer literal, got ${String(value)}`);
  const big = BigInt.asUintN(64, BigInt(value));
  return [Number(big & 0xffffffffn) | 0, Number(big >> 32n) | 0];
}

/** MurmurHash3's 32-bit finaliser: every input bit reaches every output bit. */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}

/**
 * A uniform double in [0, 1) for (seed, partition, position, stream): a counter-based generator
 * (hash of the coordinates), so any row's value is computed without the rows before it.
 */
export function unitAt(seed: [number, number], partition: number, position: number, stream: number): number {
  const low = position >>> 0;
  const high = Math.floor(position / 4294967296);
  const key = fmix(seed[0] ^ fmix(seed[1] + Math.imul(partition, 0x9e3779b9) + Math.imul(stream, 0x632be5ab)));
  const a = fmix(key ^ Math.imul(low, 0xcc9e2d51) ^ fmix(high + 0x7f4a7c15));
  const b = fmix(a ^ Math.imul(low + 0x165667b1, 0x1b873593) ^ key);
  // 27 + 26 bits: a double with every one of its 53 mantissa bits random.
  return ((a >>> 5) * 67108864 + (b >>> 6)) / 9007199254740992;
}

export const RANDOM: FunctionDef[] = [
  random('rand', 'A uniform random double in [0, 1) per row (Spark: rand), repeatable for a seed over the same splits; rows of different splits draw from different streams.'),
  random('randn', 'A standard normal random double per row (Spark: randn), repeatable for a seed over the same splits.'),
];
