/** snappyjs ships without types: the one call sluice makes. */
declare module 'snappyjs' {
  export function compress(input: Uint8Array): Uint8Array;
}
