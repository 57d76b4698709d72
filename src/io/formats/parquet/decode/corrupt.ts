/**
 * Bytes of a column chunk that do not decode: the flat reader names the file, row group and
 * column around it (flatReader.ts) and turns it into a SluiceError.
 */
export class CorruptChunk extends Error {}

export function corrupt(message: string): never {
  throw new CorruptChunk(message);
}
