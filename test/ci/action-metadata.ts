import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import * as z from 'zod';

export const ACTION_PATH = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The metadata of a composite action, as GitHub documents it ("Metadata syntax reference",
 * docs.github.com/en/actions/reference/workflows-and-actions/metadata-syntax): name and description
 * required; inputs with a description, `required` and a string `default`; outputs of a composite
 * need a `value`; `runs.using: composite` with steps, each a `run` (which then needs `shell`) or a
 * `uses`. No npm package ships SchemaStore's github-action.json, so the documented fields are
 * written down here; strict objects reject a misspelt key, as GitHub's loader does.
 */
const Input = z.strictObject({
  description: z.string().min(1),
  required: z.boolean().optional(),
  default: z.string().optional(),
  deprecationMessage: z.string().optional(),
});
const Output = z.strictObject({ description: z.string().min(1), value: z.string().min(1) });
const stepCommon = {
  name: z.string().optional(),
  id: z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]*$/).optional(),
  if: z.string().optional(),
  env: z.record(z.string(), z.string()).optional(),
  'continue-on-error': z.union([z.boolean(), z.string()]).optional(),
};
export const RunStep = z.strictObject({
  ...stepCommon,
  run: z.string().min(1),
  shell: z.string().min(1),
  'working-directory': z.string().optional(),
});
export const UsesStep = z.strictObject({
  ...stepCommon,
  uses: z.string().regex(/^[\w.-]+\/[\w./-]+@[\w.-]+$/, 'owner/repo@ref'),
  with: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
});
export const ActionMetadata = z.strictObject({
  name: z.string().min(1),
  description: z.string().min(1),
  author: z.string().optional(),
  branding: z.strictObject({ icon: z.string(), color: z.enum(['white', 'black', 'yellow', 'blue', 'green', 'orange', 'red', 'purple', 'gray-dark']) }).optional(),
  inputs: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]*$/), Input).optional(),
  outputs: z.record(z.string(), Output).optional(),
  runs: z.strictObject({ using: z.literal('composite'), steps: z.array(z.union([RunStep, UsesStep])).min(1) }),
});
export type ActionMetadata = z.infer<typeof ActionMetadata>;

/** action.yml as parsed, unchecked. */
export function readActionYaml(): unknown {
  return parse(readFileSync(new URL('../../action.yml', import.meta.url), 'utf8'));
}
