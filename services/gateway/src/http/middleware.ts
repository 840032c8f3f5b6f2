import { randomUUID } from 'node:crypto';
import { AppError, type Logger, toAppError, toProblemDetails } from '@lienket/platform';
import type { NextFunction, Request, Response } from 'express';
import { isConforming, statusOverrideOf } from './conformance';

const SAFE_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Every request carries an id: the caller's X-Request-Id when it is safe, else a fresh one; echoed back. */
export function requestId(request: Request, response: Response, next: NextFunction) {
  const given = request.headers['x-request-id'];
  const id = typeof given === 'string' && SAFE_ID.test(given) ? given : randomUUID();
  request.headers['x-request-id'] = id;
  response.setHeader('X-Request-Id', id);
  next();
}

/**
 * Per-caller rate limit (token bucket: `perMinute` requests a minute, bursting to the same), keyed
 * by the token's subject, else the client address. Refusals are 429 problems with Retry-After.
 */
export function rateLimit(perMinute: number, keyOf: (request: Request) => string) {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const refillPerMs = perMinute / 60_000;
  const sweep = setInterval(() => {
    const cutoff = Date.now() - 120_000;
    for (const [key, bucket] of buckets) if (bucket.at < cutoff) buckets.delete(key);
  }, 60_000);
  sweep.unref();
  return (request: Request, response: Response, next: NextFunction) => {
    const key = keyOf(request);
    const now = Date.now();
    const bucket = buckets.get(key) ?? { tokens: perMinute, at: now };
    bucket.tokens = Math.min(perMinute, bucket.tokens + (now - bucket.at) * refillPerMs);
    bucket.at = now;
    buckets.set(key, bucket);
    response.setHeader('RateLimit-Limit', String(perMinute));
    if (bucket.tokens < 1) {
      const retry = Math.ceil((1 - bucket.tokens) / refillPerMs / 1000);
      response.setHeader('Retry-After', String(retry));
      response.setHeader('RateLimit-Remaining', '0');
      next(
        new AppError('RESOURCE_EXHAUSTED', `Rate limit of ${perMinute} requests a minute exceeded`, {
          code: 'RATE_LIMITED',
          messageVi: `Vượt giới hạn ${perMinute} yêu cầu mỗi phút`,
        }),
      );
      return;
    }
    bucket.tokens -= 1;
    response.setHeader('RateLimit-Remaining', String(Math.floor(bucket.tokens)));
    next();
  };
}

/** Errors thrown by express's own parsers, as application errors. */
function fromHttpError(error: unknown): AppError | undefined {
  const e = error as { type?: string; status?: number; limit?: number };
  if (e.type === 'entity.too.large')
    return new AppError('INVALID_ARGUMENT', `The body is larger than ${e.limit} bytes`, {
      code: 'BODY_TOO_LARGE',
      messageVi: `Nội dung lớn hơn ${e.limit} byte`,
    });
  if (e.type === 'entity.parse.failed')
    return new AppError('INVALID_ARGUMENT', 'The body is not valid JSON', {
      code: 'MALFORMED_JSON',
      messageVi: 'Nội dung không phải JSON hợp lệ',
    });
  if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported')
    return new AppError('INVALID_ARGUMENT', 'Unsupported body encoding', { code: 'UNSUPPORTED_ENCODING' });
  return undefined;
}

const titles: Record<number, string> = {
  405: 'Method not allowed',
  413: 'Body too large',
  415: 'Unsupported media type',
  422: 'Unprocessable request',
};

/** RFC 9457 problem+json for every error, with the request id; internal details only in the log. */
export function problemHandler(log: Logger) {
  return (error: unknown, request: Request, response: Response, _next: NextFunction) => {
    const appError = fromHttpError(error) ?? toAppError(error);
    const problem = {
      ...toProblemDetails(appError, request.originalUrl),
      request_id: String(request.headers['x-request-id'] ?? ''),
    };
    const status =
      (error as { type?: string }).type === 'entity.too.large' ? 413 : statusOverrideOf(appError);
    if (status) {
      problem.status = status;
      problem.title = titles[status] ?? problem.title;
    } else if (appError.kind === 'INVALID_ARGUMENT' && isConforming(request)) {
      // The document admits the request; a rule it cannot state refused it (see conformance.ts).
      problem.status = 422;
      problem.title = titles[422] as string;
    }
    if (problem.status >= 500)
      log.error({ err: error, requestId: problem.request_id, path: request.path }, 'request failed');
    if (response.headersSent) {
      response.end();
      return;
    }
    response.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  };
}

export function notFound(request: Request, _response: Response, next: NextFunction) {
  next(
    new AppError('NOT_FOUND', `No route ${request.method} ${request.path}`, {
      code: 'ROUTE_NOT_FOUND',
      messageVi: `Không có đường dẫn ${request.method} ${request.path}`,
    }),
  );
}

/** Refuses a body nested deeper than `maxDepth` (cheap defence against stack-hungry payloads). */
export function depthOf(value: unknown, limit: number, depth = 0): number {
  if (depth > limit || value === null || typeof value !== 'object') return depth;
  let deepest = depth;
  for (const child of Object.values(value as Record<string, unknown>)) {
    deepest = Math.max(deepest, depthOf(child, limit, depth + 1));
    if (deepest > limit) break;
  }
  return deepest;
}
