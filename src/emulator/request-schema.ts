import * as z from 'zod';

const textPartSchema = z.looseObject({ type: z.literal('text'), text: z.string() });

const messageSchema = z.looseObject({
  role: z.enum(['system', 'developer', 'user', 'assistant', 'tool', 'function']),
  content: z.union([z.string(), z.null(), z.array(textPartSchema)]).optional(),
});

const responseFormatSchema = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('text') }),
  z.looseObject({ type: z.literal('json_object') }),
  z.looseObject({
    type: z.literal('json_schema'),
    json_schema: z.looseObject({
      name: z.string(),
      description: z.string().optional(),
      schema: z.record(z.string(), z.unknown()).optional(),
      strict: z.boolean().nullish(),
    }),
  }),
]);

/** The parts of a chat-completion request body the emulator reads; other fields pass unchecked. */
export const chatRequestSchema = z.looseObject({
  model: z.string().min(1),
  messages: z.array(messageSchema).min(1),
  stream: z.boolean().nullish(),
  max_tokens: z.int().positive().nullish(),
  max_completion_tokens: z.int().positive().nullish(),
  response_format: responseFormatSchema.optional(),
  temperature: z.number().min(0).max(2).nullish(),
  logprobs: z.boolean().nullish(),
  top_logprobs: z.int().min(0).max(20).nullish(),
});

/** A validated chat-completion request. */
export type ChatRequest = z.infer<typeof chatRequestSchema>;
/** One message of a validated request. */
export type ChatMessage = ChatRequest['messages'][number];
/** The requested answer format, when one was given. */
export type ResponseFormat = NonNullable<ChatRequest['response_format']>;

/** What was wrong with a body, in OpenAI's terms. */
export interface RequestProblem {
  message: string;
  param: string | null;
  code: string;
}

/** Validates a parsed JSON body; a problem names the parameter like OpenAI does (`messages[0].content`). */
export function checkChatRequest(
  body: unknown,
): { ok: true; request: ChatRequest } | { ok: false; problem: RequestProblem } {
  const parsed = chatRequestSchema.safeParse(body, { reportInput: true });
  if (parsed.success) return { ok: true, request: parsed.data };
  const issue = parsed.error.issues[0];
  const param = issue ? formatParam(issue.path) : null;
  if (issue?.code === 'invalid_type' && issue.input === undefined) {
    return {
      ok: false,
      problem: { message: `Missing required parameter: '${param}'.`, param, code: 'missing_required_parameter' },
    };
  }
  const code = issue?.code === 'invalid_type' ? 'invalid_type' : 'invalid_value';
  const detail = issue?.message ?? 'invalid input';
  return {
    ok: false,
    problem: { message: `Invalid value for '${param ?? 'body'}': ${detail}.`, param, code },
  };
}

function formatParam(path: ReadonlyArray<PropertyKey>): string | null {
  if (path.length === 0) return null;
  let text = '';
  for (const key of path) {
    text += typeof key === 'number' ? `[${key}]` : text === '' ? String(key) : `.${String(key)}`;
  }
  return text;
}
