/**
 * The entry of a worker thread (piscina starts it; pool.ts names it). A process entry point, like
 * the CLI: it loads the transform definitions, which install themselves for exec/ (functions
 * cannot be sent to a thread), and exports the task runner. Named splitWorker.js because piscina
 * ships a worker.js of its own and the two would collide in a bundle.
 */
import '../../transforms/registry.js';

export { default } from '../exec/parallel/runRegionTask.js';
