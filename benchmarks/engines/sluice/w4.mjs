// W4: scan this engine's own W1 Parquet, keep country = 'DE' AND amount > 100, count.
import { sluice, outputOf, result } from './common.mjs';

const count = await sluice.read.parquet(outputOf('sluice', 'w1'))
  .filter("country = 'DE' AND amount > 100")
  .count();
result({ engine: 'sluice', workload: 'w4', count });
