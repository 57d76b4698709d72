// W6: scan the orders sorted by amount (one Parquet file, 65,536-row groups), keep amount > 497.5, count.
import { connect, scalar, result } from './common.mjs';
import { ORDERS_BY_AMOUNT, W6_MIN_AMOUNT } from '../../lib/paths.mjs';

const con = await connect();
const count = await scalar(con, `SELECT count(*) FROM read_parquet('${ORDERS_BY_AMOUNT}') WHERE amount > ${W6_MIN_AMOUNT}`);
result({ engine: 'duckdb', workload: 'w6', count });
