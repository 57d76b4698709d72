import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatsDoc } from '../../src/job/formatsDoc.js';
import { formatDefs, formatNames, formatOfPath } from '../../src/io/formats/registry.js';
import { nearestName } from '../../src/types/nearestName.js';

describe('docs/formats.md', () => {
  it('is the one generated from the format definitions (run `npm run docs:formats` after changing one)', async () => {
    const onDisk = await readFile(resolve(import.meta.dirname, '../../docs/formats.md'), 'utf8');
    expect(onDisk).toBe(formatsDoc());
  });

  it('lists every accepted-and-ignored option with its reason', () => {
    const doc = formatsDoc();
    for (const def of formatDefs()) {
      for (const set of [def.read.options, ...(def.write ? [def.write.options] : [])]) {
        for (const [name, reason] of Object.entries(set.ignored)) expect(doc).toContain(`| \`${name}\` | | | accepted and ignored: ${reason} |`);
      }
    }
    expect(doc).toContain('| `groupFiles` | | | accepted and ignored:');
  });
});

describe('the format registry', () => {
  it('names the formats read and written, and knows them by their endings', () => {
    expect(formatNames('read')).toEqual(['csv', 'json', 'parquet', 'avro', 'xml', 'grokLog']);
    expect(formatNames('write')).toEqual(['csv', 'json', 'parquet']);
    expect(['a.csv.gz', 'a.tsv', 'a.ndjson', 'a.pq', 'a.avro', 'a.XML.gz', 'a.parquet.gz', 'a.txt'].map(formatOfPath)).toEqual(['csv', 'csv', 'json', 'parquet', 'avro', 'xml', undefined, undefined]);
  });
});

describe('nearestName', () => {
  it('suggests a close name, whatever its case, and nothing when none is close', () => {
    const known = ['withHeader', 'separator', 'multiLine', 'skipFirst'];
    expect(nearestName('withHeadr', known)).toBe('withHeader');
    expect(nearestName('multiline', known)).toBe('multiLine');
    expect(nearestName('seperator', known)).toBe('separator');
    expect(nearestName('rowTag', known)).toBeUndefined();
    expect(nearestName('x', known)).toBeUndefined();
  });
});
