import { createHash } from 'node:crypto';
import { type JsonSchema, jsonSchemas } from '@lienket/contracts';
import { type Actor, AppError, invalidArgument } from '@lienket/platform';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { NextFunction, Request, Response, Router } from 'express';
import type { Role } from '../auth';
import type { CachedAnswer, ReadCache } from '../cache/read-cache';
import { markConforming, requireJsonBody, violations } from './conformance';
import { bodySchema, schemaOverlay } from './constraints';

/** A generated message type: enough to read it from and write it to JSON. */
export interface JsonCodec<T> {
  fromJSON(object: unknown): T;
  toJSON(message: T): unknown;
}

/** A proto message as the API's body or response: its full name (for the schema) and its codec. */
export interface MessageRef<T> {
  name: string;
  codec: JsonCodec<T>;
}
export const message = <T>(name: string, codec: JsonCodec<T>): MessageRef<T> => ({ name, codec });

export interface ParamSpec {
  type: 'string' | 'integer' | 'number' | 'boolean';
  description: string;
  array?: boolean;
  enum?: readonly string[];
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  pattern?: string;
  required?: boolean;
}

export type Caller = Role | 'anonymous';

export interface RouteContext<B> {
  actor: Actor;
  params: Record<string, string>;
  query: Record<string, unknown>;
  body: B;
  request: Request;
  response: Response;
}

export interface RouteSpec<B, R> {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Express form, e.g. `/v1/needs/:needId`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  /** Who may call; anyone else is refused here (401 without a token, 403 with one). */
  callers: readonly Caller[];
  params?: Record<string, ParamSpec>;
  query?: Record<string, ParamSpec>;
  body?: MessageRef<B>;
  /** The field of the gRPC request that carries the body (`{ enterprise: body }`), so that a service's
   * field errors (`enterprise.name`) are named as the caller sent them (`body.name`). */
  bodyField?: string;
  response: MessageRef<R>;
  status?: 200 | 201;
  /**
   * Why a request the document admits may still be refused 422 here: the resource's state, a time or a
   * rule across fields no schema states. Only an operation that says why declares 422.
   */
  unprocessable?: string;
  /**
   * What a creation's answer holds: the JSON pointer of the new resource's id, and the path parameters
   * that name it elsewhere. The document links this operation to every route taking one of them.
   */
  creates?: { id: string; params: readonly string[] };
  /** The response as CSV, served for `?format=csv` (declare `format` in the query). */
  csv?: (result: R) => string;
  /**
   * The cached entity this route reads (GET: its answer is the same for every caller allowed to
   * call, and is served from the gateway's read cache) or changes (any other method: a success
   * drops the entry, so this gateway reads its own writes).
   */
  cacheKey?: (params: Record<string, string>) => string;
  handler(context: RouteContext<B>): Promise<R>;
}

export type AnyRoute = RouteSpec<unknown, unknown>;
export const route = <B, R>(spec: RouteSpec<B, R>): AnyRoute => spec as unknown as AnyRoute;

const ajv = new Ajv({
  allErrors: true,
  coerceTypes: 'array',
  useDefaults: true,
  strict: false,
  verbose: true,
});
addFormats(ajv);
// Path and query values arrive as text and are read as the types they declare; a body is JSON already,
// and a value of another type (null for a boolean, "5" for an integer) breaks the document.
const bodyAjv = new Ajv({ allErrors: true, strict: false, verbose: true });
addFormats(bodyAjv);

/** The JSON Schema of a path or query parameter: the validator's and the document's. */
export function paramSchema(spec: ParamSpec): JsonSchema {
  const base: JsonSchema = { type: spec.type };
  if (spec.enum) base.enum = [...spec.enum];
  if (spec.minimum !== undefined) base.minimum = spec.minimum;
  if (spec.maximum !== undefined) base.maximum = spec.maximum;
  if (spec.type === 'string') base.maxLength = spec.maxLength ?? 200;
  if (spec.pattern !== undefined) base.pattern = spec.pattern;
  return spec.array ? { type: 'array', items: base, maxItems: 50 } : base;
}

function objectSchema(specs: Record<string, ParamSpec> = {}): JsonSchema {
  return {
    type: 'object',
    properties: Object.fromEntries(Object.entries(specs).map(([name, spec]) => [name, paramSchema(spec)])),
    required: Object.entries(specs)
      .filter(([, spec]) => spec.required)
      .map(([name]) => name),
    additionalProperties: false,
  };
}

const roleName = (actor: Actor): Caller => (actor.role === 'service' ? 'admin' : (actor.role as Caller));

/** Weak ETag of a JSON body. */
export const etagOf = (json: string) =>
  `W/"${createHash('sha256').update(json).digest('base64url').slice(0, 27)}"`;

/**
 * Mounts the routes on express routers (`routerOf` picks each route's): authorisation by role,
 * validation, ETags, JSON out.
 */
export function mountRoutes(
  routerOf: (spec: AnyRoute) => Router,
  routes: readonly AnyRoute[],
  actorOf: (request: Request) => Actor,
  cache?: ReadCache,
): void {
  const bodySchemas = jsonSchemas(
    routes.flatMap((r) => (r.body ? [r.body.name] : [])),
    { refPrefix: '#/$defs/', strict: true, overlay: schemaOverlay },
  );
  const inFlight = new Map<string, Promise<CachedAnswer>>();
  for (const spec of routes) {
    const validateParams = ajv.compile(objectSchema(spec.params));
    const validateQuery = ajv.compile(objectSchema(spec.query));
    const bodyFields = new Set(
      Object.keys((spec.body && (bodySchemas[spec.body.name]?.properties as object)) || {}),
    );
    let validateBody: ValidateFunction | undefined;
    if (spec.body) {
      validateBody = bodyAjv.compile({ ...bodySchema(spec.body.name, '#/$defs/'), $defs: bodySchemas });
    }
    // Parameters are validated only where the route has some (or where the caller sent some anyway).
    const checkParams = spec.params !== undefined;
    const checkQuery = spec.query !== undefined && Object.values(spec.query).some((q) => q.required);
    const router = routerOf(spec);
    router[spec.method](spec.path, async (request: Request, response: Response, next: NextFunction) => {
      try {
        const actor = actorOf(request);
        const caller = roleName(actor);
        if (!spec.callers.includes(caller)) {
          if (caller === 'anonymous')
            throw new AppError('UNAUTHENTICATED', 'Sign in to do this', {
              messageVi: 'Vui lòng đăng nhập để thực hiện',
            });
          throw new AppError('PERMISSION_DENIED', `The ${caller} role may not do this`, {
            code: 'ROLE_NOT_ALLOWED',
            messageVi: `Vai trò ${caller} không được thực hiện thao tác này`,
          });
        }
        const params = { ...request.params } as Record<string, string>;
        if ((checkParams || hasKeys(params)) && !validateParams(params))
          throw invalidArgument(violations(validateParams.errors, 'path'));
        const query = { ...(request.query as Record<string, unknown>) };
        if ((checkQuery || hasKeys(query)) && !validateQuery(query))
          throw invalidArgument(violations(validateQuery.errors, 'query'));
        let body: unknown;
        if (spec.body && validateBody) {
          requireJsonBody(request);
          const raw = request.body;
          if (typeof raw !== 'object' || Array.isArray(raw) || !validateBody(raw))
            throw invalidArgument(
              validateBody.errors
                ? violations(validateBody.errors, 'body')
                : [
                    {
                      field: 'body',
                      reason: 'type',
                      description: 'The body must be a JSON object',
                      descriptionVi: 'Nội dung phải là một đối tượng JSON',
                    },
                  ],
            );
          body = spec.body.codec.fromJSON(raw);
        }
        // From here on the request is what the document describes: a service's refusal is a rule
        // the document cannot state (a check digit, a date in the future), answered 422.
        markConforming(request);
        const key = cache && spec.cacheKey ? spec.cacheKey(params) : undefined;
        let ticket: string | undefined;
        if (key && spec.method === 'get' && cache && !(spec.csv && query.format === 'csv')) {
          // A caller asking for a fresh answer (Cache-Control: no-cache) gets one from the service.
          const fresh = FRESH.test(request.headers['cache-control'] ?? '');
          const hit = fresh ? undefined : cache.get(key);
          response.setHeader('X-Cache', hit ? 'hit' : 'miss');
          if (hit) {
            sendJson(request, response, hit.json, hit.etag, 200);
            return;
          }
          ticket = cache.ticket(key);
          if (!fresh) {
            // Misses of the same entry at the same time share one call to the service.
            let pending = inFlight.get(key);
            if (!pending) {
              const fill = ticket;
              pending = spec
                .handler({ actor, params, query, body, request, response })
                .then((result) => {
                  const json = JSON.stringify(spec.response.codec.toJSON(result));
                  const answer = { json, etag: etagOf(json) };
                  cache.set(key, answer, fill);
                  return answer;
                })
                .finally(() => inFlight.delete(key));
              inFlight.set(key, pending);
            }
            const answer = await pending;
            sendJson(request, response, answer.json, answer.etag, spec.status ?? 200);
            return;
          }
        }
        const result = await spec
          .handler({ actor, params, query, body, request, response })
          .catch((error: unknown) => {
            throw asCallerSent(error, spec, bodyFields, params);
          });
        if (key && spec.method !== 'get') cache?.invalidate(key);
        if (spec.csv && query.format === 'csv') {
          const csv = spec.csv(result);
          response.setHeader('ETag', etagOf(csv));
          response.setHeader('Content-Disposition', `attachment; filename="${spec.operationId}.csv"`);
          response.status(200).type('text/csv; charset=utf-8').send(csv);
          return;
        }
        const json = JSON.stringify(spec.response.codec.toJSON(result));
        if (spec.method !== 'get') {
          response
            .status(spec.status ?? 200)
            .type('application/json')
            .send(json);
          return;
        }
        const etag = etagOf(json);
        if (key && ticket !== undefined) cache?.set(key, { json, etag }, ticket);
        sendJson(request, response, json, etag, spec.status ?? 200);
      } catch (error) {
        next(error);
      }
    });
  }
}

const FRESH = /no-cache|no-store|max-age=0/i;

function hasKeys(object: object): boolean {
  for (const _ in object) return true;
  return false;
}

/** A service's field errors named as the caller sent the request: `body.…` and `path.…`. */
function asCallerSent(
  error: unknown,
  spec: AnyRoute,
  bodyFields: ReadonlySet<string>,
  params: Record<string, string>,
): unknown {
  if (!(error instanceof AppError) || error.kind !== 'INVALID_ARGUMENT' || error.violations.length === 0)
    return error;
  const rename = (field: string) => {
    if (spec.bodyField && field.startsWith(`${spec.bodyField}.`))
      return `body.${field.slice(spec.bodyField.length + 1)}`;
    const head = field.split(/[.[]/)[0] ?? '';
    if (head in params) return `path.${field}`;
    if (bodyFields.has(head)) return `body.${field}`;
    return field;
  };
  return invalidArgument(
    error.violations.map((v) => ({ ...v, field: rename(v.field) })),
    error.code,
  );
}

/** A GET answer with its ETag; 304 when the caller already holds it. */
export function sendJson(
  request: Request,
  response: Response,
  json: string,
  etag: string,
  status = 200,
  cacheControl = 'private, no-cache',
) {
  response.setHeader('ETag', etag);
  response.setHeader('Cache-Control', cacheControl);
  const match = request.headers['if-none-match'];
  if (match?.split(',').some((t) => t.trim() === etag || t.trim() === '*')) {
    response.status(304).end();
    return;
  }
  // What express's send would do for a JSON string, without its content negotiation and freshness
  // checks (the ETag is ours and was just compared).
  response.statusCode = status;
  response.setHeader('Content-Type', 'application/json; charset=utf-8');
  response.setHeader('Content-Length', Buffer.byteLength(json));
  response.end(json);
}

/** The query's page size and token, as the services' PageRequest. */
export const pageOf = (query: Record<string, unknown>) => ({
  pageSize: Number(query.page_size ?? 0),
  pageToken: String(query.page_token ?? ''),
});

export const pagingQuery: Record<string, ParamSpec> = {
  page_size: {
    type: 'integer',
    minimum: 1,
    maximum: 100,
    description: 'Items per page (default 20, at most 100)',
  },
  page_token: { type: 'string', maxLength: 500, description: 'next_page_token of the previous page' },
};

export const list = (value: unknown): string[] =>
  Array.isArray(value) ? value.map(String) : value === undefined ? [] : [String(value)];
export const optionalBool = (value: unknown): boolean | undefined =>
  value === undefined ? undefined : Boolean(value);
