import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { read } from '../../src/frame/read.js';
import { runJobSpec } from '../../src/job/index.js';
import { jobSpecProblems } from '../../src/job/spec/validateJobSpec.js';
import { tempDir } from '../support/files.js';

describe('Unnest, UnnestFrame and Unbox nodes in job specs', () => {
  it('unboxes a JSON string column, then unnests it; UnnestFrame does the same', async () => {
    const dir = await tempDir('sluice-nested-spec-');
    writeFileSync(join(dir, 'events.csv'), 'id,payload\n1,"{""user"": {""name"": ""Ann""}, ""n"": 2}"\n2,\n3,"{""n"": 2.5}"\n');
    const nodes = (unnest: string) => [
      { id: 'events', type: 'read', format: 'csv', paths: ['${DIR}/events.csv'], formatOptions: { withHeader: true }, schema: { id: 'int32', payload: 'string' } },
      { id: 'parsed', type: 'Unbox', input: 'events', path: 'payload', format: 'json' },
      { id: 'flat', type: unnest, input: 'parsed' },
      { id: 'w', type: 'write', input: 'flat', format: 'json', path: `\${DIR}/${unnest}` },
    ];
    for (const unnest of ['Unnest', 'UnnestFrame']) {
      await runJobSpec({ nodes: nodes(unnest) }, { DIR: dir });
      expect(await read.json(join(dir, unnest)).toRows(), unnest).toEqual([
        { id: 1, 'payload.user.name': 'Ann', 'payload.n': 2 },
        { id: 2, 'payload.user.name': null, 'payload.n': null },
        { id: 3, 'payload.user.name': null, 'payload.n': 2.5 },
      ]);
    }
  });

  it('MapToCollection applies a Filter node (condition) to every member', async () => {
    const dir = await tempDir('sluice-nested-spec-');
    writeFileSync(join(dir, 'p.json'), '{"id": 1, "tags": ["a", "b"]}\n{"id": 2, "tags": ["c"]}\n');
    await runJobSpec({
      nodes: [
        { id: 'p', type: 'read', format: 'json', paths: ['${DIR}/p.json'] },
        { id: 'rel', type: 'Relationalize', input: 'p', name: 'root' },
        { id: 'firsts', type: 'MapToCollection', input: 'rel', transform: { type: 'Filter', condition: 'id = 1' } },
        { id: 'w', type: 'write', input: 'firsts', key: 'root_tags', format: 'json', path: '${DIR}/out' },
      ],
    }, { DIR: dir });
    expect(await read.json(join(dir, 'out')).toRows()).toEqual([{ id: 1, index: 0, 'tags.val': 'a' }, { id: 1, index: 1, 'tags.val': 'b' }]);
  });

  it('validates Unbox and Spigot fields against the schema', () => {
    const base = { id: 'e', type: 'read', format: 'csv', paths: ['e.csv'] };
    const sink = { id: 'w', type: 'write', input: 'x', format: 'json', path: 'out' };
    expect(jobSpecProblems({ nodes: [base, { id: 'x', type: 'Unbox', input: 'e', path: 'p', format: 'xml' }, sink] })[0]).toMatch(/^nodes\[1\]\.format: must be one of json, csv/);
    expect(jobSpecProblems({ nodes: [base, { id: 'x', type: 'Spigot', input: 'e', path: 'p', options: { topK: 1 } }, sink] })[0]).toMatch(/^nodes\[1\]\.options\.topK: unknown field/);
  });
});

describe('placeholders in a MapToCollection transform node', () => {
  it('fill a Filter condition as a value, never as SQL', async () => {
    const dir = await tempDir('sluice-nested-spec-');
    writeFileSync(join(dir, 'p.json'), '{"id": 1, "tags": ["a"]}\n{"id": 2, "tags": ["b"]}\n');
    const spec = {
      nodes: [
        { id: 'p', type: 'read', format: 'json', paths: ['${DIR}/p.json'] },
        { id: 'rel', type: 'Relationalize', input: 'p', name: 'root' },
        { id: 'some', type: 'MapToCollection', input: 'rel', transform: { type: 'Filter', condition: "`tags.val` = '${TAG}'" } },
        { id: 'w', type: 'write', input: 'some', key: 'root_tags', format: 'json', path: '${DIR}/out' },
      ],
    };
    const injected = await runJobSpec(spec, { DIR: dir, TAG: "x' OR 'a'='a" });
    expect(injected.sinks[0].rows).toBe(0);
    await runJobSpec(spec, { DIR: dir, TAG: 'b' });
    expect(await read.json(join(dir, 'out')).toRows()).toEqual([{ id: 2, index: 0, 'tags.val': 'b' }]);
  });
});
