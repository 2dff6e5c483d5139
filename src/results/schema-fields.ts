import * as z from 'zod';

/** What a schema says of one field: its type without wrappers, and whether it may be null or left out. */
export interface FieldType {
  type: z.ZodType;
  nullable: boolean;
  /** Left out when absent (`.optional()`); a `.default()` field is always there once read. */
  optional: boolean;
}

// Writers ask this of every field of every record: each schema is unwrapped once.
const known = new WeakMap<z.ZodType, FieldType>();

/** A field's schema with its optional, nullable and default wrappers taken off. */
export function fieldType(schema: z.ZodType): FieldType {
  let field = known.get(schema);
  if (field === undefined) known.set(schema, (field = unwrapped(schema)));
  return field;
}

function unwrapped(schema: z.ZodType): FieldType {
  let type = schema;
  let nullable = false;
  let optional = false;
  for (;;) {
    if (type instanceof z.ZodDefault) type = type.unwrap() as z.ZodType;
    else if (type instanceof z.ZodOptional) [type, optional] = [type.unwrap() as z.ZodType, true];
    else if (type instanceof z.ZodNullable) [type, nullable] = [type.unwrap() as z.ZodType, true];
    else return { type, nullable, optional };
  }
}

/** An optional boolean is a flag: kept only when true, so files without it keep their shape. */
export function isFlag(field: FieldType): boolean {
  return field.optional && field.type instanceof z.ZodBoolean;
}

/**
 * A value with the keys of every object in it in its schema's order, at every depth, and without the
 * keys its schema does not know or that are absent (a flag that is not true counts as absent). Maps
 * and other values are kept as they are. Writers use it so that the bytes do not depend on the order
 * a producer built its object in.
 */
export function inSchemaOrder(schema: z.ZodType, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  const { type } = fieldType(schema);
  if (type instanceof z.ZodArray && Array.isArray(value)) return value.map((item) => inSchemaOrder(type.element as z.ZodType, item));
  if (!(type instanceof z.ZodObject) || typeof value !== 'object') return value;
  const ordered: Record<string, unknown> = {};
  for (const { key, field, flag } of fieldsOf(type)) {
    const item = (value as Record<string, unknown>)[key];
    if (item === undefined || (flag && item !== true)) continue;
    ordered[key] = inSchemaOrder(field, item);
  }
  return ordered;
}

// Every record written walks its schema's fields: each object schema's list is made once.
const fieldLists = new WeakMap<z.ZodObject, { key: string; field: z.ZodType; flag: boolean }[]>();

function fieldsOf(schema: z.ZodObject): { key: string; field: z.ZodType; flag: boolean }[] {
  let fields = fieldLists.get(schema);
  if (fields === undefined) {
    fields = Object.entries(schema.shape as Record<string, z.ZodType>).map(([key, field]) => ({ key, field, flag: isFlag(fieldType(field)) }));
    fieldLists.set(schema, fields);
  }
  return fields;
}
