#!/usr/bin/env node
// First, before anything that needs a newer Node: stop with one line on a Node below engines.node.
import './node-floor.js';

const { main } = await import('../dist/cli.js');
process.exitCode = await main(process.argv.slice(2));
