/**
 * Raw snappy for Parquet pages, loaded once: the native addon where it loads (its compress runs on
 * libuv's pool, ~3× faster than JS), else the pure-JS snappyjs, which bundles — a Lambda bundle
 * leaves the addon out (esbuild cannot bundle .node files) and keeps the built-in encoder and
 * decoder. Shared by the encoder (encode/compress.ts) and the flat decoder (decode/decompress.ts).
 */
export interface SnappyCodec {
  compress(page: Uint8Array): Promise<Uint8Array>;
  uncompressSync(page: Uint8Array): Uint8Array;
}

let loaded: Promise<SnappyCodec> | undefined;

export function snappyCodec(): Promise<SnappyCodec> {
  return (loaded ??= load());
}

async function load(): Promise<SnappyCodec> {
  try {
    const snappy = await import('snappy');
    return { compress: (page) => snappy.compress(page), uncompressSync: (page) => snappy.uncompressSync(page, { asBuffer: true }) as Buffer };
  } catch {
    // A CommonJS module: bundlers may give its exports only as `default`.
    const module = (await import('snappyjs')) as typeof import('snappyjs') & { default?: typeof import('snappyjs') };
    const js = typeof module.compress === 'function' ? module : module.default!;
    return { compress: async (page) => js.compress(page), uncompressSync: (page) => js.uncompress(page) };
  }
}
