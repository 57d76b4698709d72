// The warm-up bundle.mjs gives the example handler (handler.ts) when it makes the bundle's code
// caches: jobs/lambda/sample-event.json over a small orders CSV written here, so the cache holds
// the code of the CSV reader, the filter, the Parquet writer and the bookmarked commit.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const STATUSES = ['paid', 'pending', 'shipped', 'cancelled'];
const COUNTRIES = ['CZ', 'DE', 'US', 'CA', 'FR'];

/**
 * Writes `<dir>/buckets/demo-data/orders.csv` (the object the sample event names; 500 orders over
 * a year, some without an amount) and returns the warm-up: the sample event, the handler's env.
 */
export function exampleWarmUp(dir) {
  const lines = ['order_id,customer_id,ts,amount,status,country,note'];
  for (let i = 1; i <= 500; i++) {
    const month = String((i % 12) + 1).padStart(2, '0');
    const amount = i % 17 === 0 ? '' : ((i * 37) % 1000 / 10).toFixed(2);
    lines.push(`${i},${1000 + (i % 97)},2024-${month}-${String((i % 28) + 1).padStart(2, '0')}T10:${String(i % 60).padStart(2, '0')}:00Z,${amount},${STATUSES[i % 4]},${COUNTRIES[i % 5]},"note ${i}"`);
  }
  const buckets = join(dir, 'buckets');
  mkdirSync(join(buckets, 'demo-data'), { recursive: true });
  writeFileSync(join(buckets, 'demo-data', 'orders.csv'), `${lines.join('\n')}\n`);
  const event = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'sample-event.json'), 'utf8'));
  return { event, env: { SLUICE_LOCAL_S3: buckets, LAKE_PATH: '{dir}/lake', SLUICE_STATE_DIR: '{dir}/state', SLUICE_SOURCES: 's3://demo-data/' } };
}
