import { describe, expect, it } from 'vitest';
import { ActionMetadata, readActionYaml } from './action-metadata.js';

describe('action.yml', () => {
  it('is valid composite action metadata', () => {
    const parsed = ActionMetadata.safeParse(readActionYaml());
    expect(parsed.error?.issues ?? []).toEqual([]);
  });

  it('is refused by the schema when a step has run without shell, or a key is misspelt', () => {
    const action = readActionYaml() as ActionMetadata;
    const noShell = structuredClone(action);
    delete (noShell.runs.steps[0] as { shell?: string }).shell;
    expect(ActionMetadata.safeParse(noShell).success).toBe(false);
    expect(ActionMetadata.safeParse({ ...action, input: action.inputs }).success).toBe(false);
  });

  it('hands inputs to scripts through env only: no expression inside a run script', () => {
    const action = ActionMetadata.parse(readActionYaml());
    for (const step of action.runs.steps) if ('run' in step) expect(step.run).not.toContain('${{');
  });
});
