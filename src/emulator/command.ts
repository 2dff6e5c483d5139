/** `verdict emulator`: flags → startEmulator → wait for a signal → close. */
import { Command, InvalidArgumentError, Option } from 'commander';
import * as z from 'zod';
import { parseFaultSpec } from './fault-spec.js';
import { profileNames } from './profiles.js';
import { startEmulator } from './server.js';
import type { FaultRule } from './types.js';

/** What the command touches outside itself; tests replace both. */
export interface EmulatorCommandIO {
  /** Prints one line; default stdout. */
  print?: (line: string) => void;
  /** Resolves when the server should stop; default the first SIGINT or SIGTERM. */
  untilStopped?: () => Promise<void>;
}

const portSchema = z.int({ error: 'must be an integer' }).min(0, 'must be 0 or more').max(65535, 'must be at most 65535');
const integerSchema = z.int({ error: 'must be an integer' });
const millisecondsSchema = z.number({ error: 'must be a number' }).min(0, 'must be 0 or more');
const limitSchema = z.number({ error: 'must be a number' }).positive('must be greater than 0');

/** A commander arg parser that reads a number and checks it with `schema`; errors name the flag. */
function numberFlag(flag: string, schema: z.ZodType<number>): (value: string) => number {
  return (value) => {
    const parsed = schema.safeParse(value.trim() === '' ? Number.NaN : Number(value));
    if (!parsed.success) throw new InvalidArgumentError(`${flag} ${parsed.error.issues[0]?.message ?? 'is invalid'}.`);
    return parsed.data;
  };
}

function collectFault(spec: string, previous: FaultRule[]): FaultRule[] {
  try {
    return [...previous, parseFaultSpec(spec)];
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

const numeric = (flags: string, description: string, flag: string, schema: z.ZodType<number>) =>
  new Option(flags, description).argParser(numberFlag(flag, schema));

/** The `emulator` subcommand: runs the bundled OpenAI-compatible server until SIGINT/SIGTERM. */
export function emulatorCommand(io: EmulatorCommandIO = {}): Command {
  const print = io.print ?? ((line: string) => void process.stdout.write(`${line}\n`));
  const untilStopped = io.untilStopped ?? untilSignalled;
  return new Command('emulator')
    .description('Run the bundled OpenAI-compatible emulator (deterministic answers, rate limits, injectable faults).')
    // Added to the program with addCommand, it inherits none of its settings: without this a bad
    // flag makes commander exit 1 itself, where bad usage is exit 2 (SPEC) as the CLI maps it.
    .exitOverride()
    .addOption(new Option('--profile <name>', 'play a provider: its error shapes, headers and quirks (docs/servers.md)').choices(profileNames))
    .option('--host <host>', 'interface to bind', '127.0.0.1')
    .addOption(numeric('--port <n>', 'port to listen on (0 picks a free port)', '--port', portSchema).default(8787))
    .addOption(numeric('--seed <n>', 'seed for answers, fault rates and jitter', '--seed', integerSchema).default(0))
    .addOption(numeric('--latency <ms>', 'delay before each answer', '--latency', millisecondsSchema).default(0))
    .addOption(numeric('--jitter <ms>', 'uniform ± jitter on the delay', '--jitter', millisecondsSchema).default(0))
    .addOption(numeric('--rpm <n>', 'requests-per-minute limit (default unlimited)', '--rpm', limitSchema))
    .addOption(numeric('--tpm <n>', 'tokens-per-minute limit (default unlimited)', '--tpm', limitSchema))
    .addOption(
      numeric('--reset-tokens <ms>', 'report x-ratelimit-reset-tokens as this long on every answer (e.g. 360000 → 6m0s)', '--reset-tokens', millisecondsSchema),
    )
    .option('--api-key <key>', 'accept only this key (default: any non-empty bearer token)')
    .addOption(numeric('--batch-delay <ms>', 'how long a batch takes from created to completed', '--batch-delay', millisecondsSchema).default(1000))
    .option('--no-structured-outputs', 'refuse response_format json_schema with 400, like servers without it')
    .option('--no-logprobs', 'ignore logprobs: true and answer without token logprobs, like servers without them')
    .addOption(
      new Option('--fault <spec>', 'inject a fault: kind[:count|:rate][@match], e.g. server_error:0.1 (repeatable)')
        .argParser(collectFault)
        .default([] as FaultRule[]),
    )
    .action(async (flags: EmulatorFlags) => {
      const emulator = await startEmulator({
        ...(flags.profile ? { profile: flags.profile } : {}),
        host: flags.host,
        port: flags.port,
        seed: flags.seed,
        latencyMs: flags.latency,
        jitterMs: flags.jitter,
        rpm: flags.rpm,
        tpm: flags.tpm,
        resetTokensMs: flags.resetTokens,
        apiKey: flags.apiKey,
        // Left to the profile unless turned off on the command line.
        ...(flags.structuredOutputs ? {} : { structuredOutputs: false }),
        ...(flags.logprobs ? {} : { logprobs: false }),
        faults: flags.fault,
        batchDelayMs: flags.batchDelay,
      });
      print(`verdict emulator listening on ${emulator.url}${flags.profile ? ` (playing ${flags.profile})` : ''}`);
      await untilStopped();
      await emulator.close();
    });
}

interface EmulatorFlags {
  profile?: string;
  host: string;
  port: number;
  seed: number;
  latency: number;
  jitter: number;
  rpm?: number;
  tpm?: number;
  resetTokens?: number;
  apiKey?: string;
  structuredOutputs: boolean;
  logprobs: boolean;
  fault: FaultRule[];
  batchDelay: number;
}

function untilSignalled(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
