// The oldest Node verdict runs on is package.json's engines.node (one number, kept in one place).
// npm only warns about engines, and on an older Node verdict would fail later and misleadingly (on
// Node 20 a run blamed the user's dataset: "buffer.transfer is not a function"). So the bin imports
// this first, before anything that needs a newer Node, and it stops with one plain line.
// Old syntax and only node:fs on purpose: this file must itself load on the Nodes it turns away.
import { readFileSync } from 'node:fs';

/** [major, minor, patch] of engines.node, which must read ">=X", ">=X.Y" or ">=X.Y.Z". */
export function nodeFloor(engines) {
  const match = /^>=\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(String(engines).trim());
  if (!match) throw new Error('package.json engines.node must read ">=X.Y.Z", not ' + JSON.stringify(engines));
  return [Number(match[1]), Number(match[2] || 0), Number(match[3] || 0)];
}

/** The one line to print when Node `found` (e.g. "v20.20.2") is below the floor; undefined when it is not. */
export function belowFloorMessage(found, engines) {
  const floor = nodeFloor(engines);
  const have = String(found).replace(/^v/, '').split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    if ((have[i] || 0) > floor[i]) return undefined;
    if ((have[i] || 0) < floor[i]) {
      return (
        'verdict: needs Node.js ' + floor.join('.') + ' or newer, but this is Node.js ' + String(found).replace(/^v/, '') +
        '; install a newer Node, or run verdict with one from npm: npx -p node@' + floor[0] + ' verdict …'
      );
    }
  }
  return undefined;
}

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const message = belowFloorMessage(process.version, pkg.engines.node);
if (message) {
  process.stderr.write(message + '\n');
  process.exit(2);
}
