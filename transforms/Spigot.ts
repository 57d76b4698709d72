import type { RecordBatch } from 'apache-arrow';
import type { TransformKernel } from '../src/exec/Kernel.js';
import type { DataFrame, Row } from '../src/frame/DataFrame.js';
import { importSibling } from '../src/io/formats/lazy.js';
import { takeBatch } from '../src/columns/take.js';
import { SluiceError } from '../src/types/ErrorRecord.js';
import { nearestName } from '../src/types/nearestName.js';
import { nonEmptyString } from './paramSchemas.js';
import { defineTransform } from './TransformDef.js';
import type { TransformInfo } from './types.js';

/** Glue's spigot options; `seed` is sluice's, so a sample can be repeated. */
export interface SpigotOptions { topk?: number; prob?: number; seed?: number }

export interface SpigotParams { path: string; options: SpigotOptions }

const OPTION_NAMES = ['topk', 'prob', 'seed'];

/**
 * Passes every batch through unchanged and keeps a sample on the side: each row is chosen with
 * probability `prob` (a seeded generator, so a run is repeatable), the first `topk` chosen rows
 * are kept (taken column-wise per batch), and written as JSON lines to `path` (replacing what was
 * there) once the input has been read to the end.
 */
export const spigotKernel: TransformKernel<SpigotParams> = {
  name: 'Spigot',
  prepare([input], { path, options }) {
    const topk = options.topk ?? 100;
    const prob = options.prob ?? 1;
    return {
      schema: input,
      async *run([stream]) {
        const random = seededRandom(options.seed ?? 0);
        const sample: RecordBatch[] = [];
        let kept = 0;
        for await (const chunk of stream) {
          if (kept < topk) {
            const chosen: number[] = [];
            for (let i = 0; i < chunk.batch.numRows && kept + chosen.length < topk; i++) if (prob >= 1 || random() < prob) chosen.push(i);
            if (chosen.length) sample.push(takeBatch(chunk.batch, Int32Array.from(chosen)));
            kept += chosen.length;
          }
          yield chunk;
        }
        // Imported when the sample is written: DataFrame imports the transform registry, which
        // imports this file, and a static import would make that cycle order-dependent in bundles.
        const { DataFrame } = await importSibling(() => import('../src/frame/DataFrame.js'), '../src/frame/DataFrame.js', import.meta.url);
        await DataFrame.fromBatches(input, sample).write.json(path, { mode: 'overwrite' });
      },
    };
  },
};

/** mulberry32: a small, well-spread 32-bit generator; the same seed gives the same sample. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function checkOptions(options: SpigotOptions): void {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) throw new SluiceError(`Spigot options must be an object such as {"topk": 10, "prob": 0.2}, got ${JSON.stringify(options)}`);
  for (const key of Object.keys(options)) {
    if (!OPTION_NAMES.includes(key)) {
      const near = nearestName(key, OPTION_NAMES);
      throw new SluiceError(`unknown Spigot option '${key}'${near ? `; did you mean '${near}'?` : ''}; its options: ${OPTION_NAMES.join(', ')}`);
    }
  }
  const { topk, prob, seed } = options;
  if (topk !== undefined && !(Number.isInteger(topk) && topk >= 0)) throw new SluiceError(`Spigot option topk must be a whole number ≥ 0, got ${JSON.stringify(topk)}`);
  if (prob !== undefined && !(typeof prob === 'number' && prob >= 0 && prob <= 1)) throw new SluiceError(`Spigot option prob must be a number from 0 to 1, got ${JSON.stringify(prob)}`);
  if (seed !== undefined && !Number.isInteger(seed)) throw new SluiceError(`Spigot option seed must be a whole number, got ${JSON.stringify(seed)}`);
}

export const Spigot = defineTransform({
  name: 'Spigot',
  description: "Glue's Spigot: passes the frame through unchanged and writes a sample of its rows as JSON lines to path (replacing what was there), once the frame has been read to the end. options.topk (default 100) caps the sample; options.prob (default 1) is each row's chance of being chosen, from a generator seeded by options.seed (default 0; sluice's addition, so a sample can be repeated). Every action that reads the frame writes the sample again.",
  inputs: 'one',
  params: {
    properties: {
      path: nonEmptyString('the folder the sample is written to (local or s3://)'),
      options: {
        type: 'object', additionalProperties: false,
        properties: { topk: { type: 'integer', minimum: 0 }, prob: { type: 'number', minimum: 0, maximum: 1 }, seed: { type: 'integer' } },
        description: 'topk (default 100), prob (default 1), seed (default 0)',
      },
    },
    required: ['path'],
  },
  example: { path: 's3://bucket/samples/orders', options: { topk: 20, prob: 0.2 } },
  kernel: spigotKernel,
  apply(args: { frame: DataFrame<Row>; path: string; options?: SpigotOptions } & TransformInfo): DataFrame<Row> {
    if (typeof args.path !== 'string' || args.path === '') throw new SluiceError(`Spigot path must be a non-empty string, got ${JSON.stringify(args.path)}`);
    const options = args.options ?? {};
    checkOptions(options);
    return args.frame.derive('Spigot', { path: args.path, options: { ...options } }, [], args);
  },
});
