import type { StorageDescriptor, Table } from '@aws-sdk/client-glue';
import { SluiceError } from '../types/ErrorRecord.js';

/** The Hive classes a Glue table names for each format, as crawlers and Glue's sinks write them. */
const TEXT_INPUT = 'org.apache.hadoop.mapred.TextInputFormat';
const TEXT_OUTPUT = 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat';
const STORAGE: Record<string, Pick<StorageDescriptor, 'InputFormat' | 'OutputFormat' | 'SerdeInfo'>> = {
  csv: { InputFormat: TEXT_INPUT, OutputFormat: TEXT_OUTPUT, SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe' } },
  json: { InputFormat: TEXT_INPUT, OutputFormat: TEXT_OUTPUT, SerdeInfo: { SerializationLibrary: 'org.openx.data.jsonserde.JsonSerDe' } },
  parquet: {
    InputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
    OutputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
    SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe', Parameters: { 'serialization.format': '1' } },
  },
  avro: {
    InputFormat: 'org.apache.hadoop.hive.ql.io.avro.AvroContainerInputFormat',
    OutputFormat: 'org.apache.hadoop.hive.ql.io.avro.AvroContainerOutputFormat',
    SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.serde2.avro.AvroSerDe' },
  },
  xml: { InputFormat: 'com.amazonaws.glue.hadoop.XmlInputFormat', OutputFormat: TEXT_OUTPUT, SerdeInfo: {} },
};

/** Glue's SerDe for tables its grok classifiers make; its parameters hold the pattern. */
const GROK_SERDE = 'com.amazonaws.glue.serde.GrokSerDe';

/** The storage of a table of log lines read by a grok pattern (`input.format`, `input.grokCustomPatterns`), as Glue's crawlers write it. */
export function grokStorage(pattern: string, customPatterns?: string): Pick<StorageDescriptor, 'InputFormat' | 'OutputFormat' | 'SerdeInfo'> {
  return {
    InputFormat: TEXT_INPUT,
    OutputFormat: TEXT_OUTPUT,
    SerdeInfo: { SerializationLibrary: GROK_SERDE, Parameters: { 'input.format': pattern, ...(customPatterns ? { 'input.grokCustomPatterns': customPatterns } : {}) } },
  };
}

/** A table's classification: its `classification` parameter, else what its SerDe and input format say. */
export function classificationOf(table: Table): string | undefined {
  const given = table.Parameters?.classification ?? table.StorageDescriptor?.Parameters?.classification;
  if (given) return given.toLowerCase();
  const sd = table.StorageDescriptor ?? {};
  const serde = sd.SerdeInfo?.SerializationLibrary ?? '';
  if (/parquet/i.test(sd.InputFormat ?? '') || /parquet/i.test(serde)) return 'parquet';
  if (/avro/i.test(sd.InputFormat ?? '') || /avro/i.test(serde)) return 'avro';
  if (/json/i.test(serde)) return 'json';
  if (/xml/i.test(sd.InputFormat ?? '')) return 'xml';
  if (/LazySimpleSerDe|OpenCSVSerde/i.test(serde)) return 'csv';
  return undefined;
}

/**
 * How sluice reads a catalog table's files: the format and its read options from the table's
 * classification and SerDe parameters (CSV: `field.delim`/`delimiter` and
 * `skip.header.line.count`; XML: `rowTag`).
 */
export function readFormatOf(table: Table): { format: string; formatOptions: Record<string, unknown> } {
  const classification = classificationOf(table);
  const name = `${table.DatabaseName}.${table.Name}`;
  if (!classification) throw new SluiceError(`Table ${name} has no classification parameter and no SerDe sluice reads; set Parameters.classification (csv, json, parquet, avro, xml)`);
  const parameters = { ...table.StorageDescriptor?.SerdeInfo?.Parameters, ...table.StorageDescriptor?.Parameters, ...table.Parameters };
  // A grok classifier names its own classification (`apache-logs`): the SerDe says how to read it.
  if (table.StorageDescriptor?.SerdeInfo?.SerializationLibrary === GROK_SERDE) {
    const logFormat = parameters['input.format'];
    if (!logFormat) throw new SluiceError(`Table ${name} uses GrokSerDe but its SerDe parameters name no input.format (the grok pattern)`);
    const customPatterns = parameters['input.grokCustomPatterns'];
    return { format: 'grokLog', formatOptions: { logFormat, ...(customPatterns ? { customPatterns } : {}) } };
  }
  switch (classification) {
    case 'csv': {
      const separator = parameters['field.delim'] ?? parameters.separatorChar ?? parameters.delimiter ?? ',';
      const quote = parameters.quoteChar;
      return {
        format: 'csv',
        formatOptions: {
          withHeader: Number(parameters['skip.header.line.count'] ?? '0') >= 1,
          separator,
          ...(quote ? { quoteChar: quote } : {}),
        },
      };
    }
    case 'json': case 'parquet': case 'avro':
      return { format: classification, formatOptions: {} };
    case 'glueparquet':
      return { format: 'parquet', formatOptions: {} };
    case 'xml': {
      const rowTag = parameters.rowTag;
      if (!rowTag) throw new SluiceError(`Table ${name} is XML but names no rowTag parameter`);
      return { format: 'xml', formatOptions: { rowTag } };
    }
    default:
      throw new SluiceError(`Table ${name} is classified '${classification}', which sluice does not read; it reads csv, json, parquet, avro and xml`);
  }
}

/**
 * The StorageDescriptor and table parameters a sink writing `format` registers, as Glue's
 * `enableUpdateCatalog` sinks do (classification, and for CSV the delimiter and header line).
 */
export function storageOfFormat(format: string, formatOptions: Record<string, unknown> = {}): { storage: Pick<StorageDescriptor, 'InputFormat' | 'OutputFormat' | 'SerdeInfo'>; parameters: Record<string, string> } {
  const classification = format === 'glueparquet' ? 'parquet' : format;
  const storage = STORAGE[classification];
  if (!storage) throw new SluiceError(`A catalog table cannot be written as '${format}': Glue updates the catalog for csv, json, parquet and avro sinks`);
  if (classification !== 'csv') return { storage, parameters: { classification } };
  const separator = String(formatOptions.separator ?? ',');
  const header = formatOptions.writeHeader ?? formatOptions.header ?? true;
  return {
    storage: { ...storage, SerdeInfo: { ...storage.SerdeInfo, Parameters: { 'field.delim': separator } } },
    parameters: { classification, delimiter: separator, ...(header ? { 'skip.header.line.count': '1' } : {}) },
  };
}
