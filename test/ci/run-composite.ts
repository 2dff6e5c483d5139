import { spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ActionMetadata, ACTION_PATH, readActionYaml } from './action-metadata.js';

/** What the workflow gives the action, and the runner around it. */
export interface CompositeCall {
  with: Record<string, string>;
  /** `github.*` values the expressions read, by dotted path (e.g. "event.pull_request.number"). */
  github: Record<string, string>;
  /** The runner's environment for every step (GITHUB_*, RUNNER_TEMP, PATH, the job's env). */
  env: NodeJS.ProcessEnv;
  /** The job's working directory (GITHUB_WORKSPACE). */
  cwd: string;
  /** Where each step's GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files go. */
  runnerDir: string;
}

export interface StepResult {
  name: string;
  code: number;
  stdout: string;
  stderr: string;
  summary: string;
}

export interface CompositeResult {
  steps: StepResult[];
  /** The `uses:` steps, which this runner does not run (they are other actions: cache, upload-artifact). */
  skipped: string[];
  outputs: Record<string, string>;
}

/**
 * Evaluates the one kind of expression the action uses, a lone `${{ context.path }}`, as GitHub does:
 * inputs (given, else the default, else ''), steps.<id>.outputs.<name>, github.<path>; a missing
 * value is ''. Anything else (operators, functions) throws: the action must stay this simple for
 * the test to run it honestly.
 */
function substitute(text: string, call: CompositeCall, action: ActionMetadata, stepOutputs: Map<string, Record<string, string>>): string {
  return text.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_, expression: string) => {
    let match = /^inputs\.([A-Za-z0-9_-]+)$/.exec(expression);
    if (match) {
      const input = action.inputs?.[match[1]!];
      if (!input) throw new Error(`action.yml reads an undeclared input ${match[1]}`);
      return call.with[match[1]!] ?? input.default ?? '';
    }
    match = /^steps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)$/.exec(expression);
    if (match) return stepOutputs.get(match[1]!)?.[match[2]!] ?? '';
    match = /^github\.([A-Za-z0-9_.]+)$/.exec(expression);
    if (match) return call.github[match[1]!] ?? '';
    throw new Error(`the test's interpreter does not evaluate \${{ ${expression} }}`);
  });
}

/** GITHUB_OUTPUT's `name=value` lines (the action writes no multi-line values). */
function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) outputs[line.slice(0, at)] = line.slice(at + 1);
  }
  return outputs;
}

function runBash(script: string, env: NodeJS.ProcessEnv, cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // `shell: bash` on a runner is `bash --noprofile --norc -eo pipefail {0}`, the script in a file.
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/**
 * Runs action.yml's steps in order as a runner does: each `run:` script with bash, its env
 * substituted, GITHUB_ACTION_PATH at this repository, a fresh GITHUB_OUTPUT and
 * GITHUB_STEP_SUMMARY per step. A failing step ends the job, as without continue-on-error.
 */
export async function runComposite(call: CompositeCall): Promise<CompositeResult> {
  const action = ActionMetadata.parse(readActionYaml());
  const stepOutputs = new Map<string, Record<string, string>>();
  const result: CompositeResult = { steps: [], skipped: [], outputs: {} };
  await mkdir(call.runnerDir, { recursive: true });
  for (const [index, step] of action.runs.steps.entries()) {
    const name = step.name ?? `step ${index}`;
    if ('uses' in step) {
      result.skipped.push(step.uses);
      continue;
    }
    if (step.if !== undefined) throw new Error(`the test's runner does not evaluate if: on run steps (${name})`);
    const outputFile = path.join(call.runnerDir, `output-${index}`);
    const summaryFile = path.join(call.runnerDir, `summary-${index}`);
    await writeFile(outputFile, '');
    await writeFile(summaryFile, '');
    const env: NodeJS.ProcessEnv = { ...call.env, GITHUB_ACTION_PATH: ACTION_PATH, GITHUB_OUTPUT: outputFile, GITHUB_STEP_SUMMARY: summaryFile };
    for (const [key, value] of Object.entries(step.env ?? {})) env[key] = substitute(value, call, action, stepOutputs);
    const ran = await runBash(step.run, env, call.cwd);
    if (step.id !== undefined) stepOutputs.set(step.id, parseOutputs(await readFile(outputFile, 'utf8')));
    result.steps.push({ name, ...ran, summary: await readFile(summaryFile, 'utf8') });
    if (ran.code !== 0) break;
  }
  for (const [key, output] of Object.entries(action.outputs ?? {})) result.outputs[key] = substitute(output.value, call, action, stepOutputs);
  return result;
}
