import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataFrame } from '../../src/index.js';
import { tempDir } from '../support/files.js';

describe('write failures name the path and the reason', () => {
  it('a 300-byte partition value is a SluiceError naming the folder, not a bare ENAMETOOLONG', async () => {
    const out = join(await tempDir('sluice-long-'), 'out');
    const frame = DataFrame.fromRows([{ id: 1, k: 'x'.repeat(300) }], { id: 'int32', k: 'string' });
    const error = await frame.write.parquet(out, { partitionKeys: ['k'] }).then(() => undefined, (e: unknown) => e as Error);
    expect(error?.name).toBe('SluiceError');
    expect(error?.message).toMatch(/^cannot create the folder .*k=x{300}: a name in it is too long for the file system .*\(ENAMETOOLONG\)$/);
  });

  it('an output path below a file says that a part of it is a file', async () => {
    const dir = await tempDir('sluice-notdir-');
    await writeFile(join(dir, 'file'), 'x');
    const error = await DataFrame.fromRows([{ id: 1 }], { id: 'int32' }).write.csv(join(dir, 'file', 'out')).then(() => undefined, (e: unknown) => e as Error);
    expect(error?.name).toBe('SluiceError');
    expect(error?.message).toContain('a part of it is a file, not a folder');
    expect(error?.message).toContain(join(dir, 'file'));
  });
});
