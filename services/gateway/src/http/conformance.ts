import type { JsonSchema } from '@lienket/contracts';
import { AppError, invalidArgument } from '@lienket/platform';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { NextFunction, Request, Response } from 'express';

/**
 * What the OpenAPI document promises, enforced at the edge:
 * - a request that breaks the document is refused 400 (415 for a body that is not JSON);
 * - a request the document admits but a service refuses on a rule the document cannot state (a
 *   check digit, a date in the future, an unknown code) is refused 422, never 400;
 * - a method the document does not list for a known path is answered 405 with `Allow`.
 */
const conforming = new WeakSet<Request>();
export const markConforming = (request: Request) => conforming.add(request);
export const isConforming = (request: Request) => conforming.has(request);

/** Statuses that no error kind maps to (415), by error. */
const statusOverrides = new WeakMap<object, number>();
export const statusOverrideOf = (error: unknown): number | undefined =>
  typeof error === 'object' && error !== null ? statusOverrides.get(error) : undefined;

const hasBody = (request: Request) =>
  request.headers['transfer-encoding'] !== undefined || Number(request.headers['content-length'] ?? 0) > 0;

/** Refuses a request without a JSON body (400), or with a body in another media type (415). */
export function requireJsonBody(request: Request): void {
  if (!hasBody(request))
    throw new AppError('INVALID_ARGUMENT', 'A JSON body is required', {
      code: 'BODY_REQUIRED',
      messageVi: 'Cần nội dung JSON',
    });
  if (request.body === undefined || !request.is(['application/json', 'application/*+json'])) {
    const error = new AppError('INVALID_ARGUMENT', 'The body must be application/json', {
      code: 'UNSUPPORTED_MEDIA_TYPE',
      messageVi: 'Nội dung phải là application/json',
    });
    statusOverrides.set(error, 415);
    throw error;
  }
}

/**
 * A rule the document states that a person should read in the service's own words: a schema node
 * carrying `x-violation` replaces the validator's generic message for the keywords that fail in it
 * (validators need `verbose: true` so an error knows its schema node).
 */
export interface ViolationNote {
  /** The field to name, relative to the object the node describes. */
  field: string;
  /** Levels above the value the node describes where `field` is (1 on a property's own node). */
  up?: number;
  reason: string;
  message: string;
  messageVi: string;
}

const count = (n: unknown, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The validator's keyword in words a person reads, in English and Vietnamese. */
function describe(e: ErrorObject, field: string): [string, string] {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return [`${field} is required`, `${field} là bắt buộc`];
    case 'additionalProperties':
      return [`${field} is not a known field`, `${field} không phải trường hợp lệ`];
    case 'minLength':
      return [
        `${field} must be at least ${count(p.limit, 'character', 'characters')}`,
        `${field} phải có ít nhất ${p.limit} ký tự`,
      ];
    case 'maxLength':
      return [
        `${field} must be at most ${count(p.limit, 'character', 'characters')}`,
        `${field} không được dài quá ${p.limit} ký tự`,
      ];
    case 'minItems':
      return [`${field} needs at least ${p.limit}`, `${field} cần ít nhất ${p.limit} mục`];
    case 'maxItems':
      return [`${field} takes at most ${p.limit}`, `${field} có tối đa ${p.limit} mục`];
    case 'minimum':
    case 'exclusiveMinimum':
    case 'maximum':
    case 'exclusiveMaximum': {
      const vi = { minimum: '≥', exclusiveMinimum: '>', maximum: '≤', exclusiveMaximum: '<' }[e.keyword];
      return [`${field} must be ${p.comparison} ${p.limit}`, `${field} phải ${vi} ${p.limit}`];
    }
    case 'enum':
      return [
        `${field} must be one of ${(p.allowedValues as unknown[]).join(', ')}`,
        `${field} phải là một trong ${(p.allowedValues as unknown[]).join(', ')}`,
      ];
    case 'pattern':
    case 'format':
      return [`${field} is not in the expected form`, `${field} không đúng định dạng`];
    case 'type':
      return [`${field} must be ${p.type}`, `${field} phải có kiểu ${p.type}`];
    default:
      return [`${field} ${e.message ?? 'is invalid'}`, `${field} không hợp lệ (${e.message ?? ''})`];
  }
}

/** Field violations of a failed validation, named `<where>.<path>`, in words a person reads. */
export function violations(errors: ErrorObject[] | null | undefined, where: string) {
  const seen = new Set<string>();
  const out = [];
  for (const e of errors ?? []) {
    // A failed `then` is reported by the keyword that failed inside it; the `if` line adds nothing.
    if (e.keyword === 'if') continue;
    const path = [where, ...e.instancePath.split('/').filter(Boolean)];
    const note = (e.parentSchema as { 'x-violation'?: ViolationNote } | undefined)?.['x-violation'];
    if (note) {
      const field = [...path.slice(0, path.length - (note.up ?? 0)), note.field].join('.');
      const violation = {
        field,
        reason: note.reason,
        description: note.message,
        descriptionVi: note.messageVi,
      };
      const key = `${field} ${note.reason}`;
      if (!seen.has(key)) out.push(violation);
      seen.add(key);
      continue;
    }
    if (e.keyword === 'additionalProperties') path.push(String(e.params.additionalProperty));
    if (e.keyword === 'required') path.push(String(e.params.missingProperty));
    const field = path.join('.');
    const [description, descriptionVi] = describe(e, field);
    out.push({
      field,
      reason: e.keyword === 'additionalProperties' ? 'unknown_field' : e.keyword,
      description,
      descriptionVi,
    });
  }
  return out.slice(0, 20);
}

interface Operation {
  parameters?: { name: string; in: string; required?: boolean; schema?: JsonSchema }[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: JsonSchema }> };
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
const expressPath = (path: string) => path.replace(/\{([A-Za-z_]+)\}/g, ':$1');
const pathPattern = (path: string) =>
  new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[A-Za-z_]+\\?\}/g, '[^/]+')}/?$`);

/**
 * Validators of operations served by handlers outside the route table (webhook subscriptions),
 * compiled from their part of the document, so the document is the validator and cannot drift.
 * Mount with `app[method](expressPath, validate)` before those handlers.
 */
export function documentValidators(
  paths: Record<string, Record<string, unknown>>,
  components: { schemas: Record<string, JsonSchema> },
  /** Refuses a caller first (401/403 before 400), as the route table does. */
  authorise: (request: Request) => void = () => {},
): {
  method: (typeof METHODS)[number];
  path: string;
  validate: (r: Request, s: Response, n: NextFunction) => void;
}[] {
  const ajv = new Ajv({ allErrors: true, coerceTypes: 'array', strict: false, verbose: true });
  addFormats(ajv);
  const out = [];
  for (const [path, operations] of Object.entries(paths)) {
    for (const method of METHODS) {
      const operation = operations[method] as Operation | undefined;
      if (!operation) continue;
      const group = (where: string) => {
        const parameters = (operation.parameters ?? []).filter((p) => p.in === where);
        return ajv.compile({
          type: 'object',
          properties: Object.fromEntries(parameters.map((p) => [p.name, p.schema ?? {}])),
          required: parameters.filter((p) => p.required || where === 'path').map((p) => p.name),
          additionalProperties: false,
        });
      };
      const validatePath = group('path');
      const validateQuery = group('query');
      const bodySchema = operation.requestBody?.content?.['application/json']?.schema;
      const validateBody: ValidateFunction | undefined = bodySchema
        ? ajv.compile({ ...bodySchema, components })
        : undefined;
      out.push({
        method,
        path: expressPath(path),
        validate: (request: Request, _response: Response, next: NextFunction) => {
          try {
            authorise(request);
            const params = { ...request.params };
            if (!validatePath(params)) throw invalidArgument(violations(validatePath.errors, 'path'));
            const query = { ...(request.query as Record<string, unknown>) };
            if (!validateQuery(query)) throw invalidArgument(violations(validateQuery.errors, 'query'));
            if (validateBody) {
              if (operation.requestBody?.required || hasBody(request)) requireJsonBody(request);
              if (request.body !== undefined && !validateBody(structuredClone(request.body)))
                throw invalidArgument(violations(validateBody.errors, 'body'));
            }
            markConforming(request);
            next();
          } catch (error) {
            next(error);
          }
        },
      });
    }
  }
  return out;
}

/** 405 with `Allow` for a method the document does not list on one of its paths. */
export function methodNotAllowed(paths: Record<string, Record<string, unknown>>) {
  const known = Object.entries(paths).map(([path, operations]) => {
    const methods = METHODS.filter((m) => m in operations).map((m) => m.toUpperCase());
    if (methods.includes('GET') && !methods.includes('HEAD')) methods.push('HEAD');
    return { pattern: pathPattern(path), allow: methods.join(', ') };
  });
  return (request: Request, response: Response, next: NextFunction) => {
    const match = known.find((k) => k.pattern.test(request.path));
    if (!match || match.allow.split(', ').includes(request.method)) {
      next();
      return;
    }
    response.setHeader('Allow', match.allow);
    const error = new AppError('INVALID_ARGUMENT', `${request.method} is not allowed here`, {
      code: 'METHOD_NOT_ALLOWED',
      messageVi: `Không cho phép phương thức ${request.method} tại đây`,
    });
    statusOverrides.set(error, 405);
    next(error);
  };
}
