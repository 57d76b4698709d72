import type { Field } from 'apache-arrow';
import type { FileSample } from './sampleFile.js';

/** What a classifier says of one file (certainty 1.0; a classifier that is not sure returns undefined). */
export interface Classification {
  /** Glue's `classification`: `csv`, `json`, `parquet`, `avro`, `xml` (or a custom classifier's name for XML). */
  classification: string;
  /** The columns, as Arrow fields with the data's names. */
  fields: Field[];
  /** Records in the sample and their (decompressed) bytes: recordCount and averageRecordSize are estimated from them. */
  sampleRecords: number;
  sampleBytes: number;
  /** The file's record count when known exactly (a Parquet footer, a file sampled whole). */
  exactRecords?: number;
  /**
   * Format facts a table keeps in its Parameters (`delimiter`, `skip.header.line.count`, `rowTag`,
   * `jsonPath`…); files whose facts differ never share a table.
   */
  parameters: Record<string, string>;
  /** Two files' columns of the same name but different types: text formats read both as string, binary ones cannot. */
  conflicts: 'string' | 'conflict';
}

/** One classifier: certain (a Classification) or not (undefined). */
export type Classifier = (sample: FileSample) => Promise<Classification | undefined> | Classification | undefined;

/** The text of a sample, without a UTF-8 BOM. */
export function sampleText(sample: FileSample): string {
  const bytes = sample.text[0] === 0xef && sample.text[1] === 0xbb && sample.text[2] === 0xbf ? sample.text.subarray(3) : sample.text;
  return new TextDecoder('utf-8').decode(bytes);
}
