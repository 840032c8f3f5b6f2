import { join } from 'node:path';
import { type Actor, AppError, anonymous, httpLatency, httpRequests, type Logger } from '@lienket/platform';
import { context } from '@opentelemetry/api';
import { getRPCMetadata, RPCType } from '@opentelemetry/core';
import cors from 'cors';
import express, {
  type Express,
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
} from 'express';
import helmet from 'helmet';
import type { ReadCache } from './cache/read-cache';
import { type AnyRoute, etagOf, mountRoutes, sendJson } from './http/api';
import { methodNotAllowed } from './http/conformance';
import { depthOf, notFound, problemHandler, rateLimit, requestId } from './http/middleware';
import { type Documentation, openApiDocument } from './http/openapi';

export interface AppOptions {
  routes: readonly AnyRoute[];
  verify: (authorization: string | undefined) => Promise<Actor>;
  log: Logger;
  corsOrigins: string;
  bodyLimit: string;
  rateLimitPerMinute: number;
  publicUrl: string;
  /** Extra routers mounted after the REST routes (streams, subscriptions, AsyncAPI, portal). */
  extensions?: ((app: Express) => void)[];
  /** Documented by the modules that mount their own handlers. */
  documentation?: Documentation;
  /** Answers of cacheable read routes (see RouteSpec.cacheKey). */
  cache?: ReadCache;
}

const actors = new WeakMap<Request, Actor>();
export const actorOf = (request: Request): Actor => actors.get(request) ?? anonymous;
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/** The headers a header-setting middleware (helmet) sets, computed once, to set them as a list. */
function precomputedHeaders(middleware: RequestHandler): [string, string | string[]][] {
  const headers: [string, string | string[]][] = [];
  const response = {
    setHeader: (name: string, value: string | number | string[]) =>
      headers.push([name, Array.isArray(value) ? value : String(value)]),
    removeHeader: () => undefined,
    getHeader: () => undefined,
  };
  middleware(
    { headers: {}, method: 'GET', url: '/' } as Request,
    response as unknown as Response,
    () => undefined,
  );
  return headers;
}

/** Request count and latency by route pattern; the request's span named after its route. */
function observe(request: Request, response: Response) {
  const done = httpLatency.startTimer();
  // The route pattern, not the path, so ids do not explode the label set.
  const routeOf = () =>
    request.route?.path ? `${request.baseUrl}${String(request.route.path)}` : 'unmatched';
  // The request's span is named after its route ("GET /v1/needs/:needId") from the HTTP
  // instrumentation's request metadata; set before 'finish', when that span ends. (This replaces the
  // express instrumentation, whose span per middleware cost a third of the gateway's throughput.)
  const rpc = getRPCMetadata(context.active());
  response.once('prefinish', () => {
    const route = routeOf();
    if (rpc?.type === RPCType.HTTP && request.route?.path) rpc.route = route;
    done({ method: request.method, route });
    httpRequests.inc({ method: request.method, route, status: String(response.statusCode) });
  });
}

/** The REST routes in one router per group (first two path segments), dispatched by a map look-up. */
function routeGroups(
  routes: readonly AnyRoute[],
  actorOf: (request: Request) => Actor,
  cache: ReadCache | undefined,
): RequestHandler {
  const groups = new Map<string, ReturnType<typeof express.Router>>();
  const groupOf = (path: string) => {
    const end = path.indexOf('/', path.indexOf('/', 1) + 1);
    return end === -1 ? path : path.slice(0, end);
  };
  mountRoutes(
    (spec) => {
      const key = groupOf(spec.path);
      let router = groups.get(key);
      if (!router) {
        router = express.Router();
        groups.set(key, router);
      }
      return router;
    },
    routes,
    actorOf,
    cache,
  );
  return (request, response, next) => {
    const key = groupOf(request.path);
    // Express matches paths without regard to case; so does the look-up, on a miss.
    const router = groups.get(key) ?? groups.get(key.toLowerCase());
    if (router) router(request, response, next);
    else next();
  };
}

/** The gateway's express app: security headers, CORS, request ids, auth, rate limits, routes, problems. */
export function createApp(options: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  // Read routes set their own ETag (api.ts); hashing every other body (problems, health) is wasted work.
  app.set('etag', false);
  app.set('trust proxy', 'loopback');
  app.set('query parser', 'simple');
  // One front middleware instead of eight layers (each layer is a trip through the router), and each
  // part only where it applies: CORS for requests that carry an Origin (and preflights), the body
  // parser and its depth check only for methods that carry a body, helmet's headers computed once.
  const securityHeaders = precomputedHeaders(
    helmet({
      contentSecurityPolicy: {
        useDefaults: true,
        directives: { 'script-src': ["'self'"], 'img-src': ["'self'", 'data:'] },
      },
      crossOriginEmbedderPolicy: false,
    }),
  );
  const origins = options.corsOrigins
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  const corsHandler = cors({
    origin: origins.includes('*') ? true : origins,
    exposedHeaders: ['ETag', 'X-Request-Id', 'Retry-After', 'RateLimit-Limit', 'RateLimit-Remaining'],
    maxAge: 600,
  });
  const limit = rateLimit(options.rateLimitPerMinute, (request) => {
    const actor = actorOf(request);
    return actor.role === 'anonymous' ? `ip:${request.ip}` : `sub:${actor.subject || actor.enterpriseId}`;
  });
  const parseJson = express.json({
    limit: options.bodyLimit,
    strict: true,
    type: ['application/json', 'application/*+json'],
  });
  const checkDepth: RequestHandler = (request, _response, next) => {
    if (request.body !== undefined && depthOf(request.body, 32) > 32)
      next(new AppError('INVALID_ARGUMENT', 'The body is nested too deeply', { code: 'BODY_TOO_DEEP' }));
    else next();
  };
  const parseBody: RequestHandler = (request, response, next) => {
    if (!BODY_METHODS.has(request.method)) {
      next();
      return;
    }
    parseJson(request, response, (error?: unknown) => {
      if (error) next(error);
      else checkDepth(request, response, next);
    });
  };
  const authenticate = (request: Request, response: Response, next: NextFunction) => {
    options.verify(request.headers.authorization).then(
      (actor) => {
        actors.set(request, actor);
        limit(request, response, (error?: unknown) => {
          if (error) next(error);
          else parseBody(request, response, next);
        });
      },
      (error: unknown) => next(error),
    );
  };
  app.use((request, response, next) => {
    requestId(request, response, () => undefined);
    observe(request, response);
    for (const [name, value] of securityHeaders) response.setHeader(name, value);
    if (request.headers.origin !== undefined || request.method === 'OPTIONS')
      corsHandler(request, response, (error?: unknown) => {
        if (error) next(error);
        else authenticate(request, response, next);
      });
    else {
      // The answer still depends on the origin for a shared cache.
      response.setHeader('Vary', 'Origin');
      authenticate(request, response, next);
    }
  });

  // The REST routes first, each group behind one look-up by its path's first two segments
  // (`/v1/enterprises`), not behind every other layer and route.
  app.use(routeGroups(options.routes, actorOf, options.cache));

  const document = openApiDocument(options.routes, options.publicUrl, options.documentation);
  const documentJson = JSON.stringify(document);
  const documentTag = etagOf(documentJson);
  app.get('/openapi.json', (request, response) => {
    sendJson(request, response, documentJson, documentTag, 200, 'public, no-cache');
  });
  const swagger = join(require.resolve('swagger-ui-dist/package.json'), '..');
  app.use('/docs/assets', express.static(swagger, { index: false, maxAge: '1d' }));
  app.get('/docs/init.js', (_request, response) => {
    response
      .type('application/javascript')
      .send(
        "window.onload=()=>{window.ui=SwaggerUIBundle({url:'/openapi.json',dom_id:'#ui',deepLinking:true});};",
      );
  });
  app.get('/docs', (_request, response) => {
    response.type('html').send(`<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>LienKet API</title><link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="ui"></div><script src="/docs/assets/swagger-ui-bundle.js"></script><script src="/docs/init.js"></script></body></html>`);
  });
  app.get('/healthz', (_request, response) => {
    response.json({ status: 'ok' });
  });

  for (const extend of options.extensions ?? []) extend(app);
  app.use(methodNotAllowed(document.paths as Record<string, Record<string, unknown>>));
  app.use(notFound);
  app.use(problemHandler(options.log));
  return app;
}
