/** picomatch ships without types: the one call sluice makes. */
declare module 'picomatch' {
  function picomatch(glob: string, options?: { dot?: boolean }): (input: string) => boolean;
  export default picomatch;
}
