/** Aggregate functions SQL knows (GROUP BY and OVER); those not yet computed fail at compile time, naming themselves. */
export const AGGREGATE_FUNCTIONS = new Set([
  'count', 'sum', 'avg', 'mean', 'min', 'max', 'collect_list', 'collect_set', 'approx_count_distinct', 'percentile_approx', 'approx_percentile', 'percentile',
  'stddev', 'stddev_samp', 'stddev_pop', 'variance', 'var_samp', 'var_pop', 'first', 'last', 'max_by', 'min_by',
  'count_if', 'any_value', 'bool_and', 'bool_or', 'every', 'some', 'any', 'grouping', 'grouping_id',
]);

/** Functions that exist only over a window. */
export const WINDOW_FUNCTIONS = new Set([
  'row_number', 'rank', 'dense_rank', 'percent_rank', 'ntile', 'lag', 'lead', 'first_value', 'last_value', 'cume_dist',
]);
