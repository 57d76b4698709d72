// Types for bundle.mjs (a plain build script, run by node without a compile step), so that
// TypeScript callers such as test/lambda/bundle.test.ts are type-checked against it.
import type { BuildResult, Plugin } from 'esbuild';

/** Defines `require`, `__filename` and `__dirname` at the top of the ESM bundle. */
export declare const ESM_BANNER: string;

/** Bundles `entry` into `outdir/index.mjs` and copies parquet-wasm's .wasm beside it. */
export declare function bundleHandler(options: { entry: string; outdir: string; plugins?: Plugin[] }): Promise<BuildResult>;
