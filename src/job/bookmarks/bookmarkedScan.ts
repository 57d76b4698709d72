import type { Schema } from 'apache-arrow';
import { DataFrame, type Row } from '../../frame/DataFrame.js';
import { readFrame, type ReadSpec } from '../../frame/read.js';
import type { ScanNode } from '../../plan/PlanNode.js';
import { SluiceError } from '../../types/ErrorRecord.js';
import { schemaFromSpec } from '../../types/typeNames.js';
import type { CandidateFile } from './selectFiles.js';

/**
 * A frame over the chosen files of a source. Files found under a folder keep that folder as the
 * scan's basePath, so its Hive `k=v` columns come back as a full read would give them; several
 * roots become one scan each, unioned. With no files: an empty frame of `knownSchema` (the one
 * the bookmark remembers), else of the read's own schema, else an error that says what to do.
 */
export function bookmarkedScan<T extends Row = Row>(spec: ReadSpec, files: readonly CandidateFile[], knownSchema?: Record<string, string>): DataFrame<T> {
  if (files.length === 0) return emptyFrame<T>(spec, knownSchema);
  const groups = new Map<string | undefined, string[]>();
  for (const file of files) {
    const group = groups.get(file.root) ?? [];
    group.push(file.path);
    groups.set(file.root, group);
  }
  const template = readFrame(spec).plan as ScanNode;
  const frames = [...groups].map(([root, paths]) => new DataFrame<T>({ ...template, paths, ...(root !== undefined ? { basePath: root } : {}) }));
  return frames.reduce((all, next) => all.union(next));
}

function emptyFrame<T extends Row>(spec: ReadSpec, knownSchema?: Record<string, string>): DataFrame<T> {
  const names = knownSchema ?? spec.schema;
  if (!names) {
    throw new SluiceError(
      `source '${spec.transformationCtx}': no new files to read and no schema known yet, so the empty result has no columns; ` +
      `give the read a schema (e.g. {"id": "int64"}) or reset the bookmark`,
    );
  }
  const schema: Schema = schemaFromSpec(names);
  return new DataFrame<T>({ kind: 'values', schema, batches: [], ...(spec.transformationCtx ? { transformationCtx: spec.transformationCtx } : {}) });
}
