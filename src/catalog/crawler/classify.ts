import { SluiceError } from '../../types/ErrorRecord.js';
import { classifyAvro, classifyParquet } from './binaryClassifiers.js';
import type { Classification } from './Classification.js';
import { classifyCsv, type CsvClassifierDef } from './csvClassifier.js';
import { classifyBuiltInGrok, classifyGrok, type GrokClassifierDef } from './grokClassifier.js';
import { classifyJson, type JsonClassifierDef } from './jsonClassifier.js';
import type { FileSample } from './sampleFile.js';
import { classifyXml, type XmlClassifierDef } from './xmlClassifier.js';

/** A custom classifier as Glue's `CreateClassifier` takes it (one of the three kinds). */
export type CustomClassifier =
  | { CsvClassifier: CsvClassifierDef }
  | { JsonClassifier: JsonClassifierDef }
  | { XMLClassifier: XmlClassifierDef }
  | { GrokClassifier: GrokClassifierDef };

/** Glue's `UNKNOWN` classification: no classifier was certain. */
export const UNKNOWN = 'UNKNOWN';

/**
 * Classifies one file as Glue does (GDG add-classifier.md): the crawler's custom classifiers
 * first, in their order, then the built-ins avro → parquet → json → xml → combined_apache → apache → csv; the first certain
 * one wins (built-ins are certain or not at all); Apache access logs are the built-in grok
 * classifiers `combined_apache` and `apache`. undefined: `UNKNOWN`.
 */
export async function classify(sample: FileSample, custom: readonly CustomClassifier[] = []): Promise<Classification | undefined> {
  for (const classifier of custom) {
    const found = await runCustom(sample, classifier);
    if (found) return found;
  }
  return classifyAvro(sample) ?? (await classifyParquet(sample)) ?? classifyJson(sample) ?? (await classifyXml(sample)) ?? classifyBuiltInGrok(sample) ?? classifyCsv(sample);
}

async function runCustom(sample: FileSample, classifier: CustomClassifier): Promise<Classification | undefined> {
  if ('CsvClassifier' in classifier) return classifyCsv(sample, classifier.CsvClassifier);
  if ('JsonClassifier' in classifier) return classifyJson(sample, classifier.JsonClassifier);
  if ('XMLClassifier' in classifier) return classifyXml(sample, classifier.XMLClassifier);
  if ('GrokClassifier' in classifier) return classifyGrok(sample, classifier.GrokClassifier);
  throw new SluiceError(`Unknown custom classifier ${JSON.stringify(classifier)}: use CsvClassifier, JsonClassifier, XMLClassifier or GrokClassifier`);
}
