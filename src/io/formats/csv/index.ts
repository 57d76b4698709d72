export { csvReader, inferCsvFileSchema, readCsvFile } from './csvReader.js';
export { parseCsvBytes, DEFAULT_BATCH_SIZE, type CsvByteSourceOptions, type CsvReadChunk } from './parseCsvBytes.js';
export { inferCsvSchema, type InferCsvOptions } from './inferCsvSchema.js';
export { resolveCsvOptions, type CsvMode, type CsvOptions, type ResolvedCsvOptions } from './CsvOptions.js';
