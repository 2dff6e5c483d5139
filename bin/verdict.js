#!/usr/bin/env node
// First, before anything that needs a newer Node: stop with one line on a Node below engines.node.
import './node-floor.js';

// A reader that stops early (`verdict prompts | head -3`) closes the pipe: nothing is left to say to it.
process.stdout.on('error', (error) => {
  if (error.code !== 'EPIPE') throw error;
});
const { main } = await import('../dist/cli.js');
process.exitCode = await main(process.argv.slice(2));
