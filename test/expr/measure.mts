/**
 * Throughput of the evaluator's hot paths (run: npx tsx test/expr/measure.mts).
 * Not a test: prints ns/row for a dictionary + float64 filter and for year(ts) over 2M rows.
 */
import { Dictionary, Float64, Int32, makeData, RecordBatch, Schema, Field, TimestampMicrosecond, Utf8, Struct, vectorFromArray } from 'apache-arrow';
import { evaluate, evaluatePredicate, expr } from '../../src/expr/index.js';

const N = 2_000_000;
const countries = vectorFromArray(['DE', 'FR', 'US', 'GB', 'IT', 'ES', 'NL', 'PL'], new Utf8());
const indices = new Int32Array(N);
const amounts = new Float64Array(N);
const amountValid = new Uint8Array(((N + 63) >> 6) << 3);
const ts = new BigInt64Array(N);
let seed = 42;
const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
for (let i = 0; i < N; i++) {
  indices[i] = Math.floor(random() * 8);
  amounts[i] = random() * 200;
  if (random() > 0.05) amountValid[i >> 3] |= 1 << (i & 7);
  ts[i] = BigInt(Math.floor((random() * 2 - 0.5) * 1.7e15));
}
const country = makeData({ type: new Dictionary(new Utf8(), new Int32()), length: N, data: indices, dictionary: countries });
const amount = makeData({ type: new Float64(), length: N, nullBitmap: amountValid, data: amounts });
const tsData = makeData({ type: new TimestampMicrosecond('UTC'), length: N, data: ts });
const schema = new Schema([new Field('country', country.type), new Field('amount', amount.type), new Field('ts', tsData.type)]);
const batch = new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: N, children: [country, amount, tsData] }));

function measure(label: string, run: () => unknown): void {
  for (let w = 0; w < 3; w++) run();
  const rounds = 10;
  const start = process.hrtime.bigint();
  for (let r = 0; r < rounds; r++) run();
  const ns = Number(process.hrtime.bigint() - start) / rounds / N;
  console.log(`${label}: ${ns.toFixed(2)} ns/row`);
}

const filter = expr("country = 'DE' AND amount > 100").node;
measure("evaluatePredicate(country = 'DE' AND amount > 100)", () => evaluatePredicate(filter, batch));
measure("evaluate(country = 'DE' AND amount > 100)", () => evaluate(filter, batch));
measure("evaluate(year(ts))", () => evaluate(expr('year(ts)').node, batch));
measure("evaluate(amount * 2 + 1)", () => evaluate(expr('amount * 2 + 1').node, batch));
