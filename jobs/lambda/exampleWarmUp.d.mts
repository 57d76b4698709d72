// Types for exampleWarmUp.mjs (a plain build script), for its TypeScript callers (test/lambda/bundle.test.ts).

/** A handler invocation run before a code cache is made: `{dir}` in an env value is a fresh temp folder. */
export interface WarmUp {
  event: unknown;
  env?: Record<string, string>;
  export?: string;
}

/** Writes the example's warm-up sample under `dir` and returns the warm-up (sample event, env). */
export declare function exampleWarmUp(dir: string): WarmUp;
