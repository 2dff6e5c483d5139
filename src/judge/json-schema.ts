import * as z from 'zod';

/** The `response_format` of a strict structured-output request for this schema. */
export interface JsonSchemaResponseFormat {
  type: 'json_schema';
  json_schema: { name: string; strict: true; schema: Record<string, unknown> };
}

/**
 * Converts an answer schema to the strict JSON schema OpenAI accepts: every property required,
 * no extra properties. zod's own output already has both for plain objects; `$schema` is dropped
 * because the API does not want it.
 */
export function toResponseFormat(name: string, schema: z.ZodType): JsonSchemaResponseFormat {
  const { $schema: _dropped, ...jsonSchema } = z.toJSONSchema(schema, { target: 'draft-07', io: 'output' });
  return { type: 'json_schema', json_schema: { name, strict: true, schema: jsonSchema } };
}
