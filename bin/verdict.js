#!/usr/bin/env node
// First, before anything that needs a newer Node: stop with one line on a Node below engines.node.
import './node-floor.js';
// Memory settings first (see heap-settings.js): glibc's and a start-up-only V8 flag need a restart,
// before anything else happens; the other V8 flags are set before verdict itself is loaded.
import { applyHeapSettings, restartWithStartSettings } from './heap-settings.js';

restartWithStartSettings();
applyHeapSettings();
const { main } = await import('../dist/cli.js');
process.exitCode = await main(process.argv.slice(2));
