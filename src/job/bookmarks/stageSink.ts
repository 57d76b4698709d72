// Staging in the root's own store is io/'s (plain writes stage the same way); bookmarks name it from here.
export { sinkStaging, sinkStagingFolders, stageSink } from '../../io/partitioning/stageInStore.js';
