import { runCli } from './runCli.js';

/** The `sluice` executable (bin/sluice.js imports the compiled copy of this file). */
process.exitCode = await runCli(process.argv.slice(2));
// Leave when the work is done even if a worker pool or a job script left a handle open;
// the timer is unref'd, so a process with nothing left to do exits at once.
setTimeout(() => process.exit(), 1000).unref();
