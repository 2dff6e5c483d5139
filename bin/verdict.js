#!/usr/bin/env node
// Heap settings first (see heap-settings.js): verdict itself is loaded only after them.
import { applyHeapSettings } from './heap-settings.js';

applyHeapSettings();
const { main } = await import('../dist/cli.js');
process.exitCode = await main(process.argv.slice(2));
