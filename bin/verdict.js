#!/usr/bin/env node
// Memory settings first (see heap-settings.js): glibc's need a restart, before anything else
// happens; V8's are set before verdict itself is loaded.
import { applyHeapSettings, restartWithMallocSettings } from './heap-settings.js';

restartWithMallocSettings();
applyHeapSettings();
const { main } = await import('../dist/cli.js');
process.exitCode = await main(process.argv.slice(2));
