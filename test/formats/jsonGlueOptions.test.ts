import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GlueContext } from '../../src/job/GlueContext.js';
import { read } from '../../src/frame/read.js';
import { tempDir } from '../support/files.js';

describe("Glue's JSON options", () => {
  it("honours Glue's `multiline` spelling: a record may span lines", async () => {
    const dir = await tempDir('sluice-json-ml-');
    writeFileSync(join(dir, 'pretty.json'), '[\n  {\n    "id": 1,\n    "name": "a"\n  },\n  {\n    "id": 2,\n    "name": "b"\n  }\n]\n');
    const glue = new GlueContext();
    const frame = glue.createDynamicFrame.fromOptions({ connectionType: 's3', connectionOptions: { paths: [join(dir, 'pretty.json')] }, format: 'json', formatOptions: { multiline: true } });
    expect(await frame.toRows()).toEqual([{ id: 1, name: 'a' }, { id: 2, name: 'b' }]);
    expect(await read.json(join(dir, 'pretty.json'), { multiLine: true }).count()).toBe(2);
  });

  it('accepts recurse and groupFiles / groupSize with their documented sluice meaning', async () => {
    const dir = await tempDir('sluice-json-opts-');
    writeFileSync(join(dir, 'a.json'), '{"id":1}\n');
    const glue = new GlueContext();
    const frame = glue.createDynamicFrame.fromOptions({
      connectionType: 's3', connectionOptions: { paths: [dir], recurse: true, groupFiles: 'inPartition', groupSize: '1048576' }, format: 'json',
    });
    expect(await frame.toRows()).toEqual([{ id: 1 }]);
  });
});
