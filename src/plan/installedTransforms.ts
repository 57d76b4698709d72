import type { TransformDefs } from './TransformDef.js';

/**
 * The definitions a process has loaded, for callers that do not pass a registry of their own
 * (`pushDownProjection(plan)`, `regionOf(plan)`). plan/ and exec/ never import transforms/:
 * transforms/registry.ts installs its definitions here when it is loaded, which happens as soon
 * as frame/ (the only way to build a transform node short of writing its JSON) is. Without them
 * the planner stays conservative: every column is read and nothing runs per split.
 */
let installed: TransformDefs = new Map();

export function installTransforms(defs: TransformDefs): void {
  installed = defs;
}

export function installedTransforms(): TransformDefs {
  return installed;
}
