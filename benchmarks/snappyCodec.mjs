// Snappy alone on real Parquet pages: every page of a snappy Parquet file (default: W1's output),
// uncompressed once, then compressed and uncompressed by sluice's JS codec, the native `snappy` addon
// and snappyjs, ROUNDS times each in one process; prints MB/s of uncompressed bytes (best and median
// round) and the compressed sizes.
//   npm run build && node benchmarks/snappyCodec.mjs [FILE] [ROUNDS=7] [CODECS=js,native,snappyjs] [BYTES]
// BYTES keeps that many bytes of the pages, spread over the columns' pages (a Lambda-sized file); with
// ROUNDS=1 and one codec, the round is cold (before V8 optimises the codec), as in a fresh Lambda.
import fs from 'node:fs';
import path from 'node:path';

const dist = (p) => new URL(`../dist/src/${p}`, import.meta.url).href;
const { SnappyCompressor } = await import(dist('io/compress/snappyCompressor.js'));
const { uncompressSnappy } = await import(dist('io/compress/snappyUncompress.js'));
const { readParquetFooter } = await import(dist('io/formats/parquet/parquetFooter.js'));
const { readPageHeader } = await import(dist('io/formats/parquet/decode/pageHeader.js'));
const native = await import('snappy');
const snappyjs = (await import('snappyjs')).default;

const W1 = new URL('../bench-out/sluice/w1/', import.meta.url).pathname;
const file = process.argv[2] || path.join(W1, fs.readdirSync(W1).find((f) => f.endsWith('.parquet')));
const ROUNDS = Number(process.argv[3] ?? 7);
const CODECS = (process.argv[4] ?? 'js,native,snappyjs').split(',');
const BYTES = Number(process.argv[5] ?? 0);

const bytes = new Uint8Array(fs.readFileSync(file));
const footer = await readParquetFooter(new Blob([bytes]), file);
const pages = [];
for (const group of footer.rowGroups) {
  for (const chunk of group.chunks) {
    const start = chunk.dictionaryPageOffset > 0 && chunk.dictionaryPageOffset < chunk.dataPageOffset ? chunk.dictionaryPageOffset : chunk.dataPageOffset;
    for (let at = start; at < start + chunk.totalCompressedSize; ) {
      const header = readPageHeader(bytes, at, bytes.length);
      const body = bytes.subarray(at + header.headerSize, at + header.headerSize + header.compressedSize);
      at += header.headerSize + header.compressedSize;
      pages.push(chunk.codec === 1 ? new Uint8Array(native.uncompressSync(body)) : body.slice());
    }
  }
}
if (BYTES > 0) {
  const each = Math.ceil(BYTES / pages.length);
  pages.splice(0, pages.length, ...pages.map((p) => p.subarray(0, each)));
}
const total = pages.reduce((n, p) => n + p.length, 0);
console.log(`${path.basename(file)}: ${pages.length} pages, ${(total / 1e6).toFixed(1)} MB uncompressed`);

const js = new SnappyCompressor();
const keep = new SnappyCompressor({ giveUpAbove: 1 });
const codecs = {
  js: { compress: (p) => js.compressView(p), uncompress: (c, n, into) => uncompressSnappy(c, n, into) },
  'js-no-give-up': { compress: (p) => keep.compressView(p), uncompress: (c, n, into) => uncompressSnappy(c, n, into) },
  native: { compress: (p) => native.compressSync(p), uncompress: (c) => native.uncompressSync(c, { asBuffer: true }) },
  snappyjs: { compress: (p) => snappyjs.compress(p), uncompress: (c) => snappyjs.uncompress(c) },
};
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
for (const name of CODECS) {
  const codec = codecs[name];
  let t0 = process.hrtime.bigint();
  const compressed = pages.map((p) => codec.compress(p).slice());
  const coldCompress = Number(process.hrtime.bigint() - t0) / 1e6;
  const size = compressed.reduce((n, c) => n + c.length, 0);
  const into = { bytes: new Uint8Array(0) };
  t0 = process.hrtime.bigint();
  for (let k = 0; k < pages.length; k++) codec.uncompress(compressed[k], pages[k].length, { bytes: new Uint8Array(0) });
  const coldUncompress = Number(process.hrtime.bigint() - t0) / 1e6;
  for (let k = 0; k < pages.length; k++) {
    const back = uncompressSnappy(compressed[k], pages[k].length);
    if (Buffer.compare(back, pages[k]) !== 0) throw new Error(`${name}: page ${k} does not round-trip`);
  }
  const c = [];
  const u = [];
  for (let r = 0; r < ROUNDS; r++) {
    let t = process.hrtime.bigint();
    for (const p of pages) codec.compress(p);
    c.push(Number(process.hrtime.bigint() - t) / 1e6);
    t = process.hrtime.bigint();
    for (let k = 0; k < pages.length; k++) codec.uncompress(compressed[k], pages[k].length, into);
    u.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  const mbs = (ms) => (total / 1e3 / ms).toFixed(0);
  console.log(`${name.padEnd(14)} ${(size / 1e6).toFixed(2)} MB (${((100 * size) / total).toFixed(1)}%)  compress ${mbs(median(c))} MB/s (best ${mbs(Math.min(...c))})  uncompress ${mbs(median(u))} MB/s (best ${mbs(Math.min(...u))})  first pass (cold) ${coldCompress.toFixed(1)} + ${coldUncompress.toFixed(1)} ms`);
}
