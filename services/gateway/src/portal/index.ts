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

export interface PortalOptions {
  /** The built portal (`apps/portal/dist`). */
  dir?: string;
}

/**
 * Mounts the portal's handlers: `GET /` and `GET /portal/…` serve index.html (never cached, so a new build
 * shows at once), `/portal/assets/…` the content-hashed files (cached for a year). Nothing else is taken,
 * so `/v1`, `/openapi.json`, `/asyncapi.json`, `/docs` and `/healthz` stay the API's.
 */
export function mountPortal(app: Express, options: PortalOptions = {}): void {
  const dir = options.dir ?? defaultPortalDir();
  const indexFile = join(dir, 'index.html');

  const sendIndex = (_request: Request, response: Response) => {
    response.setHeader('Cache-Control', 'no-cache');
    // Checked on each request, so building the portal while the gateway runs needs no restart.
    if (!existsSync(indexFile)) {
      response.status(503).type('html').send(NOT_BUILT);
      return;
    }
    response.sendFile(indexFile);
  };

  app.get('/', sendIndex);
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
  context.extensions.push((app) => mountPortal(app, { dir }));
}
