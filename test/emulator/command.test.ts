import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { emulatorCommand } from '../../src/emulator/command.js';
import { waitFor } from './helpers.js';

function chat(url: string, extra: object = {}) {
  return fetch(`${url}/chat/completions`, {
    method: 'POST',
    headers: { authorization: 'Bearer k', 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'x' }], ...extra }),
  });
}

describe('emulatorCommand', () => {
  it('starts an emulator with the flags given, prints its URL, and closes it when stopped', async () => {
    const lines: string[] = [];
    let stop!: () => void;
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    const command = emulatorCommand({ print: (line) => lines.push(line), untilStopped: () => stopped });
    const run = command.parseAsync(
      ['--port', '0', '--rpm', '60', '--api-key', 'sk-cli', '--fault', 'server_error:1', '--no-structured-outputs'],
      { from: 'user' },
    );
    await waitFor(() => lines.length > 0);
    const url = /^verdict emulator listening on (http:\/\/127\.0\.0\.1:\d+\/v1)$/.exec(lines[0]!)?.[1];
    expect(url).toBeDefined();

    expect((await chat(url!)).status).toBe(401); // only --api-key is accepted
    const post = (extra: object = {}) =>
      fetch(`${url}/chat/completions`, {
        method: 'POST',
        headers: { authorization: 'Bearer sk-cli', 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'x' }], ...extra }),
      }).then((response) => response.status);
    const jsonSchema = { response_format: { type: 'json_schema', json_schema: { name: 'g', schema: { type: 'object' } } } };
    // fault once; structured outputs refused; then one request per second under --rpm 60.
    expect([await post(), await post(jsonSchema), await post(), await post()]).toEqual([500, 400, 200, 429]);

    stop();
    await run;
    await expect(chat(url!)).rejects.toThrow();
  });

  it('defaults to 127.0.0.1:8787, any key, structured outputs on, no limits and no faults', async () => {
    const defaults = Object.fromEntries(emulatorCommand().options.map((option) => [option.long, option.defaultValue]));
    expect(defaults).toMatchObject({ '--host': '127.0.0.1', '--port': 8787, '--fault': [] });

    const lines: string[] = [];
    let stop!: () => void;
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    const run = emulatorCommand({ print: (line) => lines.push(line), untilStopped: () => stopped }).parseAsync(['--port', '0'], {
      from: 'user',
    });
    await waitFor(() => lines.length > 0);
    const url = lines[0]!.replace('verdict emulator listening on ', '');
    const jsonSchema = { response_format: { type: 'json_schema', json_schema: { name: 'g', schema: { type: 'object' } } } };
    const statuses = await Promise.all(Array.from({ length: 5 }, () => chat(url, jsonSchema).then((r) => r.status)));
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    stop();
    await run;
  });

  it.each([
    [['--port', 'abc'], /--port must be an integer/],
    [['--port', '70000'], /--port must be at most 65535/],
    [['--seed', '1.5'], /--seed must be an integer/],
    [['--latency', '-1'], /--latency must be 0 or more/],
    [['--rpm', '0'], /--rpm must be greater than 0/],
    [['--tpm', ''], /--tpm must be a number/],
    [['--reset-tokens', '-5'], /--reset-tokens must be 0 or more/],
    [['--fault', 'explode'], /--fault explode: kind must be one of/],
  ])('rejects %j with a message naming the flag, before starting anything', async (argv, message) => {
    const errors: string[] = [];
    let started = false;
    const command = emulatorCommand({ print: () => (started = true), untilStopped: async () => {} })
      .exitOverride()
      .configureOutput({ writeErr: (text) => errors.push(text) });
    const error = await command.parseAsync(argv, { from: 'user' }).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(CommanderError);
    expect(errors.join('')).toMatch(message);
    expect(started).toBe(false);
  });
});

describe('emulatorCommand --profile', () => {
  it('plays the provider named: LM Studio answers a path it does not serve with 200 and an error', async () => {
    const lines: string[] = [];
    let stop!: () => void;
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    const run = emulatorCommand({ print: (line) => lines.push(line), untilStopped: () => stopped }).parseAsync(['--port', '0', '--profile', 'lmstudio'], {
      from: 'user',
    });
    await waitFor(() => lines.length > 0);
    expect(lines[0]).toMatch(/ \(playing lmstudio\)$/);
    const url = /listening on (\S+)/.exec(lines[0]!)![1]!;
    const response = await chat(url.replace(/\/v1$/, ''));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ error: 'Unexpected endpoint or method. (POST /chat/completions)' });
    expect((await chat(url)).status).toBe(200);
    stop();
    await run;
  });

  it('refuses a profile it does not know, naming the ones it does', async () => {
    const command = emulatorCommand({ print: () => {}, untilStopped: async () => {} }).exitOverride().configureOutput({ writeErr: () => {} });
    const error = await command.parseAsync(['--profile', 'bard'], { from: 'user' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommanderError);
    expect((error as CommanderError).message).toContain('gemini');
  });
});
