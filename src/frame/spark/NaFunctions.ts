import type { DataFrame, Row } from '../DataFrame.js';
import * as T from '../../../transforms/index.js';
import type { FillValue, NaDropParams } from '../../../transforms/index.js';

/**
 * Spark's `df.na`: missing-value handling (`DataFrameNaFunctions`). Null and, in float columns,
 * NaN count as missing, as in Spark.
 */
export class NaFunctions<T extends Row = Row> {
  constructor(private readonly frame: DataFrame<T>) {}

  /**
   * Replaces missing values (Spark: `na.fill`, `fillna`). One value fills every column of its kind
   * (a number the numeric columns, cast to each column's type; a string the string columns; a
   * boolean the boolean ones), or only `subset`; a record fills the named columns.
   *
   * @example
   * ```ts
   * df.na.fill(0);                          // numeric columns
   * df.na.fill('unknown', ['country']);
   * df.na.fill({ amount: 0, country: 'n/a' });
   * ```
   */
  fill(value: FillValue | Record<string, FillValue>, subset?: string | string[]): DataFrame<T> {
    const columns = typeof subset === 'string' ? [subset] : subset;
    return T.NaFill.apply({ frame: this.frame, value, ...(columns ? { subset: columns } : {}) }) as unknown as DataFrame<T>;
  }

  /**
   * Drops rows with missing values (Spark: `na.drop`, `dropna`).
   *
   * @param options `'any'` (default: a missing value anywhere drops the row) or `'all'` (only rows
   *   missing everywhere), or `{ how, thresh, subset }`: `thresh` keeps rows with at least that many
   *   present values, `subset` the columns looked at.
   * @example
   * ```ts
   * df.na.drop();
   * df.na.drop({ how: 'all', subset: ['email', 'phone'] });
   * ```
   */
  drop(options: 'any' | 'all' | NaDropParams = {}): DataFrame<T> {
    const params = typeof options === 'string' ? { how: options } : options;
    return T.NaDrop.apply({ frame: this.frame, ...params }) as unknown as DataFrame<T>;
  }
}
