import { corrupt } from './corrupt.js';
import { lz4BlockSize, lz4DecodeBlock, lz4RawDecompress } from './lz4Block.js';

/**
 * Parquet's deprecated LZ4 codec, which writers filled three ways; read as arrow-rs reads it
 * (LZ4HadoopCodec with its fallbacks): Hadoop's framing (blocks, each after its big-endian
 * decompressed and compressed sizes: parquet-mr, arrow-rs), else the LZ4 frame format (older
 * parquet-cpp), else one raw LZ4 block.
 */
export function lz4HadoopDecompress(page: Uint8Array): Uint8Array {
  return hadoopFramed(page) ?? (isLz4Frame(page) ? lz4Frame(page) : lz4RawDecompress(page));
}

const FRAME_MAGIC = 0x184d2204;

function isLz4Frame(page: Uint8Array): boolean {
  return page.length >= 4 && new DataView(page.buffer, page.byteOffset, page.byteLength).getUint32(0, true) === FRAME_MAGIC;
}

/** Hadoop-framed blocks, or undefined when the page is not framed so (any size or block that does not add up). */
function hadoopFramed(page: Uint8Array): Uint8Array | undefined {
  const view = new DataView(page.buffer, page.byteOffset, page.byteLength);
  let total = 0;
  let at = 0;
  try {
    while (page.length - at >= 8) {
      const expected = view.getUint32(at, false);
      const compressed = view.getUint32(at + 4, false);
      at += 8;
      if (compressed > page.length - at || lz4BlockSize(page, at, at + compressed) !== expected) return undefined;
      total += expected;
      at += compressed;
    }
  } catch {
    return undefined;
  }
  if (at !== page.length || at === 0) return undefined;
  const out = new Uint8Array(total);
  let o = 0;
  for (at = 0; at < page.length; ) {
    const compressed = view.getUint32(at + 4, false);
    o = lz4DecodeBlock(page, at + 8, at + 8 + compressed, out, o);
    at += 8 + compressed;
  }
  return out;
}

/** The LZ4 frame format (lz4's Frame_format.md; checksums not verified, no dictionary), blocks dependent or not. */
function lz4Frame(page: Uint8Array): Uint8Array {
  const view = new DataView(page.buffer, page.byteOffset, page.byteLength);
  if (page.length < 7) corrupt('an LZ4 frame header runs past the end of the page');
  const flags = page[4];
  if (flags >> 6 !== 1) corrupt(`an LZ4 frame of version ${flags >> 6}`);
  if (flags & 1) corrupt('an LZ4 frame with a dictionary');
  const blockChecksum = (flags & 0x10) !== 0;
  const headerEnd = 4 + 2 + ((flags & 0x08) !== 0 ? 8 : 0) + 1;
  if (headerEnd > page.length) corrupt('an LZ4 frame header runs past the end of the page');
  // First pass: the blocks' places and the output size; a match may reach into earlier blocks.
  const blocks: number[] = [];
  let total = 0;
  let at = headerEnd;
  for (;;) {
    if (page.length - at < 4) corrupt('an LZ4 frame ends without its end mark');
    const word = view.getUint32(at, true);
    at += 4;
    if (word === 0) break;
    const size = word & 0x7fffffff;
    if (size > page.length - at) corrupt(`an LZ4 frame block of ${size} bytes runs past the end of the page`);
    const raw = (word & 0x80000000) !== 0;
    blocks.push(at, size, raw ? 1 : 0);
    total += raw ? size : lz4BlockSize(page, at, at + size, total);
    at += size + (blockChecksum ? 4 : 0);
  }
  const out = new Uint8Array(total);
  let o = 0;
  for (let k = 0; k < blocks.length; k += 3) {
    const [start, size, raw] = [blocks[k], blocks[k + 1], blocks[k + 2]];
    if (raw) {
      out.set(page.subarray(start, start + size), o);
      o += size;
    } else o = lz4DecodeBlock(page, start, start + size, out, o);
  }
  return out;
}
