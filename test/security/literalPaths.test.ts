import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { read } from '../../src/frame/read.js';
import { runJobSpec } from '../../src/job/spec/runJobSpec.js';
import { BookmarkFolder } from '../../src/job/bookmarks/BookmarkFolder.js';
import { runSluiceSync } from '../support/cli.js';
import { tempDir } from '../support/files.js';

async function lookalikes(): Promise<string> {
  const dir = await tempDir('sluice-literal-');
  await writeFile(join(dir, 'data1.csv'), 'id\n1\n');
  await writeFile(join(dir, 'data[1].csv'), 'id\n2\n');
  return dir;
}

describe('local paths given literally are files first', () => {
  it("reads the file named 'data[1].csv', and the glob only when asked", async () => {
    const dir = await lookalikes();
    expect(await read.csv(join(dir, 'data[1].csv'), { withHeader: true }).toRows()).toEqual([{ id: 2 }]);
    // As a glob it matches data1.csv, and fast-glob also returns the file of that very name.
    expect(await read.csv(join(dir, 'data[1].csv'), { withHeader: true, pathMode: 'glob' }).toRows()).toEqual([{ id: 1 }, { id: 2 }]);
    // No such file: the glob, as before.
    expect(await read.csv(join(dir, 'data[0-1].csv'), { withHeader: true }).toRows()).toEqual([{ id: 1 }]);
  });

  it('sluice show takes the file, and --glob takes the pattern', async () => {
    const dir = await lookalikes();
    const show = (...args: string[]) => runSluiceSync(['show', ...args]);
    const cells = (out: string) => out.split('\n').filter((l) => /^\| \d/.test(l)).map((l) => l.replace(/[| ]/g, ''));
    const literal = show(join(dir, 'data[1].csv'));
    expect(literal.status).toBe(0);
    expect(cells(literal.stdout)).toEqual(['2']);
    expect(cells(show(join(dir, 'data[1].csv'), '--glob').stdout)).toEqual(['1', '2']);
  });
});

describe('a job name cannot move its state folder', () => {
  it("refuses '..' and '.', and keeps a name with '/' one folder inside the state folder", async () => {
    const dir = await tempDir('sluice-jobname-');
    const state = join(dir, 'state');
    await mkdir(state);
    await writeFile(join(dir, 'in.csv'), 'id\n1\n');
    const spec = (name: string) => ({
      name,
      bookmarks: { option: 'enable', stateDir: state },
      nodes: [
        { id: 'in', type: 'read', format: 'csv', paths: [join(dir, 'in.csv')], formatOptions: { withHeader: true }, transformationCtx: 'in' },
        { id: 'out', type: 'write', input: 'in', format: 'json', path: join(dir, `out-${name.length}`) },
      ],
    });
    await expect(runJobSpec(spec('..'))).rejects.toThrow('job name ".." cannot name a state folder');
    expect(existsSync(join(dir, 'state.json'))).toBe(false);
    expect(() => new BookmarkFolder(state).jobFolder('.')).toThrow('job name "." cannot name a state folder');
    expect(new BookmarkFolder(state).jobFolder('a/../../b')).toBe(join(state, 'a%2F..%2F..%2Fb'));
  });
});
