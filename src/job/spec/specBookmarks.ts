import { dirname, join, resolve } from 'node:path';
import { bookmarkSettings } from '../bookmarks/BookmarkOptions.js';
import { BookmarkSession } from '../bookmarks/BookmarkSession.js';
import type { BookmarkStore } from '../bookmarks/BookmarkStore.js';
import { openBookmarkStore } from '../bookmarks/openBookmarkStore.js';
import { absolutePath } from '../../io/store/storePath.js';
import type { JobPlan } from './loadJobSpec.js';

/** Bookmark settings from the command line (or the API); each one overrides the spec's. */
export interface BookmarkFlags {
  /** `job-bookmark-enable` | `job-bookmark-disable` | `job-bookmark-pause` (or enable, disable, pause). */
  option?: string;
  /** pause: the run whose bookmark to read from. */
  from?: string;
  /** pause: the run whose bookmark to read up to. */
  to?: string;
  /** The state folder (default: the spec's `bookmarks.stateDir`, else `.sluice` next to the spec file). */
  stateDir?: string;
  /** Milliseconds (Glue's maxBand). */
  maxBand?: number;
  /** A store other than a local folder. */
  store?: BookmarkStore;
}

/** Opens the bookmarked run of a loaded spec, or gives undefined when bookmarks are off (the default). */
export async function openSpecBookmarks(plan: JobPlan, flags: BookmarkFlags = {}): Promise<BookmarkSession | undefined> {
  const fromSpec = plan.spec.bookmarks;
  const args: Record<string, string> = {};
  const option = flags.option ?? fromSpec?.option;
  if (option !== undefined) args['job-bookmark-option'] = option;
  if (flags.from !== undefined) args['job-bookmark-from'] = flags.from;
  if (flags.to !== undefined) args['job-bookmark-to'] = flags.to;
  const maxBand = flags.maxBand ?? fromSpec?.maxBand;
  if (maxBand !== undefined) args.maxBand = String(maxBand);
  const settings = bookmarkSettings(args, plan.source);
  if (settings.mode === 'disable') return undefined;
  const store = flags.store ?? openBookmarkStore(stateDirOf(plan, flags.stateDir));
  return BookmarkSession.open({ job: plan.name, store, settings });
}

/**
 * The flag's folder (from the cwd), the spec's (from its folder), or `.sluice` beside the spec
 * file; an `s3://bucket/prefix` is taken as it is.
 */
export function stateDirOf(plan: JobPlan, flag?: string): string {
  if (flag !== undefined) return absolutePath(flag);
  const fromSpec = plan.spec.bookmarks?.stateDir;
  if (fromSpec !== undefined) return absolutePath(fromSpec, plan.baseDir);
  return plan.source === '(object)' ? join(process.cwd(), '.sluice') : join(dirname(resolve(plan.source)), '.sluice');
}
