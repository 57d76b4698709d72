import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (where package.json, src/ and test/ are). */
export const REPO = fileURLToPath(new URL('../..', import.meta.url)).replace(/[\\/]$/, '');

/** A fresh, empty folder under the OS temp folder; `prefix` names what made it when one is left behind. */
export const tempDir = (prefix = 'sluice-test-'): Promise<string> => mkdtemp(join(tmpdir(), prefix));

/**
 * Every file under `dir` (hidden and `_` files included), relative, `/`-separated and sorted, so a
 * test can assert an exact layout. A folder that does not exist holds no files: `[]`; any other
 * error (not a folder, no permission) is thrown.
 */
export async function filesUnder(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { recursive: true, withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}
