#!/usr/bin/env node
// Imported, not loaded up front, so that a check above this line can run first.
const { main } = await import('../dist/cli.js');
process.exitCode = await main(process.argv.slice(2));
