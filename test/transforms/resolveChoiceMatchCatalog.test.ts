import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Catalog } from '../../src/catalog/Catalog.js';
import { read, ResolveChoice } from '../../src/index.js';
import { runJobSpec } from '../../src/job/spec/runJobSpec.js';
import { typeName } from '../../src/types/typeNames.js';
import { REPO, tempDir } from '../support/files.js';
import { runScript as runTsx } from '../support/cli.js';

/** Choices at the top level, in a struct and in an array; the catalog names the columns in upper and lower case. */
async function setUp() {
  const dir = await tempDir('sluice-match-catalog-');
  const file = join(dir, 'ids.jsonl');
  await writeFile(file, [
    '{"Id": 1, "n": {"v": 2}, "xs": [1, "a"], "note": "k"}',
    '{"Id": "x", "n": {"v": "b"}, "xs": ["c"], "note": "l"}',
    '{"Id": null, "n": null, "xs": null, "note": null}',
    '{"Id": "7", "n": {"v": null}, "xs": [3], "note": "m"}',
  ].join('\n') + '\n');
  const root = join(dir, 'cat');
  const catalog = Catalog.open(root);
  await catalog.createDatabase({ Name: 'lake' });
  await catalog.createTable('lake', {
    Name: 'ids',
    StorageDescriptor: {
      Location: join(dir, 'lake'),
      Columns: [{ Name: 'id', Type: 'bigint' }, { Name: 'n', Type: 'struct<v:string>' }, { Name: 'xs', Type: 'array<int>' }, { Name: 'note', Type: 'varchar(20)' }],
    },
  });
  return { dir, file, root, catalog };
}
const typesOf = (schema: import('apache-arrow').Schema) => Object.fromEntries(schema.fields.map((f) => [f.name, typeName(f.type)]));

const EXPECTED = [
  { Id: 1, n: { v: '2' }, xs: [1, null], note: 'k' },
  { Id: null, n: { v: 'b' }, xs: [null], note: 'l' },
  { Id: null, n: null, xs: null, note: null },
  { Id: 7, n: { v: null }, xs: [3], note: 'm' },
];

describe('ResolveChoice match_catalog', () => {
  it("choice: casts every choice to the catalog column's type (names case-insensitive), uncastable → null, every row kept", async () => {
    const { file, catalog } = await setUp();
    const df = ResolveChoice.apply({ frame: read.json(file), choice: 'match_catalog', database: 'lake', tableName: 'ids', catalog });
    expect(typesOf(await df.schema())).toEqual({ Id: 'int64', n: 'struct<v:string>', xs: 'array<int32>', note: 'string' });
    expect(await df.toRows()).toEqual(EXPECTED);
  });

  it('specs [path, match_catalog]; the catalog from SLUICE_CATALOG; the plan carries types, not a catalog', async () => {
    const { file, root } = await setUp();
    const saved = process.env.SLUICE_CATALOG;
    process.env.SLUICE_CATALOG = root;
    try {
      const df = read.json(file).resolveChoice({ specs: [['Id', 'match_catalog'], ['xs[]', 'match_catalog'], ['note', 'match_catalog']], database: 'LAKE', tableName: 'IDS' });
      expect(typesOf(await df.schema())).toEqual({ Id: 'int64', n: 'struct<v:choice<int32,string>>', xs: 'array<int32>', note: 'string' });
      expect(await df.selectFields(['Id', 'xs']).toRows()).toEqual(EXPECTED.map(({ Id, xs }) => ({ Id, xs })));
    } finally {
      if (saved === undefined) delete process.env.SLUICE_CATALOG; else process.env.SLUICE_CATALOG = saved;
    }
  });

  it('errors name the database, the table and the missing column', async () => {
    const { file, catalog } = await setUp();
    const df = read.json(file);
    await expect(df.resolveChoice({ choice: 'match_catalog', database: 'nope', tableName: 'ids', catalog }).schema()).rejects.toThrow(/database 'nope' not found/);
    await expect(df.resolveChoice({ choice: 'match_catalog', database: 'lake', tableName: 'nope', catalog }).schema()).rejects.toThrow(/table 'lake.nope' not found/);
    await catalog.updateTable('lake', { Name: 'ids', StorageDescriptor: { Location: '/x', Columns: [{ Name: 'n', Type: 'struct<w:int>' }, { Name: 'xs', Type: 'array<int>' }] } });
    await expect(df.resolveChoice({ choice: 'match_catalog', database: 'lake', tableName: 'ids', catalog }).schema())
      .rejects.toThrow("ResolveChoice match_catalog: table lake.ids has no column 'Id' for 'Id'");
    await expect(df.resolveChoice({ specs: [['n.v', 'match_catalog']], database: 'lake', tableName: 'ids', catalog }).schema())
      .rejects.toThrow("ResolveChoice match_catalog: table lake.ids has no field 'v' for 'n.v'");
  });

  it('a job-spec node reads the spec\'s catalog', async () => {
    const { dir, file } = await setUp();
    const out = join(dir, 'out');
    await writeFile(join(dir, 'job.json'), JSON.stringify({
      catalog: 'cat',
      nodes: [
        { id: 'src', type: 'read', format: 'json', paths: [file] },
        { id: 'fix', type: 'ResolveChoice', input: 'src', choice: 'match_catalog', database: 'lake', tableName: 'ids' },
        { id: 'out', type: 'write', input: 'fix', format: 'parquet', path: out },
      ],
    }));
    await runJobSpec(join(dir, 'job.json'));
    const back = read.parquet(out);
    expect(typesOf(await back.schema())).toEqual({ Id: 'int64', n: 'struct<v:string>', xs: 'array<int32>', note: 'string' });
    expect(await back.toRows()).toEqual(EXPECTED);
  });

  it('a GlueContext script', async () => {
    const { dir, file, root } = await setUp();
    const script = join(dir, 'job.mts');
    await writeFile(script, `
      import { GlueContext, ResolveChoice } from ${JSON.stringify(join(REPO, 'src/index.ts'))};
      const glueContext = new GlueContext();
      const dyf = glueContext.createDynamicFrame.fromOptions({ connectionType: 's3', connectionOptions: { paths: [${JSON.stringify(file)}] }, format: 'json' });
      const fixed = ResolveChoice.apply({ frame: dyf, choice: 'match_catalog', database: 'lake', tableName: 'ids' });
      console.log(JSON.stringify(await fixed.selectFields(['Id']).toRows()));
    `);
    expect(JSON.parse(await runTsx(script, { SLUICE_CATALOG: root }))).toEqual(EXPECTED.map(({ Id }) => ({ Id })));
  }, 60_000);
});
