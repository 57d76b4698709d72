// W4: scan this engine's own W1 Parquet, keep country = 'DE' AND amount > 100, count.
import { connect, scalar, outputOf, result } from './common.mjs';

const con = await connect();
const count = await scalar(con, `SELECT count(*) FROM read_parquet('${outputOf('duckdb', 'w1')}/*.parquet')
  WHERE country = 'DE' AND amount > 100`);
result({ engine: 'duckdb', workload: 'w4', count });
