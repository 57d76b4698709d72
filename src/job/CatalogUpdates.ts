import type { Catalog } from '../catalog/Catalog.js';
import { applyCatalogUpdate, type CatalogUpdate } from '../catalog/catalogUpdate.js';
import { crashPoint } from '../io/partitioning/crashPoint.js';
import type { BookmarkSession } from './bookmarks/BookmarkSession.js';
import type { RunRecord } from './bookmarks/BookmarkState.js';
import { pendingUpdateOf, type PreparedCatalogSink } from './catalogSink.js';

/**
 * The catalog updates of a run's staged catalog sinks, made in the run's commit: `putIntents`
 * just before the commit point (each update put as pending in its table), `apply` after it.
 * A crash in between leaves them pending for the next reader or writer of the table to settle
 * (catalog/catalogUpdate.ts), so no partition points at unpublished files and no published file
 * lacks its partition. A run that does not commit `forget`s them: no table changes.
 *
 * Used by every run that stages sinks: a Glue script's (JobRunOutputs, or its bookmarked run),
 * a job spec's with or without bookmarks, a Lambda handler's.
 */
export class CatalogUpdates {
  private readonly updates: { catalog: Catalog; update: CatalogUpdate }[] = [];
  private intentsPut = false;

  /** Records the update a staged sink makes once published; `id` is unique in the run (its staging's name). */
  add(sink: PreparedCatalogSink, id: string, staging: string, published: string[]): void {
    this.updates.push({ catalog: sink.catalog, update: pendingUpdateOf(sink, id, staging, published) });
  }

  get size(): number {
    return this.updates.length;
  }

  /** Before the run's commit point: every update waits as pending in its table. */
  async putIntents(): Promise<void> {
    if (this.updates.length === 0) return;
    this.intentsPut = true;
    for (const { catalog, update } of this.updates) await catalog.putPendingUpdate(update.database, update.table, update.runId, update);
    crashPoint('after-catalog-intent');
  }

  /** After the run's commit point: applies each update and removes its pending document. */
  async apply(): Promise<void> {
    if (this.updates.length === 0) return;
    crashPoint('before-catalog-update');
    for (const { catalog, update } of this.updates.splice(0)) {
      await applyCatalogUpdate(catalog, update);
      await catalog.deletePendingUpdate(update.database, update.table, update.runId);
    }
  }

  /** The run did not reach its commit point: the pending documents (if put) name files never published. */
  async forget(): Promise<void> {
    const updates = this.updates.splice(0);
    if (!this.intentsPut) return;
    for (const { catalog, update } of updates) await catalog.deletePendingUpdate(update.database, update.table, update.runId).catch(() => undefined);
  }
}

/**
 * Commits a bookmarked run with its catalog sinks' updates: pending before the bookmark's commit
 * point, applied once the commit has published the files. A commit that fails may have passed its
 * commit point, so its updates stay pending for the tables' next reader or writer to settle
 * (applied when the files were published, dropped when their staging is gone).
 */
export async function commitWithCatalogUpdates(session: BookmarkSession, rows: number, updates: CatalogUpdates): Promise<RunRecord> {
  try {
    await updates.putIntents();
  } catch (e) {
    await session.abort(e);
    await updates.forget();
    throw e;
  }
  const run = await session.commit(rows);
  await updates.apply();
  return run;
}
