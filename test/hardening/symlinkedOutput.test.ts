import { mkdir, readdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataFrame } from '../../src/index.js';
import { filesUnder, tempDir } from '../support/files.js';

describe('writes never follow a symbolic link out of the output', () => {
  it('refuses a partition folder that links outside the output, publishing nothing anywhere', async () => {
    const dir = await tempDir('sluice-symlink-out-');
    const outside = join(dir, 'outside');
    const out = join(dir, 'out');
    await mkdir(outside);
    await mkdir(out);
    await symlink(outside, join(out, 'year=2024'));
    const frame = DataFrame.fromRows([{ id: 1, year: 2024 }, { id: 2, year: 2025 }], { id: 'int32', year: 'int32' });
    await expect(frame.write.parquet(out, { partitionKeys: ['year'] })).rejects.toThrow(
      `resolves to ${outside}, outside the output ${out}`,
    );
    expect(await readdir(outside)).toEqual([]);
    // Nothing published under the output either: not the year=2025 file, not _SUCCESS.
    expect((await filesUnder(out)).filter((f) => !f.startsWith('year=2024'))).toEqual([]);
  });

  it('still writes through an output folder that is itself a link', async () => {
    const dir = await tempDir('sluice-symlink-root-');
    await mkdir(join(dir, 'real'));
    await symlink(join(dir, 'real'), join(dir, 'out'));
    await DataFrame.fromRows([{ id: 1, year: 2024 }], { id: 'int32', year: 'int32' }).write.parquet(join(dir, 'out'), { partitionKeys: ['year'] });
    expect((await filesUnder(join(dir, 'real'))).map((f) => f.replace(/part-.*$/, 'part'))).toEqual(['_SUCCESS', 'year=2024/part']);
  });
});
