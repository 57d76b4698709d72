// W6 on a sluice-written copy of orders_by_amount.parquet (DuckDB writes no page index; sluice's
// row groups hold 1M rows, so only the page index skips within them): keep amount > 497.5, count.
// The copy is written on the first run (bench-out/sluice/w6-sorted/), then reused.
import fs from 'node:fs';
import path from 'node:path';
import { sluice, outputOf, result } from './common.mjs';
import { ORDERS_BY_AMOUNT, W6_MIN_AMOUNT } from '../../lib/paths.mjs';

const dir = outputOf('sluice', 'w6-sorted');
if (!fs.existsSync(path.join(dir, '_SUCCESS'))) {
  await sluice.read.parquet(ORDERS_BY_AMOUNT).write.parquet(dir, { compression: 'snappy', mode: 'overwrite' });
}
const count = await sluice.read.parquet(dir).filter(`amount > ${W6_MIN_AMOUNT}`).count();
result({ engine: 'sluice', workload: 'w6-sorted', count });
