import { EXIT_OK, EXIT_USAGE, type CliIO } from './cliIO.js';
import { MAIN_USAGE } from './mainUsage.js';
import { sluiceVersion } from './version.js';

/**
 * The commands answered without loading sluice itself: none (usage), `--help` and `--version`;
 * their exit code, or undefined for any other command. The built CLI (dist/lib/cli.js) asks here
 * first, so `sluice --version` loads neither Arrow nor sluice's code. `args`: without `--debug`.
 */
export function quickCommand(args: readonly string[], io: CliIO): number | undefined {
  const [verb] = args;
  if (verb === undefined) {
    io.err(MAIN_USAGE);
    return EXIT_USAGE;
  }
  if (verb === '--help' || verb === '-h' || verb === 'help') {
    io.out(MAIN_USAGE);
    return EXIT_OK;
  }
  if (verb === '--version' || verb === '-v') {
    io.out(sluiceVersion());
    return EXIT_OK;
  }
  return undefined;
}
