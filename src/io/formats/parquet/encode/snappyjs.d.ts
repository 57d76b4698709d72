/** snappyjs ships without types: the calls sluice makes (the encoder's compress, the decoder's uncompress). */
declare module 'snappyjs' {
  export function compress(input: Uint8Array): Uint8Array;
  export function uncompress(input: Uint8Array): Uint8Array;
}
