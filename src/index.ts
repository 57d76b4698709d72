/**
 * sluice: Glue-style ETL on Apache Arrow. The one public entry point.
 */
export { DataFrame, DynamicFrame, type Row, type ErrorRow } from './frame/DataFrame.js';
export { read, readFrame, type ReadSpec } from './frame/read.js';
export type { WriteSpec, WriteSummary } from './frame/DataFrameWriter.js';
export type { PlanNode, NodeInfo } from './plan/PlanNode.js';
export { SluiceError, type ErrorRecord } from './types/ErrorRecord.js';
export { parseType, typeName, schemaFromSpec, schemaToSpec } from './types/typeNames.js';
export * from './expr/index.js';
export * from '../transforms/index.js';
export * from './job/index.js';
