/** unbzip2-stream's block decoder and bit reader ship without types: the calls sluice makes (io/bzip2Decoder.ts). */
declare module 'unbzip2-stream/lib/bit_iterator.js' {
  interface BitReader {
    (n: number | null): number;
    bytesRead: number;
  }
  function bitIterator(next: () => Uint8Array | undefined): BitReader;
  export default bitIterator;
}

declare module 'unbzip2-stream/lib/bzip2.js' {
  import type bitIterator from 'unbzip2-stream/lib/bit_iterator.js';
  type BitReader = ReturnType<typeof bitIterator>;
  const bzip2: {
    /** Reads a stream header ("BZh" and the level); returns the level 1–9. */
    header(bits: BitReader): number;
    /** Decodes one block through `sink`, byte by byte; null at the end-of-stream marker. */
    decompress(bits: BitReader, sink: (byte: number) => void, buf: Int32Array, bufsize: number, streamCRC: number): number | null;
  };
  export default bzip2;
}
