#!/usr/bin/env node
import { enableCompileCache } from 'node:module';

// V8 keeps the compiled code of the CLI in the system's temporary folder, so later runs skip
// parsing and compiling it (Node's own advice for command line tools; NODE_DISABLE_COMPILE_CACHE=1
// turns it off). It must be on before the rest of the CLI is loaded, hence the dynamic import.
// The bin is built as CommonJS (see tsdown.config.ts), which has no top-level await.
enableCompileCache?.();
void import('./main.js').then(({ main }) => main());
