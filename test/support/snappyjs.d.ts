/** snappyjs ships without types: the calls the snappy codec tests make (a reference codec). */
declare module 'snappyjs' {
  export function compress(input: Uint8Array): Uint8Array;
  export function uncompress(input: Uint8Array): Uint8Array;
}
