/**
 * A server that takes `response_format` but ignores it answers in prose: Anthropic's OpenAI layer
 * does (platform.claude.com/docs/en/api/openai-sdk: "response_format … ignored"). Under a strict
 * JSON schema a server that honours it can only answer a JSON object, so an answer that does not
 * even begin like one says the schema was not applied: ask in plain text from then on.
 */
export function responseFormatIgnored(content: string): boolean {
  return !content.trimStart().startsWith('{');
}
