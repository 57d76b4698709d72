import { storeFor } from '../store/storeFor.js';
import { absolutePath, joinPath, relativePath } from '../store/storePath.js';
import { isVisible } from './listInputs.js';

/** The files under `root` readers would see (none under `_`/`.`-prefixed segments), as full paths; at most `limit`. */
export async function visibleFiles(root: string, limit = Infinity): Promise<string[]> {
  const store = await storeFor(root);
  const base = absolutePath(root);
  const visible: string[] = [];
  if (limit <= 0) return visible;
  for await (const object of store.list(base)) {
    if (isVisible(relativePath(base, object.path))) visible.push(object.path);
    if (visible.length >= limit) break;
  }
  return visible;
}

/**
 * Deletes files under `root`, then the folders under it they leave empty (deepest first), so an
 * overwrite leaves no empty partition folders behind. `root` itself stays.
 */
export async function deleteUnder(root: string, paths: readonly string[]): Promise<void> {
  if (paths.length === 0) return;
  const store = await storeFor(root);
  await store.delete([...paths]);
  const base = absolutePath(root);
  const folders = new Set<string>();
  for (const path of paths) {
    const segments = relativePath(base, path).split('/').slice(0, -1);
    for (let depth = segments.length; depth > 0; depth--) folders.add(joinPath(base, segments.slice(0, depth).join('/')));
  }
  for (const folder of [...folders].sort((a, b) => b.length - a.length)) await store.removeEmptyFolder(folder);
}
