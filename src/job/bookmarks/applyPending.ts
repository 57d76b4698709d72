// The roll-forward is io/'s (plain writes commit the same way); bookmarks name it from here.
export { applyPending, removeStaging } from '../../io/partitioning/applyPending.js';
