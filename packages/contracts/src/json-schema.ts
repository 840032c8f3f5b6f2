import { readFileSync } from 'node:fs';
import {
  createFileRegistry,
  type DescEnum,
  type DescField,
  type DescMessage,
  type FileRegistry,
  fromBinary,
  ScalarType,
} from '@bufbuild/protobuf';
import { FileDescriptorSetSchema } from '@bufbuild/protobuf/wkt';
import { descriptorSetPath } from './descriptor';

export type JsonSchema = { [key: string]: unknown };

let registry: FileRegistry | undefined;

/** Every proto file of the contracts (and its imports), from the descriptor set the build writes. */
export function protoRegistry(): FileRegistry {
  registry ??= createFileRegistry(fromBinary(FileDescriptorSetSchema, readFileSync(descriptorSetPath)));
  return registry;
}

export function findMessage(fullName: string): DescMessage {
  const message = protoRegistry().getMessage(fullName);
  if (!message) throw new Error(`no message ${fullName} in the contracts`);
  return message;
}

const wellKnown: Record<string, JsonSchema> = {
  'google.protobuf.Timestamp': { type: 'string', format: 'date-time' },
  'google.protobuf.Duration': { type: 'string', pattern: '^-?[0-9]+(\\.[0-9]+)?s$' },
  'google.protobuf.FieldMask': { type: 'string', description: 'Comma-separated field paths' },
  'google.protobuf.Struct': { type: 'object' },
  'google.protobuf.Value': {},
  'google.protobuf.Empty': { type: 'object', additionalProperties: false },
};

function scalarSchema(type: ScalarType): JsonSchema {
  switch (type) {
    case ScalarType.STRING:
      return { type: 'string' };
    case ScalarType.BOOL:
      return { type: 'boolean' };
    case ScalarType.BYTES:
      return { type: 'string', contentEncoding: 'base64' };
    case ScalarType.DOUBLE:
    case ScalarType.FLOAT:
      return { type: 'number' };
    case ScalarType.INT32:
    case ScalarType.SINT32:
    case ScalarType.SFIXED32:
      return { type: 'integer', minimum: -2147483648, maximum: 2147483647 };
    case ScalarType.UINT32:
    case ScalarType.FIXED32:
      return { type: 'integer', minimum: 0, maximum: 4294967295 };
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
      // 64-bit integers travel as JSON numbers here (generated with forceLong=number): exact up to 2^53.
      return { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER };
    default:
      return { type: 'integer', minimum: Number.MIN_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER };
  }
}

/** Leading comment of a top-level message or of one of its fields, from the descriptor's source info. */
function commentOf(message: DescMessage, field?: DescField): string | undefined {
  if (message.parent) return undefined;
  const path = [4, message.file.messages.indexOf(message)];
  if (field) path.push(2, message.fields.indexOf(field));
  const location = message.file.proto.sourceCodeInfo?.location.find(
    (l) => l.path.length === path.length && l.path.every((p, i) => p === path[i]),
  );
  const text = location?.leadingComments?.trim();
  return text ? text.replace(/\s*\n\s*/g, ' ') : undefined;
}

export interface SchemaOptions {
  /** Prefix of `$ref`s, e.g. `#/components/schemas/`. */
  refPrefix: string;
  /** Refuse unknown properties (for request bodies). */
  strict?: boolean;
  /** Constraints the proto cannot carry (lengths, patterns, code lists), merged into the generated schemas. */
  overlay?: SchemaOverlay;
}

/**
 * Constraints of one message that hold wherever it appears: keywords merged into a field's schema
 * (`items` into its items; a message field keeps its `$ref` and gains them through `allOf`), and
 * keywords of the message's own schema (`anyOf`, ...). A field it names that the message lacks is an
 * error, so a renamed proto field cannot leave a constraint behind unnoticed.
 */
export interface MessageOverlay {
  fields?: Record<string, JsonSchema>;
  /** Keywords of the message's schema itself, e.g. `required` or `anyOf` across fields. */
  message?: JsonSchema;
}
export type SchemaOverlay = Record<string, MessageOverlay>;

/** A field's generated schema with an overlay's keywords. */
export function mergeSchema(base: JsonSchema, extra: JsonSchema): JsonSchema {
  if (typeof base.$ref === 'string') return { allOf: [base, extra] };
  const merged: JsonSchema = { ...base, ...extra };
  if (base.items && extra.items)
    merged.items = mergeSchema(base.items as JsonSchema, extra.items as JsonSchema);
  return merged;
}

/**
 * JSON Schemas (draft 2020-12, as OpenAPI 3.1 and AsyncAPI 3 use) of messages in the proto3 JSON
 * form the generated code reads and writes (camelCase names, enums by name, Timestamps as RFC 3339),
 * keyed by full name, with every message they refer to.
 */
export function jsonSchemas(
  rootNames: readonly string[],
  options: SchemaOptions,
): Record<string, JsonSchema> {
  const out: Record<string, JsonSchema> = {};
  const pending = [...rootNames];
  const ref = (name: string) => {
    if (!(name in out) && !pending.includes(name)) pending.push(name);
    return { $ref: `${options.refPrefix}${name}` };
  };
  const enumSchema = (e: DescEnum): JsonSchema => ({
    type: 'string',
    enum: e.values.map((v) => v.name),
  });
  const fieldSchema = (field: DescField): JsonSchema => {
    const single = (): JsonSchema => {
      switch (field.fieldKind) {
        case 'scalar':
          return scalarSchema(field.scalar);
        case 'enum':
          return enumSchema(field.enum);
        case 'message':
          return wellKnown[field.message.typeName] ?? ref(field.message.typeName);
        case 'list':
          return {
            type: 'array',
            items:
              field.listKind === 'scalar'
                ? scalarSchema(field.scalar)
                : field.listKind === 'enum'
                  ? enumSchema(field.enum)
                  : (wellKnown[field.message.typeName] ?? ref(field.message.typeName)),
          };
        case 'map':
          return {
            type: 'object',
            additionalProperties:
              field.mapKind === 'scalar'
                ? scalarSchema(field.scalar)
                : field.mapKind === 'enum'
                  ? enumSchema(field.enum)
                  : ref(field.message.typeName),
          };
      }
    };
    return single();
  };
  while (pending.length > 0) {
    const name = pending.shift() as string;
    if (name in out) continue;
    if (wellKnown[name]) {
      out[name] = wellKnown[name];
      continue;
    }
    const message = findMessage(name);
    const overlay = options.overlay?.[name];
    const names = new Set(message.fields.map((f) => f.jsonName));
    const stray = Object.keys(overlay?.fields ?? {}).filter((f) => !names.has(f));
    if (stray.length > 0)
      throw new Error(`the overlay of ${name} names fields it lacks: ${stray.join(', ')}`);
    const properties: Record<string, JsonSchema> = {};
    for (const field of message.fields) {
      const description = commentOf(message, field);
      const extra = overlay?.fields?.[field.jsonName];
      const schema = extra ? mergeSchema(fieldSchema(field), extra) : fieldSchema(field);
      properties[field.jsonName] = description ? { ...schema, description } : schema;
    }
    const description = commentOf(message);
    out[name] = {
      type: 'object',
      title: message.name,
      ...(description ? { description } : {}),
      properties,
      ...(options.strict ? { additionalProperties: false } : {}),
      ...overlay?.message,
    };
  }
  return out;
}
