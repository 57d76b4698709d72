import type { StorageDescriptor } from '@aws-sdk/client-glue';
import { grokStorage, storageOfFormat } from '../tableStorage.js';
import { GROK_CUSTOM_PATTERNS, GROK_FORMAT } from './grokClassifier.js';

/** A table's InputFormat, OutputFormat and SerDe. */
export type StorageFormat = Pick<StorageDescriptor, 'InputFormat' | 'OutputFormat' | 'SerdeInfo'>;

/**
 * The storage classes of a crawled classification: the catalog's own per format (tableStorage.ts,
 * the same that sinks register), with what a crawler adds to the SerDe: CSV's `field.delim`,
 * JSON's `paths` (the columns), Avro's `avro.schema.literal`. A custom XML classification is XML;
 * a grok classification is GrokSerDe with its pattern.
 * `facts` are the classification's Parameters.
 */
export function storageFormat(classification: string, facts: Record<string, string>, columns: readonly string[]): StorageFormat {
  if (facts[GROK_FORMAT] !== undefined) return grokStorage(facts[GROK_FORMAT], facts[GROK_CUSTOM_PATTERNS]);
  const format = facts.rowTag !== undefined ? 'xml' : classification;
  const { storage } = storageOfFormat(format, format === 'csv' ? { separator: facts.delimiter ?? ',' } : {});
  const serde = storage.SerdeInfo ?? {};
  if (format === 'json') return { ...storage, SerdeInfo: { ...serde, Parameters: { ...serde.Parameters, paths: columns.join(',') } } };
  if (format === 'avro') return { ...storage, SerdeInfo: { ...serde, Parameters: { ...serde.Parameters, 'avro.schema.literal': facts['avro.schema.literal'] ?? '' } } };
  return storage;
}
