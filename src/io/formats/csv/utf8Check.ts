/**
 * The offset of the first byte of `b[s, e)` that is not part of a well-formed UTF-8 sequence
 * (overlongs, surrogates and code points above U+10FFFF are ill-formed), or -1. Only used to
 * point at the error once `isUtf8` has said there is one.
 */
export function firstInvalidUtf8(b: Uint8Array, s: number, e: number): number {
  let p = s;
  while (p < e) {
    const c = b[p];
    if (c < 0x80) { p++; continue; }
    let need: number;
    let min: number;
    let cp: number;
    if (c >= 0xc2 && c <= 0xdf) { need = 1; min = 0x80; cp = c & 0x1f; }
    else if (c >= 0xe0 && c <= 0xef) { need = 2; min = 0x800; cp = c & 0x0f; }
    else if (c >= 0xf0 && c <= 0xf4) { need = 3; min = 0x10000; cp = c & 0x07; }
    else return p;
    if (p + need > e - 1) return p;
    for (let i = 1; i <= need; i++) {
      const d = b[p + i];
      if ((d & 0xc0) !== 0x80) return p;
      cp = (cp << 6) | (d & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return p;
    p += need + 1;
  }
  return -1;
}
