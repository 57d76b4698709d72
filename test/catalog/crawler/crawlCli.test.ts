import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Catalog } from '../../../src/catalog/Catalog.js';
import { runCliInProcess } from '../../support/cli.js';
import { REPO, tempDir } from '../../support/files.js';
import { salesCsv, writeLake } from './lakes.js';

async function lake() {
  const dir = await tempDir();
  const root = join(dir, 'sales');
  await writeLake(root, { 'year=2024/a.csv': salesCsv(2), 'year=2025/a.csv': salesCsv(3), 'year=2025/notes.tmp': 'x' });
  return { dir, root, catalogRoot: join(dir, 'catalog') };
}

describe('sluice crawl', () => {
  it('crawls a path into the catalog and prints the run; a rerun finds nothing new', async () => {
    const { root, catalogRoot } = await lake();
    const args = ['crawl', root, '--database', 'Lake', '--exclude', '**.tmp', '--table-prefix', 'raw_', '--catalog', catalogRoot];
    const first = await runCliInProcess(args);
    expect(first.code).toBe(0);
    expect(first.out.replace(/in \d+\.\d s/, 'in T s')).toBe([
      'crawler Lake-sales → database lake: SUCCEEDED in T s',
      '  tables created 1 (raw_sales), updated 0, deleted 0, deprecated 0',
      '  partitions added 2, updated 0, deleted 0; 2 files read, 1 excluded',
      '',
    ].join('\n'));
    const table = await Catalog.open(catalogRoot).getTable('lake', 'raw_sales');
    expect(table?.StorageDescriptor?.Columns).toEqual([{ Name: 'id', Type: 'bigint' }, { Name: 'name', Type: 'string' }, { Name: 'score', Type: 'double' }]);
    expect(table?.Parameters?.UPDATED_BY_CRAWLER).toBe('Lake-sales');
    const again = await runCliInProcess([...args, '--json']);
    expect(JSON.parse(again.out)).toMatchObject({ status: 'SUCCEEDED', tablesCreated: [], tablesUpdated: [], partitionsAdded: 0, filesRead: 2 });
  });

  it('--config takes a Glue CreateCrawler definition', async () => {
    const { dir, root, catalogRoot } = await lake();
    const config = join(dir, 'crawler.json');
    await writeFile(config, JSON.stringify({
      Name: 'nightly', DatabaseName: 'lake', Role: 'arn:aws:iam::123456789012:role/glue',
      Targets: { S3Targets: [{ Path: root, Exclusions: ['**.tmp'] }] },
      SchemaChangePolicy: { UpdateBehavior: 'LOG', DeleteBehavior: 'LOG' },
      Configuration: JSON.stringify({ Version: 1.0, Grouping: { TableLevelConfiguration: 1 } }),
    }));
    const result = await runCliInProcess(['crawl', '--config', config, '--catalog', catalogRoot, '--json']);
    expect(result.err).toBe('');
    expect(JSON.parse(result.out)).toMatchObject({ crawler: 'nightly', tablesCreated: ['sales'], partitionsAdded: 2 });
  });

  it('usage errors name the flag', async () => {
    const { root, catalogRoot } = await lake();
    const noDb = await runCliInProcess(['crawl', root, '--catalog', catalogRoot]);
    expect([noDb.code, noDb.err.split('\n')[0]]).toEqual([2, 'sluice: sluice crawl needs --database: the catalog database the tables go to']);
    const bad = await runCliInProcess(['crawl', root, '--database', 'x', '--schema-change', 'replace']);
    expect(bad.err.split('\n')[0]).toBe("sluice: --schema-change must be one of update, log, got 'replace'");
    const both = await runCliInProcess(['crawl', root, '--config', 'c.json', '--database', 'x']);
    expect(both.err.split('\n')[0]).toBe(`sluice: --config c.json describes the crawler; leave out ${root}, --database`);
    const missing = await runCliInProcess(['crawl', join(root, 'nope'), '--database', 'x', '--catalog', catalogRoot]);
    expect([missing.code, missing.err.split('\n')[0]]).toEqual([1, `sluice: Crawler x-nope failed: Crawler include path ${join(root, 'nope')} does not exist`]);
  });

  it('sluice --version loads no catalog or crawler code (the verb is imported when it runs)', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'hooks.mjs'), [
      "import { writeSync } from 'node:fs';",
      'export async function resolve(specifier, context, next) {',
      '  const result = await next(specifier, context);',
      "  if (result.url.startsWith('file:') && !result.url.includes('node_modules')) writeSync(2, `loaded ${result.url}\\n`);",
      '  return result;',
      '}',
    ].join('\n'));
    await writeFile(join(dir, 'register.mjs'), `import { register } from 'node:module';\nregister(${JSON.stringify(`file://${join(dir, 'hooks.mjs')}`)});\n`);
    const { stderr } = await promisify(execFile)(process.execPath, ['--import', join(dir, 'register.mjs'), '--import', 'tsx', join(REPO, 'src/cli/main.ts'), '--version'], { cwd: REPO });
    const loaded = stderr.split('\n').filter((l) => l.startsWith('loaded '));
    expect(loaded.some((l) => l.includes('/src/cli/runCli.ts'))).toBe(true);
    expect(loaded.filter((l) => /\/src\/catalog\/|crawlCommand/.test(l))).toEqual([]);
  });
});
