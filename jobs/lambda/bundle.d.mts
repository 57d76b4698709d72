// Types for bundle.mjs (a plain build script, run by node without a compile step), so that
// TypeScript callers such as test/lambda/bundle.test.ts are type-checked against it.
import type { BuildResult, Plugin } from 'esbuild';
import type { WarmUp } from './exampleWarmUp.mjs';

/** The Lambda memory sizes (MB) code caches are made for when none are named. */
export declare const DEFAULT_LAMBDA_MEMORY_MB: number[];

/**
 * Bundles `entry` into `outdir`: index.mjs (the loader), handler.cjs (the bundle), code-cache/
 * (V8's compiled code for a plain node here and for Lambda at each of `lambdaMemoryMB`) and
 * parquet-wasm's .wasm. `codeCache: false` makes no cache; `warmUp` runs the handler once before
 * each cache is made, so the cache holds the code an invocation runs.
 */
export declare function bundleHandler(options: { entry: string; outdir: string; plugins?: Plugin[]; codeCache?: boolean; lambdaMemoryMB?: number[]; warmUp?: WarmUp }): Promise<BuildResult>;
