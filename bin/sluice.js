#!/usr/bin/env node
// The sluice command: the compiled CLI (npm run build, or `prepare` on install, fills dist/).
import '../dist/src/cli/main.js';
