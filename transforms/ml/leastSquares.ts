/**
 * Ordinary least squares with an intercept: the coefficients b (b[0] the intercept) minimising
 * Σ (y − b0 − Σ b_j x_j)², from the normal equations solved by Gaussian elimination with partial
 * pivoting. Undefined when they are singular (a constant or duplicated predictor, too few rows).
 */
export function leastSquares(predictors: readonly Float64Array[], y: Float64Array): Float64Array | undefined {
  const k = predictors.length + 1;
  const n = y.length;
  if (n < k) return undefined;
  const a = new Float64Array(k * k);
  const rhs = new Float64Array(k);
  const row = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    row[0] = 1;
    for (let j = 1; j < k; j++) row[j] = predictors[j - 1][i];
    for (let r = 0; r < k; r++) {
      rhs[r] += row[r] * y[i];
      for (let c = 0; c < k; c++) a[r * k + c] += row[r] * row[c];
    }
  }
  return solve(a, rhs, k);
}

function solve(a: Float64Array, b: Float64Array, k: number): Float64Array | undefined {
  const scale = Math.max(1, ...a.map(Math.abs));
  for (let col = 0; col < k; col++) {
    let pivot = col;
    for (let r = col + 1; r < k; r++) if (Math.abs(a[r * k + col]) > Math.abs(a[pivot * k + col])) pivot = r;
    if (Math.abs(a[pivot * k + col]) <= 1e-10 * scale) return undefined;
    if (pivot !== col) {
      for (let c = 0; c < k; c++) [a[col * k + c], a[pivot * k + c]] = [a[pivot * k + c], a[col * k + c]];
      [b[col], b[pivot]] = [b[pivot], b[col]];
    }
    for (let r = col + 1; r < k; r++) {
      const f = a[r * k + col] / a[col * k + col];
      if (f === 0) continue;
      for (let c = col; c < k; c++) a[r * k + c] -= f * a[col * k + c];
      b[r] -= f * b[col];
    }
  }
  const x = new Float64Array(k);
  for (let r = k - 1; r >= 0; r--) {
    let s = b[r];
    for (let c = r + 1; c < k; c++) s -= a[r * k + c] * x[c];
    x[r] = s / a[r * k + r];
  }
  return x;
}

/** The median of the values (the mean of the middle two for an even count); undefined for none. */
export function median(values: Float64Array): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
