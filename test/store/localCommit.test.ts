import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { publishStaged } from '../../src/io/partitioning/commit.js';
import { LocalStore } from '../../src/io/store/LocalStore.js';
import { StorePreconditionError } from '../../src/io/store/Store.js';
import { BookmarkFolder } from '../../src/job/bookmarks/BookmarkFolder.js';
import { BookmarkConflictError } from '../../src/job/bookmarks/BookmarkStore.js';
import { emptyState } from '../../src/job/bookmarks/BookmarkState.js';
import { tempDir } from '../support/files.js';


async function filesUnder(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(root, join(e.parentPath, e.name))).sort();
}

describe('the one commit protocol, on a local disk', () => {
  it('overwrite publishes, then removes the old files and their emptied folders, then writes _SUCCESS', async () => {
    const dir = await tempDir('sluice-local-commit-');
    const root = join(dir, 'out');
    await mkdir(join(root, 'k=old'), { recursive: true });
    await writeFile(join(root, 'k=old', 'part-0.csv'), 'n\n0\n');
    const staging = join(dir, 'staging');
    await mkdir(join(staging, 'k=1'), { recursive: true });
    await writeFile(join(staging, 'k=1', 'part-1-r.csv'), 'n\n1\n');
    const published = await publishStaged(root, staging, [join(staging, 'k=1', 'part-1-r.csv')], 'overwrite');
    expect(published).toEqual([join(root, 'k=1', 'part-1-r.csv')]);
    expect(await filesUnder(root)).toEqual(['_SUCCESS', join('k=1', 'part-1-r.csv')]);
    expect(existsSync(join(root, 'k=old'))).toBe(false);
  });

  it('a commit that fails half-way removes what it published and keeps the old data whole', async () => {
    const dir = await tempDir('sluice-local-commit-');
    const root = join(dir, 'out');
    await mkdir(root);
    await writeFile(join(root, 'old.csv'), 'n\n0\n');
    const staging = join(dir, 'staging');
    const staged = ['k=1/part-00000-h.csv', 'k=2/part-00001-h.csv'];
    for (const file of staged) {
      await mkdir(join(staging, file, '..'), { recursive: true });
      await writeFile(join(staging, file), 'n\n1\n');
    }
    // A staged file that is gone by commit time: its rename fails, the others succeed.
    const files = [...staged.map((f) => join(staging, f)), join(staging, 'k=3/part-00002-h.csv')];
    await expect(publishStaged(root, staging, files, 'overwrite')).rejects.toThrow(/ENOENT/);
    expect(await filesUnder(root)).toEqual(['old.csv']);
    expect(await readFile(join(root, 'old.csv'), 'utf8')).toBe('n\n0\n');
  });
});

describe('conditional writes on a local disk, as on S3', () => {
  it('put with ifNoneMatch creates only; ifMatch replaces only the file with that ETag', async () => {
    const store = new LocalStore();
    const path = join(await tempDir('sluice-local-commit-'), 'state', 'doc.json');
    await store.put(path, '{"v":1}', { ifNoneMatch: '*' });
    await expect(store.put(path, '{"v":2}', { ifNoneMatch: '*' })).rejects.toThrow(StorePreconditionError);
    const first = await store.get(path);
    await store.put(path, '{"v":2}', { ifMatch: first!.etag });
    await expect(store.put(path, '{"v":3}', { ifMatch: first!.etag })).rejects.toThrow(StorePreconditionError);
    expect(await readFile(path, 'utf8')).toBe('{"v":2}');
    expect((await readdir(join(path, '..'))).sort()).toEqual(['doc.json']); // no temp file left beside it
  });

  it('a local bookmark folder refuses a write over a revision it did not expect', async () => {
    const store = new BookmarkFolder(join(await tempDir('sluice-local-commit-'), 'state'));
    await store.writeIfRevision('job', { ...emptyState('job'), revision: 1 }, undefined);
    await expect(store.writeIfRevision('job', { ...emptyState('job'), revision: 1 }, undefined)).rejects.toThrow(BookmarkConflictError);
    await store.writeIfRevision('job', { ...emptyState('job'), revision: 2 }, 1);
    expect((await store.read('job'))?.revision).toBe(2);
    expect(await store.listJobs()).toEqual(['job']);
  });
});
