// W6: scan the orders sorted by amount (one Parquet file, 65,536-row groups), keep amount > 497.5, count.
import { sluice, result } from './common.mjs';
import { ORDERS_BY_AMOUNT, W6_MIN_AMOUNT } from '../../lib/paths.mjs';

const count = await sluice.read.parquet(ORDERS_BY_AMOUNT).filter(`amount > ${W6_MIN_AMOUNT}`).count();
result({ engine: 'sluice', workload: 'w6', count });
