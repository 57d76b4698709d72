/** The embedded Data Catalog's public names (src/index.ts re-exports them one by one). */
export { Catalog, type BatchCreatePartitionResult, type BatchUpdatePartitionResult, type PartitionUpdateEntry } from './Catalog.js';
export { AlreadyExistsError, ConcurrentModificationError, EntityNotFoundError } from './catalogErrors.js';
export type { UpdateBehavior } from './catalogUpdate.js';
