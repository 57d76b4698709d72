import type { JsonOptions } from './jsonReader.js';

/** Whether the options read each file as one JSON document (not JSON lines). */
export const isJsonDocument = (options: JsonOptions): boolean => (options.format ?? (options.jsonPath || (options.multiLine ?? options.multiline) === true ? 'document' : 'lines')) === 'document';
