/**
 * Reasoning that open models write into the answer itself: DeepSeek-R1, Qwen3 and others open the
 * content with `<think>…</think>` when the server does not split it out (vLLM without a reasoning
 * parser, llama.cpp with `--reasoning-format none`, API-NOTES §11). A grade written while thinking
 * is not the answer, so the block is removed before the answer is read. An unclosed block (the
 * answer was cut off while thinking) leaves no answer at all.
 */

const LEADING_THINK = /^\s*<think>([\s\S]*?)<\/think>/;

/** The content without its leading `<think>` blocks; empty when a block never closes. */
export function withoutThinking(content: string): string {
  let rest = content;
  for (let match = LEADING_THINK.exec(rest); match; match = LEADING_THINK.exec(rest)) rest = rest.slice(match[0].length);
  if (/^\s*<think>/.test(rest)) return '';
  return rest === content ? content : rest.trimStart();
}
