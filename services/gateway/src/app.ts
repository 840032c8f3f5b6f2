import { join } from 'node:path';
import { type Actor, AppError, anonymous, httpLatency, httpRequests, type Logger } from '@lienket/platform';
import { context } from '@opentelemetry/api';
import { getRPCMetadata, RPCType } from '@opentelemetry/core';
import cors from 'cors';
import express, { type Express, type Request, type RequestHandler } from 'express';
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
  /** Extra routers mounted before the REST routes (streams, subscriptions, AsyncAPI). */
  extensions?: ((app: Express) => void)[];
  /** Documented by the modules that mount their own handlers. */
  documentation?: Documentation;
  /** Answers of cacheable read routes (see RouteSpec.cacheKey). */
  cache?: ReadCache;
}

const actors = new WeakMap<Request, Actor>();
export const actorOf = (request: Request): Actor => actors.get(request) ?? anonymous;

/** The gateway's express app: security headers, CORS, request ids, auth, rate limits, routes, problems. */
export function createApp(options: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  // Read routes set their own ETag (api.ts); hashing every other body (problems, health) is wasted work.
  app.set('etag', false);
  app.set('trust proxy', 'loopback');
  app.set('query parser', 'simple');
  app.use(requestId);
  app.use((request, response, next) => {
    const done = httpLatency.startTimer();
    // The route pattern, not the path, so ids do not explode the label set.
    const routeOf = () =>
      request.route?.path ? `${request.baseUrl}${String(request.route.path)}` : 'unmatched';
    // The request's span is named after its route ("GET /v1/needs/:needId") from the HTTP
    // instrumentation's request metadata; set before 'finish', when that span ends. (This replaces the
    // express instrumentation, whose span per middleware cost a third of the gateway's throughput.)
    const rpc = getRPCMetadata(context.active());
    if (rpc?.type === RPCType.HTTP)
      response.once('prefinish', () => {
        if (request.route?.path) rpc.route = routeOf();
      });
    response.on('finish', () => {
      const route = routeOf();
      done({ method: request.method, route });
      httpRequests.inc({ method: request.method, route, status: String(response.statusCode) });
    });
    next();
  });
  app.use(
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
  app.use(
    cors({
      origin: origins.includes('*') ? true : origins,
      exposedHeaders: ['ETag', 'X-Request-Id', 'Retry-After', 'RateLimit-Limit', 'RateLimit-Remaining'],
      maxAge: 600,
    }),
  );

  const authenticate: RequestHandler = async (request, _response, next) => {
    try {
      actors.set(request, await options.verify(request.headers.authorization));
      next();
    } catch (error) {
      next(error);
    }
  };
  app.use(authenticate);
  app.use(
    rateLimit(options.rateLimitPerMinute, (request) => {
      const actor = actorOf(request);
      return actor.role === 'anonymous' ? `ip:${request.ip}` : `sub:${actor.subject || actor.enterpriseId}`;
    }),
  );
  app.use(
    express.json({
      limit: options.bodyLimit,
      strict: true,
      type: ['application/json', 'application/*+json'],
    }),
  );
  app.use((request, _response, next) => {
    if (request.body !== undefined && depthOf(request.body, 32) > 32)
      next(new AppError('INVALID_ARGUMENT', 'The body is nested too deeply', { code: 'BODY_TOO_DEEP' }));
    else next();
  });

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
  const router = express.Router();
  mountRoutes(router, options.routes, actorOf, options.cache);
  app.use(router);
  app.use(methodNotAllowed(document.paths as Record<string, Record<string, unknown>>));
  app.use(notFound);
  app.use(problemHandler(options.log));
  return app;
}
