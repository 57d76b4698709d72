#!/usr/bin/env node
// The sluice command: the bundled CLI (npm run build, or `prepare` on install, fills dist/).
import '../dist/lib/cli.js';
