import createClient, { type Client, type ClientOptions, type Middleware } from 'openapi-fetch';
import type { components, operations, paths } from '../gen/openapi';

export type { Client, Middleware } from 'openapi-fetch';
export * from './event-stream';
export type { components, operations, paths };

/** The schemas of the gateway's OpenAPI document, by name (`Schemas['Need']`, `Schemas['Problem']`). */
export type Schemas = components['schemas'];
/** An RFC 9457 problem as the gateway answers it. */
export type Problem = Schemas['Problem'];
/** The typed client of the gateway's REST API. */
export type ApiClient = Client<paths>;

export interface ApiClientOptions extends Omit<ClientOptions, 'baseUrl'> {
  /** The gateway, e.g. http://127.0.0.1:8080 (empty: the page's own origin). */
  baseUrl?: string;
  /** The bearer token, read per request so a sign-in or a refresh needs no new client. */
  token?: string | (() => string | undefined);
}

/** `Authorization: Bearer …` on every request that has no Authorization of its own. */
export const bearerAuth = (token: string | (() => string | undefined)): Middleware => ({
  onRequest({ request }) {
    const value = typeof token === 'function' ? token() : token;
    if (value && !request.headers.has('authorization'))
      request.headers.set('authorization', `Bearer ${value}`);
    return request;
  },
});

/**
 * A client of the gateway's public API, typed by the document the gateway serves at /openapi.json (generated
 * into gen/ at build time): a path, parameter or body the document does not have does not compile.
 */
export function createApiClient(options: ApiClientOptions = {}): ApiClient {
  const { token, baseUrl = '', ...rest } = options;
  const client = createClient<paths>({ baseUrl: baseUrl.replace(/\/$/, ''), ...rest });
  if (token !== undefined) client.use(bearerAuth(token));
  return client;
}
