import { SluiceError } from '../../../types/ErrorRecord.js';

/** The encodings a text file may be read in, by their canonical names. */
export type TextEncodingName = 'utf-8' | 'iso-8859-1' | 'windows-1252' | 'utf-16le' | 'utf-16be';

const ALIASES: Record<string, TextEncodingName> = {
  'utf-8': 'utf-8', utf8: 'utf-8',
  'iso-8859-1': 'iso-8859-1', 'iso8859-1': 'iso-8859-1', 'iso_8859_1': 'iso-8859-1', latin1: 'iso-8859-1', 'latin-1': 'iso-8859-1', 'l1': 'iso-8859-1',
  'windows-1252': 'windows-1252', cp1252: 'windows-1252', 'cp-1252': 'windows-1252',
  'utf-16le': 'utf-16le', utf16le: 'utf-16le',
  'utf-16be': 'utf-16be', utf16be: 'utf-16be',
  'utf-16': 'utf-16le', utf16: 'utf-16le',
};

/** The accepted names, for messages and docs. */
export const ENCODING_NAMES = ['utf-8', 'iso-8859-1 (latin1)', 'windows-1252 (cp1252)', 'utf-16le', 'utf-16be', 'utf-16 (BOM, else little-endian)'];

/**
 * The canonical encoding of an option value (case-insensitive; Spark's and Java's names such as
 * `ISO-8859-1`, `UTF-16LE`, `Cp1252` are accepted). Undefined means utf-8 with BOM detection.
 */
export function canonicalEncoding(name: string | undefined, label = 'encoding'): TextEncodingName | undefined {
  if (name === undefined) return undefined;
  const found = ALIASES[name.trim().toLowerCase()];
  if (!found) throw new SluiceError(`option ${label} must be one of ${ENCODING_NAMES.join(', ')}; got '${name}'`);
  return found;
}

/** Whether byte offsets in the file are record boundaries after a '\n' byte (not UTF-16). */
export function isByteSplittableEncoding(name: string | undefined): boolean {
  const e = canonicalEncoding(name);
  return e !== 'utf-16le' && e !== 'utf-16be';
}

/** The encoding a file's first bytes announce by a byte-order mark, if any. */
export function bomEncoding(head: Uint8Array): TextEncodingName | undefined {
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8';
  return undefined;
}

/** ISO-8859-1 to UTF-8: every byte is its own code point (0x80-0x9f stay C1 controls). */
function latin1ToUtf8(chunk: Uint8Array): Uint8Array {
  let high = 0;
  for (let i = 0; i < chunk.length; i++) if (chunk[i] >= 0x80) high++;
  if (high === 0) return chunk;
  const out = new Uint8Array(chunk.length + high);
  let n = 0;
  for (let i = 0; i < chunk.length; i++) {
    const b = chunk[i];
    if (b < 0x80) out[n++] = b;
    else {
      out[n++] = 0xc0 | (b >> 6);
      out[n++] = 0x80 | (b & 0x3f);
    }
  }
  return out;
}

const encoder = new TextEncoder();

/**
 * A file's bytes as UTF-8, for the CSV scanner (which stays byte-level). UTF-8 passes through
 * untouched (its BOM is skipped by the scanner; invalid bytes are reported by the reader);
 * other encodings are decoded chunk by chunk (a character cut by a chunk end is carried over).
 * With no encoding given, a UTF-16 BOM switches to UTF-16. `atFileStart` false (a byte range in
 * the middle of a file) disables BOM detection.
 */
export async function* toUtf8(bytes: AsyncIterable<Uint8Array>, encoding: string | undefined, atFileStart = true): AsyncGenerator<Uint8Array> {
  let chosen = canonicalEncoding(encoding);
  let decoder: InstanceType<typeof TextDecoder> | undefined;
  let first = atFileStart;
  for await (const chunk of bytes) {
    if (first) {
      first = false;
      const bom = bomEncoding(chunk);
      if (chosen === undefined && (bom === 'utf-16le' || bom === 'utf-16be')) chosen = bom;
    }
    if (chosen === undefined || chosen === 'utf-8') {
      yield chunk;
      continue;
    }
    if (chosen === 'iso-8859-1') {
      yield latin1ToUtf8(chunk);
      continue;
    }
    decoder ??= new TextDecoder(chosen);
    const text = decoder.decode(chunk, { stream: true });
    if (text.length > 0) yield encoder.encode(text);
  }
  if (decoder) {
    const rest = decoder.decode();
    if (rest.length > 0) yield encoder.encode(rest);
  }
}
