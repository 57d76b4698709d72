/** A command line sluice cannot act on: unknown verb or flag, missing argument. Exit code 2. */
export class UsageError extends Error {
  /** The verb whose help the message points to, when known. */
  constructor(message: string, readonly verb?: string) {
    super(message);
    this.name = 'UsageError';
  }
}
