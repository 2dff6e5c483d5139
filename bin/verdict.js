#!/usr/bin/env node
// First, before anything that needs a newer Node: stop with one line on a Node below engines.node.
import './node-floor.js';
import module from 'node:module';

// Node keeps the compiled code of verdict and its libraries on disk, so a second start skips
// compiling them (node's own cache, in the system's temporary folder; NODE_DISABLE_COMPILE_CACHE=1 turns it off).
module.enableCompileCache?.();

// A reader that stops early (`verdict prompts | head -3`) closes the pipe: nothing is left to say to it.
process.stdout.on('error', (error) => {
  if (error.code !== 'EPIPE') throw error;
});
const { main } = await import('../dist/cli.js');
process.exitCode = await main(process.argv.slice(2));
