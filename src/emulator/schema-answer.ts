/**
 * Builds a JSON value that satisfies a JSON schema, as structured outputs guarantee. Each choice
 * comes from `choose(path, n)`, so the same request always gets the same answer.
 */

/** Picks an integer in [0, n) for a property path; must be deterministic. */
export type Chooser = (path: string, n: number) => number;

type Schema = Record<string, unknown>;

/** Fallback sentences for string fields: short, plausible judge reasoning. */
export const reasoningSentences = [
  'The answer addresses the question directly and stays on topic.',
  'The response is mostly accurate but misses a detail the reference includes.',
  'The reply is clear and well organised, with one minor imprecision.',
  'The answer contradicts the reference on a key point.',
  'The response is relevant but thin on supporting detail.',
  'The reply covers the main points the question asks about.',
] as const;

// Deep enough for any judge schema; a cap keeps a self-referencing $ref from recursing forever.
const maxDepth = 24;

/** A value satisfying `schema` (objects, strings, numbers, booleans, enums, arrays, nullables, local $refs). */
export function valueForSchema(schema: unknown, choose: Chooser): unknown {
  return walk(schema, '$', { root: schema, choose }, 0);
}

interface WalkContext {
  root: unknown;
  choose: Chooser;
}

function walk(schema: unknown, path: string, ctx: WalkContext, depth: number): unknown {
  if (schema === true) return sentence(path, ctx);
  if (!isSchema(schema) || depth > maxDepth) return null;
  if (typeof schema.$ref === 'string') return walk(resolveRef(schema.$ref, ctx.root), path, ctx, depth + 1);
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) {
    return schema.enum[ctx.choose(`${path}#enum`, schema.enum.length)];
  }
  const branches = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(branches) && branches.length > 0) {
    // A nullable field gets a real value: an answer full of nulls tells a test nothing.
    const branch = branches.find((b) => !(isSchema(b) && b.type === 'null')) ?? branches[0];
    return walk(branch, path, ctx, depth + 1);
  }
  if (Array.isArray(schema.allOf) && schema.allOf.length > 0) {
    return walk(mergeSchemas(schema.allOf), path, ctx, depth + 1);
  }
  switch (chosenType(schema)) {
    case 'object':
      return objectValue(schema, path, ctx, depth);
    case 'array':
      return arrayValue(schema, path, ctx, depth);
    case 'integer':
      return integerValue(schema, path, ctx);
    case 'number':
      return numberValue(schema, path, ctx);
    case 'boolean':
      return ctx.choose(`${path}#bool`, 2) === 1;
    case 'null':
      return null;
    default:
      return stringValue(schema, path, ctx);
  }
}

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function chosenType(schema: Schema): string {
  const declared = Array.isArray(schema.type) ? schema.type.filter((t) => t !== 'null') : [schema.type];
  const first = declared[0] ?? (Array.isArray(schema.type) ? 'null' : undefined);
  if (typeof first === 'string') return first;
  if (isSchema(schema.properties)) return 'object';
  if (schema.items !== undefined || Array.isArray(schema.prefixItems)) return 'array';
  return 'string';
}

function resolveRef(ref: string, root: unknown): unknown {
  if (!ref.startsWith('#')) return null;
  let node: unknown = root;
  for (const raw of ref.slice(1).split('/').filter(Boolean)) {
    const key = decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~');
    node = isSchema(node) ? node[key] : undefined;
  }
  return node ?? null;
}

function mergeSchemas(parts: unknown[]): Schema {
  const merged: Schema = {};
  for (const part of parts) {
    if (!isSchema(part)) continue;
    const properties = { ...(isSchema(merged.properties) ? merged.properties : {}), ...(isSchema(part.properties) ? part.properties : {}) };
    Object.assign(merged, part, { properties });
  }
  return merged;
}

function objectValue(schema: Schema, path: string, ctx: WalkContext, depth: number): Record<string, unknown> {
  const value: Record<string, unknown> = {};
  // Every declared property is filled: strict mode requires them all, and extras are harmless.
  for (const [key, sub] of Object.entries(isSchema(schema.properties) ? schema.properties : {})) {
    value[key] = walk(sub, `${path}.${key}`, ctx, depth + 1);
  }
  return value;
}

function arrayValue(schema: Schema, path: string, ctx: WalkContext, depth: number): unknown[] {
  if (Array.isArray(schema.prefixItems)) {
    return schema.prefixItems.map((item, i) => walk(item, `${path}[${i}]`, ctx, depth + 1));
  }
  const minItems = typeof schema.minItems === 'number' ? schema.minItems : 0;
  const maxItems = typeof schema.maxItems === 'number' ? schema.maxItems : Infinity;
  const length = Math.min(maxItems, Math.max(minItems, 1 + ctx.choose(`${path}#length`, 3)));
  return Array.from({ length }, (_, i) => walk(schema.items ?? true, `${path}[${i}]`, ctx, depth + 1));
}

/** The inclusive range to pick from; an unbounded or huge range narrows to a plausible 5-point scale. */
function numericRange(schema: Schema, step: number): [number, number] {
  let low = -Infinity;
  let high = Infinity;
  if (typeof schema.minimum === 'number') low = schema.minimum;
  if (typeof schema.maximum === 'number') high = schema.maximum;
  // draft-2020 exclusive bounds are numbers; draft-04 ones are booleans qualifying minimum/maximum.
  if (typeof schema.exclusiveMinimum === 'number') low = Math.max(low, schema.exclusiveMinimum + step);
  if (typeof schema.exclusiveMaximum === 'number') high = Math.min(high, schema.exclusiveMaximum - step);
  if (schema.exclusiveMinimum === true) low += step;
  if (schema.exclusiveMaximum === true) high -= step;
  if (high - low > 1000) {
    const start = Math.min(Math.max(1, low), high - 4);
    return [start, start + 4];
  }
  return [low, high];
}

function integerValue(schema: Schema, path: string, ctx: WalkContext): number {
  const [low, high] = numericRange(schema, 1);
  const first = Math.ceil(low);
  const last = Math.floor(high);
  if (last < first) return first;
  return first + ctx.choose(`${path}#int`, last - first + 1);
}

function numberValue(schema: Schema, path: string, ctx: WalkContext): number {
  const [low, high] = numericRange(schema, 0.01);
  if (high <= low) return low;
  const value = low + ((high - low) * ctx.choose(`${path}#num`, 101)) / 100;
  return Math.min(high, Math.max(low, Math.round(value * 100) / 100));
}

function stringValue(schema: Schema, path: string, ctx: WalkContext): string {
  let text = sentence(path, ctx);
  const minLength = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const maxLength = typeof schema.maxLength === 'number' ? schema.maxLength : Infinity;
  while (text.length < minLength) text += ` ${sentence(`${path}#${text.length}`, ctx)}`;
  return text.slice(0, maxLength);
}

function sentence(path: string, ctx: WalkContext): string {
  return reasoningSentences[ctx.choose(`${path}#text`, reasoningSentences.length)]!;
}
