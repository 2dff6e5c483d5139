// Preloaded (--import) into each process bench/startup measures: writes the process's CPU time
// (user + system, all threads, in ms) to file descriptor 3 as it exits.
import { writeSync } from 'node:fs';

process.on('exit', () => {
  const { user, system } = process.cpuUsage();
  writeSync(3, `${(user + system) / 1000}\n`);
});
