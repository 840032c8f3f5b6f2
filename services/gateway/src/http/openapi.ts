import { type JsonSchema, jsonSchemas } from '@lienket/contracts';
import { type AnyRoute, type ParamSpec, paramSchema } from './api';
import { bodySchema, schemaOverlay } from './constraints';

const problemSchema: JsonSchema = {
  type: 'object',
  description: 'RFC 9457 problem details, in English with a Vietnamese detail',
  required: ['type', 'title', 'status', 'detail', 'code'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    detail_vi: { type: 'string' },
    code: { type: 'string' },
    instance: { type: 'string' },
    request_id: { type: 'string' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          field: { type: 'string' },
          reason: { type: 'string' },
          message: { type: 'string' },
          message_vi: { type: 'string' },
        },
      },
    },
  },
};

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

function parameter(name: string, where: 'path' | 'query', spec: ParamSpec) {
  const schema = paramSchema(spec);
  return {
    name,
    in: where,
    required: where === 'path' || spec.required === true,
    description: spec.description,
    schema,
    ...(spec.array ? { style: 'form', explode: true } : {}),
  };
}

/**
 * Links from a creation to every route whose only path parameter names what it created, with the id
 * from its answer: clients (and schemathesis' stateful phase) follow them from a new resource.
 */
function linksOf(creates: NonNullable<AnyRoute['creates']>, routes: readonly AnyRoute[]) {
  const links: Record<string, unknown> = {};
  for (const target of routes) {
    const names = Object.keys(target.params ?? {});
    const [param] = names;
    if (names.length !== 1 || param === undefined || !creates.params.includes(param)) continue;
    links[target.operationId] = {
      operationId: target.operationId,
      parameters: { [`path.${param}`]: `$response.body#${creates.id}` },
    };
  }
  return Object.keys(links).length > 0 ? links : undefined;
}

/** The OpenAPI 3.1 document of the routes, with schemas generated from the proto contracts. */
/** Paths and schemas of handlers outside the route table (streams, subscriptions). */
export interface Documentation {
  paths: Record<string, Record<string, unknown>>;
  schemas: Record<string, JsonSchema>;
}

export function openApiDocument(
  routes: readonly AnyRoute[],
  serverUrl: string,
  extra: Documentation = { paths: {}, schemas: {} },
): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = r.path.replace(/:([A-Za-z_]+)/g, '{$1}');
    const anonymousAllowed = r.callers.includes('anonymous');
    const status = String(r.status ?? 200);
    const responses: Record<string, unknown> = {
      [status]: {
        description: 'OK',
        content: {
          'application/json': { schema: { $ref: `#/components/schemas/${r.response.name}` } },
          ...(r.csv
            ? { 'text/csv': { schema: { type: 'string', description: 'RFC 4180, header line first' } } }
            : {}),
        },
        ...(r.method === 'get'
          ? {
              headers: {
                ETag: { schema: { type: 'string' } },
                ...(r.cacheKey
                  ? {
                      'X-Cache': {
                        description:
                          'hit: answered from the gateway read cache (dropped on every change the registry publishes); miss: from the service. Send Cache-Control: no-cache to read through.',
                        schema: { type: 'string', enum: ['hit', 'miss'] },
                      },
                    }
                  : {}),
              },
            }
          : {}),
      },
      '400': problem('Invalid request (field errors listed)'),
      '401': problem('Missing, expired or invalid token'),
      '403': problem('The caller may not do this'),
      '404': problem('Not found'),
      '409': problem('Already exists'),
      ...(r.unprocessable ? { '422': problem(`Not possible now: ${r.unprocessable}`) } : {}),
      '413': problem('The body is larger than the limit'),
      ...(r.body ? { '415': problem('The body is not application/json') } : {}),
      '429': problem('Rate limit exceeded'),
      // Refused by the HTTP server itself, before any route runs (no body).
      '431': { description: 'The request line or headers are too large' },
      '503': problem('A service is unavailable; retry'),
      '504': problem('A service did not answer in time; retry'),
    };
    if (r.method === 'get') responses['304'] = { description: 'Not modified (If-None-Match)' };
    const links = r.creates ? linksOf(r.creates, routes) : undefined;
    if (links) (responses[status] as Record<string, unknown>).links = links;
    paths[path] ??= {};
    paths[path][r.method] = {
      operationId: r.operationId,
      summary: r.summary,
      ...(r.description ? { description: r.description } : {}),
      tags: [r.tag],
      'x-lienket-callers': r.callers,
      security: anonymousAllowed ? [{}, { bearerAuth: [] }] : [{ bearerAuth: [] }],
      parameters: [
        ...Object.entries(r.params ?? {}).map(([name, spec]) => parameter(name, 'path', spec)),
        ...Object.entries(r.query ?? {}).map(([name, spec]) => parameter(name, 'query', spec)),
      ],
      ...(r.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: bodySchema(r.body.name, '#/components/schemas/') } },
            },
          }
        : {}),
      responses,
    };
  }
  const names = [...new Set(routes.flatMap((r) => [r.response.name, ...(r.body ? [r.body.name] : [])]))];
  return {
    openapi: '3.1.0',
    info: {
      title: 'LienKet API',
      version: '1.0.0',
      description:
        'Linking businesses across provinces along supply chains and industry clusters (khuyến công). ' +
        'Bodies and responses are the proto3 JSON form of the lienket.*.v1 contracts. Errors are RFC 9457 ' +
        'problem details with English and Vietnamese text. Reads carry ETags; send If-None-Match.',
    },
    servers: [{ url: serverUrl }],
    jsonSchemaDialect: 'https://spec.openapis.org/oas/3.1/dialect/base',
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: {
        Problem: problemSchema,
        ...jsonSchemas(names, { refPrefix: '#/components/schemas/', strict: true, overlay: schemaOverlay }),
        ...extra.schemas,
      },
    },
    paths: { ...paths, ...extra.paths },
  };
}
