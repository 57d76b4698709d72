import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { read } from '../../src/frame/read.js';
import { listInputs } from '../../src/io/partitioning/listInputs.js';
import { LocalStore } from '../../src/io/store/LocalStore.js';
import { BookmarkSession } from '../../src/job/bookmarks/BookmarkSession.js';
import { BookmarkFolder } from '../../src/job/bookmarks/BookmarkFolder.js';
import { DEFAULT_MAX_BAND_MS } from '../../src/job/bookmarks/BookmarkOptions.js';
import { tempDir } from '../support/files.js';

/**
 * in/a.csv, in/sub/b.csv, and three symbolic links: `loop -> .` (the folder itself), `up -> ..`
 * (the folder above, which holds outside/secret.csv) and `secret.csv -> ../outside/secret.csv`.
 */
async function linkedFolder(): Promise<string> {
  const dir = await tempDir('sluice-links-');
  await mkdir(join(dir, 'in', 'sub'), { recursive: true });
  await mkdir(join(dir, 'outside'));
  await writeFile(join(dir, 'in', 'a.csv'), 'id\n1\n2\n');
  await writeFile(join(dir, 'in', 'sub', 'b.csv'), 'id\n3\n');
  await writeFile(join(dir, 'outside', 'secret.csv'), 'id\n99\n');
  await symlink('.', join(dir, 'in', 'loop'));
  await symlink('..', join(dir, 'in', 'up'));
  await symlink(join(dir, 'outside', 'secret.csv'), join(dir, 'in', 'secret.csv'));
  return dir;
}

describe('the local store lists a folder without following symbolic links', () => {
  it('lists each file once: no loop through `loop -> .`, nothing from outside the folder', async () => {
    const dir = await linkedFolder();
    const listed: string[] = [];
    for await (const object of new LocalStore().list(join(dir, 'in'))) listed.push(object.path);
    expect(listed).toEqual([join(dir, 'in', 'a.csv'), join(dir, 'in', 'sub', 'b.csv')]);
    expect(await listInputs(join(dir, 'in'))).toEqual(listed);
    expect(await listInputs(join(dir, 'in', '**', '*.csv'))).toEqual(listed);
  });

  it('reads every row once, through a plain read and a bookmarked one', async () => {
    const dir = await linkedFolder();
    const rows = await read.csv(join(dir, 'in'), { withHeader: true, schema: { id: 'int32' } }).orderBy('id').toRows();
    expect(rows.map((r) => r.id)).toEqual([1, 2, 3]);

    const session = await BookmarkSession.open({
      job: 'links', store: new BookmarkFolder(join(dir, 'state')), settings: { mode: 'enable', maxBandMs: DEFAULT_MAX_BAND_MS },
    });
    const frame = session.source({ format: 'csv', paths: [join(dir, 'in')], formatOptions: { withHeader: true }, schema: { id: 'int32' }, transformationCtx: 'in' });
    expect((await frame.orderBy('id').toRows()).map((r) => r.id)).toEqual([1, 2, 3]);
    await session.commit(3);
    const tracked = (await new BookmarkFolder(join(dir, 'state')).read('links'))!.sources.in.files.map((f) => f.path);
    expect(tracked).toEqual([join(dir, 'in', 'a.csv'), join(dir, 'in', 'sub', 'b.csv')]);
  });

  it('still reads a file named directly, even through a link', async () => {
    const dir = await linkedFolder();
    expect(await listInputs(join(dir, 'in', 'secret.csv'))).toEqual([join(dir, 'in', 'secret.csv')]);
  });
});
