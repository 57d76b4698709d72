/**
 * `sluice/lambda`: run a sluice job in AWS Lambda on S3 object-created events (docs/lambda.md).
 */
export { createS3EventHandler } from './createS3EventHandler.js';
export type { LambdaContext, S3EventHandler, S3EventHandlerOptions, S3EventSummary, S3JobContext, S3JobFunction } from './handlerTypes.js';
export { decodeS3EventKey, s3ObjectsOf } from './s3Events.js';
export type { IgnoredRecord, S3EventObjects, S3ObjectRef } from './s3Events.js';
export { objectId, objectVersion } from './objectLedger.js';
