import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Webhook signatures in the Standard Webhooks scheme (https://www.standardwebhooks.com):
 *
 * - `webhook-id`: the delivery id (the same on every retry of one delivery: dedupe on it);
 * - `webhook-timestamp`: unix seconds when this attempt was signed;
 * - `webhook-signature`: `v1,<base64 HMAC-SHA256>` over `<webhook-id>.<webhook-timestamp>.<raw body>`,
 *   keyed with the secret's bytes: the secret is `whsec_<base64>` and the key is the base64-decoded part.
 *   Several space-separated signatures may be present (secret rotation); one valid one suffices.
 *
 * A receiver verifies over the raw request bytes (before any JSON parsing), compares in constant
 * time and refuses timestamps more than 5 minutes away from its clock (replay window), then may
 * drop a `webhook-id` it has already processed. The standardwebhooks libraries do exactly this.
 */

export const SECRET_PREFIX = 'whsec_';
export const REPLAY_WINDOW_SECONDS = 5 * 60;
const MIN_KEY_BYTES = 24;
const MAX_KEY_BYTES = 64;

/** A fresh signing secret: `whsec_` and 32 random bytes in base64. */
export const generateSecret = (): string => `${SECRET_PREFIX}${randomBytes(32).toString('base64')}`;

/** The key bytes of a `whsec_<base64>` secret, or undefined when it is not one (or too short or long). */
export function secretKey(secret: string): Buffer | undefined {
  if (!secret.startsWith(SECRET_PREFIX)) return undefined;
  const encoded = secret.slice(SECRET_PREFIX.length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || encoded.length % 4 !== 0) return undefined;
  const key = Buffer.from(encoded, 'base64');
  return key.length >= MIN_KEY_BYTES && key.length <= MAX_KEY_BYTES ? key : undefined;
}

export const isValidSecret = (secret: unknown): secret is string =>
  typeof secret === 'string' && secretKey(secret) !== undefined;

const toBuffer = (body: string | Uint8Array) =>
  typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body);

/** The base64 HMAC-SHA256 of `<id>.<timestamp>.<body>` under the secret's key. */
export function computeSignature(
  secret: string,
  id: string,
  timestamp: number | string,
  body: string | Uint8Array,
): string {
  const key = secretKey(secret);
  if (!key) throw new Error('The webhook secret is not a whsec_<base64> secret of 24 to 64 bytes');
  return createHmac('sha256', key)
    .update(`${id}.${timestamp}.`, 'utf8')
    .update(toBuffer(body))
    .digest('base64');
}

/** The three headers of one signed attempt. */
export function signWebhook(
  secret: string,
  id: string,
  body: string | Uint8Array,
  nowSeconds = Math.floor(Date.now() / 1000),
): { 'webhook-id': string; 'webhook-timestamp': string; 'webhook-signature': string } {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(nowSeconds),
    'webhook-signature': `v1,${computeSignature(secret, id, nowSeconds, body)}`,
  };
}

/** Request headers as node gives them (`IncomingHttpHeaders`), a plain record, or fetch's `Headers`. */
export type HeaderSource =
  | { get(name: string): string | null }
  | Record<string, string | string[] | undefined>;

function header(headers: HeaderSource, name: string): string | undefined {
  if (typeof (headers as { get?: unknown }).get === 'function')
    return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  const record = headers as Record<string, string | string[] | undefined>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : record[key];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * For receivers (and tests): true when the request carries a `v1` signature of `body` (the raw bytes
 * received) under `secret` and its timestamp lies within 5 minutes of `nowSeconds`.
 */
export function verifyWebhookSignature(
  secret: string,
  headers: HeaderSource,
  body: string | Uint8Array,
  nowSeconds = Math.floor(Date.now() / 1000),
): boolean {
  const id = header(headers, 'webhook-id');
  const timestamp = header(headers, 'webhook-timestamp');
  const signatures = header(headers, 'webhook-signature');
  if (!id || !timestamp || !signatures || !/^\d{1,15}$/.test(timestamp)) return false;
  if (Math.abs(nowSeconds - Number(timestamp)) > REPLAY_WINDOW_SECONDS) return false;
  if (!secretKey(secret)) return false;
  const expected = Buffer.from(computeSignature(secret, id, timestamp, body), 'base64');
  return signatures.split(' ').some((entry) => {
    const [version, value] = entry.split(',', 2);
    if (version !== 'v1' || !value) return false;
    const given = Buffer.from(value, 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
