import type { SerDeInfo } from '@aws-sdk/client-glue';

/** A table's InputFormat, OutputFormat and SerDe, as a Glue crawler writes them for a classification. */
export interface StorageFormat {
  InputFormat: string;
  OutputFormat: string;
  SerdeInfo: SerDeInfo;
}

const TEXT_INPUT = 'org.apache.hadoop.mapred.TextInputFormat';
const TEXT_OUTPUT = 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat';

/**
 * The storage classes per classification: CSV as LazySimpleSerDe with `field.delim` (Glue's
 * built-in CSV tables), JSON as the OpenX JSON SerDe with `paths`, Parquet and Avro as Hive's, and
 * XML as the Hive XML SerDe with the row tag. `facts` are the classification's Parameters.
 */
export function storageFormat(classification: string, facts: Record<string, string>, columns: readonly string[]): StorageFormat {
  switch (classification) {
    case 'csv':
      return {
        InputFormat: TEXT_INPUT,
        OutputFormat: TEXT_OUTPUT,
        SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe', Parameters: { 'field.delim': facts.delimiter ?? ',' } },
      };
    case 'json':
      return {
        InputFormat: TEXT_INPUT,
        OutputFormat: TEXT_OUTPUT,
        SerdeInfo: { SerializationLibrary: 'org.openx.data.jsonserde.JsonSerDe', Parameters: { paths: columns.join(',') } },
      };
    case 'parquet':
      return {
        InputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
        OutputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
        SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe', Parameters: { 'serialization.format': '1' } },
      };
    case 'avro':
      return {
        InputFormat: 'org.apache.hadoop.hive.ql.io.avro.AvroContainerInputFormat',
        OutputFormat: 'org.apache.hadoop.hive.ql.io.avro.AvroContainerOutputFormat',
        SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.serde2.avro.AvroSerDe', Parameters: { 'avro.schema.literal': facts['avro.schema.literal'] ?? '' } },
      };
    default: {
      const rowTag = facts.rowTag ?? '';
      return {
        InputFormat: 'com.ibm.spss.hive.serde2.xml.XmlInputFormat',
        OutputFormat: 'org.apache.hadoop.hive.ql.io.IgnoreKeyTextOutputFormat',
        SerdeInfo: { SerializationLibrary: 'com.ibm.spss.hive.serde2.xml.XmlSerDe', Parameters: { 'xmlinput.start': `<${rowTag}`, 'xmlinput.end': `</${rowTag}>` } },
      };
    }
  }
}
