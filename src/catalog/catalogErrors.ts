import { SluiceError } from '../types/ErrorRecord.js';

/** Glue's AlreadyExistsException: a database, table or partition of that name is already there. */
export class AlreadyExistsError extends SluiceError {
  constructor(message: string) {
    super(message);
    this.name = 'AlreadyExistsException';
  }
}

/** Glue's EntityNotFoundException: no database or table of that name. */
export class EntityNotFoundError extends SluiceError {
  constructor(message: string) {
    super(message);
    this.name = 'EntityNotFoundException';
  }
}

/** Glue's ConcurrentModificationException: the table changed since the version the caller read. */
export class ConcurrentModificationError extends SluiceError {
  constructor(message: string) {
    super(message);
    this.name = 'ConcurrentModificationException';
  }
}
