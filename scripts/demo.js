// `npm run demo`: a real evaluation, offline. Starts the bundled emulator on loopback, grades the
// sample Q&A set with the built-in `correctness` prompt through the real CLI, and stops it again.
// The emulator is told to misbehave a little (a 429 burst, a 500, a garbled answer) so the demo
// shows the retries and re-asks doing their job.
import { main, processIo } from '../dist/cli.js';
import { startEmulator } from '../dist/emulator/index.js';

const emulator = await startEmulator({
  seed: 7,
  latencyMs: 120,
  jitterMs: 80,
  faults: [
    { kind: 'rate_limit', count: 3, retryAfterMs: 400 },
    { kind: 'server_error', count: 1, match: 'Who wrote Hamlet?' },
    { kind: 'malformed', count: 1, match: 'What is 10 in binary?' },
  ],
});
process.stderr.write(`emulator: ${emulator.url}\n`);

const io = processIo();
// The emulator accepts any key; never hand it a real one from the environment.
io.env = { ...io.env, OPENAI_API_KEY: 'emulator-demo-key', OPENAI_BASE_URL: emulator.url };

let code = 1;
try {
  code = await main(
    [
      'run',
      '--dataset', 'datasets/qa.jsonl',
      '--prompt', 'correctness',
      '--out', 'results/demo.jsonl',
      '--out', 'results/demo.csv',
      '--summary', 'results/demo-summary.json',
      '--concurrency', '4',
      '--force',
    ],
    io,
  );
} finally {
  const stats = emulator.stats();
  await emulator.close();
  process.stderr.write(`emulator answered ${stats.requests} requests; results are in results/demo.jsonl and results/demo.csv\n`);
}
process.exitCode = code;
