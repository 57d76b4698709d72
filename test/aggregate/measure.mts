/**
 * Throughput of GroupBy and OrderBy (run: npx tsx test/aggregate/measure.mts). Not a test:
 * prints ms for GroupBy(segment, country) sum(amount) + count(*) over 2M rows, with the keys as
 * dictionaries and as plain utf8, and for sorting 2M int32.
 */
import { Dictionary, Field, Float64, Int32, Schema, Utf8, makeData, makeVector, type Data, type RecordBatch } from 'apache-arrow';
import { makeBatch } from '../../src/columns/take.js';
import { utf8FromStrings } from '../../src/columns/utf8.js';
import type { Chunk, TransformKernel } from '../../src/exec/Kernel.js';
import { groupByKernel } from '../../transforms/GroupBy.js';
import { orderByKernel } from '../../transforms/OrderBy.js';

const N = 2_000_000;
const BATCH = 65_536;
let seed = 42;
const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
const segments = ['retail', 'wholesale', 'online', 'partner'];
const countries = Array.from({ length: 30 }, (_, i) => `country-${String.fromCharCode(65 + (i % 26))}${i}`);
const segmentIndex = new Int32Array(N);
const countryIndex = new Int32Array(N);
const amounts = new Float64Array(N);
const amountValid = new Uint8Array(((N + 63) >> 6) << 3);
const ints = new Int32Array(N);
let nulls = 0;
for (let i = 0; i < N; i++) {
  segmentIndex[i] = Math.floor(random() * 4);
  countryIndex[i] = Math.floor(random() * 30);
  amounts[i] = Math.round(random() * 20000) / 100;
  if (random() > 0.05) amountValid[i >> 3] |= 1 << (i & 7);
  else nulls++;
  ints[i] = Math.imul(i + 1, 0x9e3779b1); // a permutation of int32: all distinct
}

const dictionaryOf = (indices: Int32Array, entries: string[]) =>
  makeData({ type: new Dictionary(new Utf8(), new Int32()), length: N, nullCount: 0, data: indices, dictionary: makeVector(utf8FromStrings(entries)) });
const plainOf = (indices: Int32Array, entries: string[]) => utf8FromStrings(Array.from(indices, (i) => entries[i]));
const amount = makeData({ type: new Float64(), length: N, nullCount: nulls, nullBitmap: amountValid, data: amounts });

function batchesOf(columns: Record<string, Data>): RecordBatch[] {
  const schema = new Schema(Object.entries(columns).map(([name, data]) => new Field(name, data.type, true)));
  const whole = makeBatch(schema, Object.values(columns), N);
  const out: RecordBatch[] = [];
  for (let start = 0; start < N; start += BATCH) out.push(whole.slice(start, Math.min(N, start + BATCH)));
  return out;
}

async function run<P>(kernel: TransformKernel<P>, params: P, batches: RecordBatch[]): Promise<number> {
  async function* stream(): AsyncIterable<Chunk> {
    for (const batch of batches) yield { batch, errors: [] };
  }
  let rows = 0;
  for await (const chunk of kernel.prepare([batches[0].schema], params).run([stream()], { label: kernel.name })) rows += chunk.batch.numRows;
  return rows;
}

async function measure(label: string, once: () => Promise<number>): Promise<void> {
  let rows = 0;
  for (let w = 0; w < 2; w++) rows = await once();
  const times: number[] = [];
  for (let r = 0; r < 5; r++) {
    const start = performance.now();
    await once();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  console.log(`${label}: median ${times[2].toFixed(1)} ms, best ${times[0].toFixed(1)} ms (${rows} output rows, ${((times[2] * 1e6) / N).toFixed(1)} ns/row)`);
}

const groupBy = { keys: ['segment', 'country'], aggregations: [{ name: 'total', fn: 'sum' as const, column: 'amount' }, { name: 'rows', fn: 'count' as const }] };
const dictionaryBatches = batchesOf({ segment: dictionaryOf(segmentIndex, segments), country: dictionaryOf(countryIndex, countries), amount });
const plainBatches = batchesOf({ segment: plainOf(segmentIndex, segments), country: plainOf(countryIndex, countries), amount });
const intBatches = batchesOf({ k: makeData({ type: new Int32(), length: N, nullCount: 0, data: ints }) });
const countryOnly = batchesOf({ country: plainOf(countryIndex, countries), amount });

await measure('GroupBy 2M rows, dictionary keys (segment, country), sum(amount) + count(*)', () => run(groupByKernel, groupBy, dictionaryBatches));
await measure('GroupBy 2M rows, utf8 keys (segment, country), sum(amount) + count(*)', () => run(groupByKernel, groupBy, plainBatches));
await measure('GroupBy 2M rows, one utf8 key (country), sum(amount) + count(*)', () => run(groupByKernel, { keys: ['country'], aggregations: groupBy.aggregations }, countryOnly));
await measure('GroupBy 2M rows, int32 key (~2M distinct), count(*)', () => run(groupByKernel, { keys: ['k'], aggregations: [{ name: 'n', fn: 'count' as const }] }, intBatches));
await measure('OrderBy 2M int32 (31 batches in, 31 out)', () => run(orderByKernel, { keys: [{ column: 'k' }] }, intBatches));
await measure('OrderBy 2M rows by (segment, country desc) utf8 + amount', () => run(orderByKernel, { keys: [{ column: 'segment' }, { column: 'country', descending: true }] }, plainBatches));
