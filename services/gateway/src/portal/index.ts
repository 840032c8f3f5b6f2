import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { GatewayContext } from '../context';

/** Where the portal lives on the gateway: index.html at `/`, the built files under this prefix. */
export const PORTAL_BASE = '/portal';

// src/portal (tests, ts) and dist/portal (compiled) are both four levels below the repository root.
export const defaultPortalDir = () => resolve(__dirname, '..', '..', '..', '..', 'apps', 'portal', 'dist');

const NOT_BUILT = `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>LienKet</title></head>
<body><main>
<h1>Cổng thông tin chưa được dựng</h1>
<p>Chạy <code>npm run build</code> (hoặc <code>npm run build -w @lienket/portal</code>) rồi tải lại trang.</p>
<p lang="en">The portal has not been built: run <code>npm run build</code> and reload.
The API is at <a href="/docs">/docs</a>.</p>
</main></body></html>`;

/** Where the portal sends people to sign in (an OpenID Provider), as `/portal/config.json` tells it. */
export interface PortalSignIn {
  issuer: string;
  clientId: string;
  /** The resource indicator (RFC 8707) of the LienKet API, asked for with every token. */
  resource: string;
}

export interface PortalOptions {
  /** The built portal (`apps/portal/dist`). */
  dir?: string;
  /** Without it the portal offers the development sign-in (paste a token) only. */
  signIn?: PortalSignIn | undefined;
}

/** The redirect URI registered with the provider: the portal's index.html finishes the sign-in there. */
export const SIGN_IN_CALLBACK = '/auth/callback';

/**
 * The page may also fetch from the provider (its discovery document and token endpoint: the code
 * exchange and the silent refresh run in the browser), so its origin joins `connect-src`.
 */
function allowConnectTo(policy: string, origin: string): string {
  const directives = policy
    .split(';')
    .map((d) => d.trim())
    .filter(Boolean);
  const at = directives.findIndex((d) => d.startsWith('connect-src'));
  if (at >= 0) directives[at] = `${directives[at]} ${origin}`;
  else directives.push(`connect-src 'self' ${origin}`);
  return directives.join(';');
}

/**
 * Mounts the portal's handlers: `GET /` and `GET /portal/…` serve index.html (never cached, so a new build
 * shows at once), `/portal/assets/…` the content-hashed files (cached for a year). Nothing else is taken,
 * so `/v1`, `/openapi.json`, `/asyncapi.json`, `/docs` and `/healthz` stay the API's.
 */
export function mountPortal(app: Express, options: PortalOptions = {}): void {
  const dir = options.dir ?? defaultPortalDir();
  const indexFile = join(dir, 'index.html');
  const providerOrigin = options.signIn ? new URL(options.signIn.issuer).origin : undefined;

  const sendIndex = (_request: Request, response: Response) => {
    response.setHeader('Cache-Control', 'no-cache');
    const policy = response.getHeader('Content-Security-Policy');
    if (providerOrigin && typeof policy === 'string')
      response.setHeader('Content-Security-Policy', allowConnectTo(policy, providerOrigin));
    // Checked on each request, so building the portal while the gateway runs needs no restart.
    if (!existsSync(indexFile)) {
      response.status(503).type('html').send(NOT_BUILT);
      return;
    }
    response.sendFile(indexFile);
  };

  app.get('/', sendIndex);
  app.get(SIGN_IN_CALLBACK, sendIndex);
  app.get(`${PORTAL_BASE}/config.json`, (_request: Request, response: Response) => {
    response.setHeader('Cache-Control', 'no-cache');
    response.json({ signIn: options.signIn ?? null });
  });
  app.use(
    `${PORTAL_BASE}/assets`,
    express.static(join(dir, 'assets'), {
      index: false,
      immutable: true,
      maxAge: '365d',
      fallthrough: true,
    }),
  );
  app.use(
    PORTAL_BASE,
    express.static(dir, {
      index: false,
      maxAge: '1h',
      fallthrough: true,
      setHeaders: (response, path) => {
        if (path.endsWith('index.html')) response.setHeader('Cache-Control', 'no-cache');
      },
    }),
  );
  // Any other portal path is a page of the app: its index.html (a missing asset stays a 404).
  app.get(
    [PORTAL_BASE, `${PORTAL_BASE}/*path`],
    (request: Request, response: Response, next: NextFunction) => {
      if (request.path.startsWith(`${PORTAL_BASE}/assets/`)) next();
      else sendIndex(request, response);
    },
  );
}

/** Serves the web portal (apps/portal) from the gateway. */
export async function install(context: GatewayContext, options: PortalOptions = {}): Promise<void> {
  const dir = options.dir ?? defaultPortalDir();
  if (!existsSync(join(dir, 'index.html')))
    context.log.warn({ dir }, 'the portal is not built; `/` explains how to build it');
  const { config } = context;
  // The provider's sign-in for people when the gateway verifies its tokens (AUTH_JWKS_URL).
  const signIn = config.AUTH_JWKS_URL
    ? {
        issuer: config.AUTH_ISSUER,
        clientId: config.PORTAL_CLIENT_ID,
        resource: config.AUTH_RESOURCE,
      }
    : undefined;
  context.extensions.push((app) => mountPortal(app, { dir, signIn }));
}
