import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataFrame } from '../../src/frame/DataFrame.js';
import { runJobSpec } from '../../src/job/spec/runJobSpec.js';
import { loadJobSpec } from '../../src/job/spec/loadJobSpec.js';
import { tempDir } from '../support/files.js';
import { writeOrdersAvro, writeOrdersXml } from './fixtures.js';

const jsonLines = async (file: string) => (await readFile(file, 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as unknown);

describe('job-spec read nodes of every registered format', () => {
  it('reads avro and xml nodes and writes their rows', async () => {
    const dir = await tempDir();
    const spec = {
      nodes: [
        { id: 'avro_in', type: 'read', format: 'avro', paths: [await writeOrdersAvro(dir)] },
        { id: 'xml_in', type: 'read', format: 'xml', paths: [await writeOrdersXml(dir)], formatOptions: { rowTag: 'order' } },
        { id: 'avro_out', type: 'write', input: 'avro_in', format: 'json', path: join(dir, 'avro_out') },
        { id: 'xml_out', type: 'write', input: 'xml_in', format: 'json', path: join(dir, 'xml_out') },
      ],
    };
    const summary = await runJobSpec(spec);
    expect(summary.sinks.map((s) => [s.id, s.rows, s.files.length])).toEqual([['avro_out', 3, 1], ['xml_out', 3, 1]]);
    expect(await jsonLines(summary.sinks[0].files[0])).toEqual([
      { id: 1, status: 'paid', amount: 10.5 },
      { id: 2, status: 'shipped', amount: null },
      { id: 3, status: 'paid', amount: 7.25 },
    ]);
    expect(await jsonLines(summary.sinks[1].files[0])).toEqual([
      { _id: 1, status: 'paid', amount: 10.5 },
      { _id: 2, status: 'shipped', amount: null },
      { _id: 3, status: 'paid', amount: 7.25 },
    ]);
  });

  it('lists misspelt format options of read and write nodes with the spec problems, before any read', async () => {
    const spec = {
      nodes: [
        { id: 'in', type: 'read', format: 'csv', paths: ['/nonexistent/in.csv'], formatOptions: { withHeadr: true } },
        { id: 'x', type: 'read', format: 'xml', paths: ['/nonexistent/in.xml'], formatOptions: { rowTag: 'r', atributePrefix: '@' } },
        { id: 'out', type: 'write', input: 'in', format: 'csv', path: '/nonexistent/out', formatOptions: { writeHeadr: false } },
      ],
    };
    await expect(loadJobSpec(spec)).rejects.toThrow([
      'invalid job spec (object):',
      "  nodes[0].formatOptions: unknown CSV option 'withHeadr'; did you mean 'withHeader'?",
      "  nodes[1].formatOptions: unknown XML option 'atributePrefix'; did you mean 'attributePrefix'?",
      "  nodes[2].formatOptions: unknown CSV option 'writeHeadr'; did you mean 'writeHeader'?",
    ].join('\n'));
  });
});

describe('a plan built without readFrame', () => {
  it('has its scan options checked where the scan is prepared', async () => {
    const frame = new DataFrame({ kind: 'scan', format: 'csv', paths: ['/nonexistent/in.csv'], formatOptions: { seperator: ';' } });
    await expect(frame.toRows()).rejects.toThrow("unknown CSV option 'seperator'; did you mean 'separator'?");
  });
});
