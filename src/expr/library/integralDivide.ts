import { Int64, Type, type Decimal } from 'apache-arrow';
import { column, typeOf, type Operand } from '../operand.js';
import { asColumn } from '../operand.js';
import { bitIsSet, bitmapBytes, decimalToBigInt, makeResult, validityOf } from '../vectors.js';
import { isDecimalType, isFloatType } from '../typeRules.js';
import { asDecimalType } from '../decimalTypes.js';
import { asNumbers, define, type FunctionDef } from './define.js';

const INT64 = new Int64();

/**
 * `a div b` (Spark's IntegralDivide): the quotient truncated toward zero, as a bigint; null when
 * b is 0. Integers and decimals divide exactly (BigInt; decimals at their common scale), doubles
 * through Math.trunc; a quotient beyond 64 bits wraps, as Java's long does.
 */
export const integralDivide: FunctionDef = define({
  name: 'div', category: 'math', signature: 'div(a: number, b: number) → bigint', description: 'Integral division: a / b truncated toward zero, as a bigint (SQL also writes `a div b`); null when b is 0.',
  args: ['number', 'number'], result: INT64,
  evaluate(args: Operand[], n: number) {
    const ops = args.map((a) => asNumbers(a, n)).map((a) => asColumn(a, n));
    const [a, b] = ops;
    const validity = new Uint8Array(bitmapBytes(n));
    const out = new BigInt64Array(n);
    const readA = exactReader(a, ops);
    const readB = exactReader(b, ops);
    const va = validityOf(a);
    const vb = validityOf(b);
    for (let i = 0; i < n; i++) {
      if ((va && !bitIsSet(va, i)) || (vb && !bitIsSet(vb, i))) continue;
      const x = readA(i);
      const y = readB(i);
      if (y === 0 || y === 0n) continue;
      let q: bigint;
      if (typeof x === 'number' || typeof y === 'number') {
        const t = Math.trunc(Number(x) / Number(y));
        if (!Number.isFinite(t)) continue;
        q = BigInt(t);
      } else q = x / y;
      out[i] = BigInt.asIntN(64, q);
      validity[i >> 3] |= 1 << (i & 7);
    }
    return column(makeResult(INT64, n, validity, { data: out }));
  },
});

/** Values as bigints at the operands' common decimal scale, or as numbers when either side is a double. */
function exactReader(data: ReturnType<typeof asColumn>, both: ReturnType<typeof asColumn>[]): (i: number) => number | bigint {
  const types = both.map((d) => typeOf(column(d)));
  if (types.some(isFloatType)) {
    const values = data.type.typeId === Type.Decimal ? null : (data.values as ArrayLike<number | bigint>);
    const scale = data.type.typeId === Type.Decimal ? 10 ** (data.type as Decimal).scale : 1;
    return (i) => (values ? Number(values[i]) : Number(decimalToBigInt(data.values as Uint32Array, i)) / scale);
  }
  const common = Math.max(...types.map((t) => asDecimalType(t)?.scale ?? 0));
  const own = asDecimalType(data.type)?.scale ?? 0;
  const factor = 10n ** BigInt(common - own);
  if (isDecimalType(data.type)) return (i) => decimalToBigInt(data.values as Uint32Array, i) * factor;
  const values = data.values as ArrayLike<number | bigint>;
  return (i) => BigInt(values[i]) * factor;
}
