import { randomUUID } from 'node:crypto';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { Logger } from '@lienket/platform';
import { literalHostProblem, parseTargetUrl, resolvedAddressesProblem } from './address';
import { signWebhook } from './signature';
import {
  type AttemptRecord,
  type DeliveryDocument,
  finishedStatuses,
  type SubscriptionDocument,
  type WebhookCollections,
} from './store';

export interface RetryPolicy {
  maxAttempts: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
}

/**
 * The wait before attempt `attempt + 1` after `attempt` failed (1-based): exponential from the
 * initial backoff, capped, with "equal jitter" (between half and all of it) so that receivers that
 * failed together are not retried together. Never above the cap.
 */
export function backoffMs(
  attempt: number,
  { initialBackoffMs, maxBackoffMs }: Pick<RetryPolicy, 'initialBackoffMs' | 'maxBackoffMs'>,
  random = Math.random,
): number {
  const base = Math.min(maxBackoffMs, initialBackoffMs * 2 ** Math.min(attempt - 1, 40));
  return Math.round(base / 2 + (base / 2) * random());
}

export type Outcome = 'delivered' | 'retry' | 'final';

/** 2xx delivered; 5xx, 408, 429 and no answer (timeout, network) retried; anything else final. */
export function outcomeOf(statusCode: number | undefined): Outcome {
  if (statusCode === undefined) return 'retry';
  if (statusCode >= 200 && statusCode < 300) return 'delivered';
  if (statusCode >= 500 || statusCode === 429 || statusCode === 408) return 'retry';
  return 'final';
}

/** A Retry-After header (seconds or an HTTP date) in milliseconds, if given. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export interface PostResult {
  statusCode?: number;
  error?: string;
  /** A final refusal decided before sending (a non-public target). */
  refused?: boolean;
  retryAfterMs?: number;
}

/**
 * A DNS lookup that refuses names resolving to any non-public address, so that the connection goes
 * only to addresses checked at this moment (a name cannot be re-pointed between check and connect).
 */
export function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(
      hostname,
      { all: true, verbatim: true, family: options.family ?? 0, hints: options.hints ?? 0 },
      (error, addresses: LookupAddress[]) => {
        if (error) {
          callback(error, '', 0);
          return;
        }
        const problem = allowPrivate
          ? undefined
          : resolvedAddressesProblem(
              hostname,
              addresses.map((a) => a.address),
            );
        if (problem) {
          callback(Object.assign(new Error(problem.description), { code: 'EWEBHOOKTARGET' }), '', 0);
          return;
        }
        if (options.all) callback(null, addresses);
        else {
          const first = addresses[0] as LookupAddress;
          callback(null, first.address, first.family);
        }
      },
    );
  };
}

export interface PostOptions {
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
  allowPrivate: boolean;
}

/** One POST: no redirects followed, no keep-alive, the whole exchange bounded by the timeout. */
export function postWebhook({
  url,
  body,
  headers,
  timeoutMs,
  allowPrivate,
}: PostOptions): Promise<PostResult> {
  const target = parseTargetUrl(url);
  if (!(target instanceof URL)) return Promise.resolve({ error: target.description, refused: true });
  if (!allowPrivate) {
    const problem = literalHostProblem(target);
    if (problem) return Promise.resolve({ error: problem.description, refused: true });
  }
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: PostResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const payload = Buffer.from(body, 'utf8');
    const request = (target.protocol === 'https:' ? https : http).request(target, {
      method: 'POST',
      agent: false,
      lookup: guardedLookup(allowPrivate),
      headers: {
        ...headers,
        'content-type': 'application/cloudevents+json',
        'content-length': String(payload.length),
        'user-agent': 'LienKet-Webhooks/1',
        connection: 'close',
      },
    });
    const timer = setTimeout(() => {
      finish({ error: `no answer within ${timeoutMs} ms` });
      request.destroy();
    }, timeoutMs);
    request.on('response', (response) => {
      const retryAfter = response.headers['retry-after'];
      finish({
        statusCode: response.statusCode ?? 0,
        ...(response.statusCode && response.statusCode >= 300 && response.statusCode < 400
          ? {
              error: `redirect to ${String(response.headers.location ?? '(none)').slice(0, 200)} not followed`,
            }
          : {}),
        ...(retryAfter ? { retryAfterMs: retryAfterMs(String(retryAfter)) } : {}),
      });
      // The answer's body is of no interest: drop it and the connection.
      response.destroy();
    });
    request.on('error', (error: NodeJS.ErrnoException) => {
      // A name that now resolves to a non-public address (EWEBHOOKTARGET) is retried like any
      // network error: DNS may be wrong for a moment; nothing was sent to it.
      finish({ error: error.code ? `${error.code}: ${error.message}` : error.message });
    });
    request.end(payload);
  });
}

export interface DeliveryLoopOptions {
  collections: WebhookCollections;
  log: Logger;
  retry: RetryPolicy;
  timeoutMs: number;
  pollMs: number;
  allowPrivate: boolean;
  /** Deliveries sent at once by this instance. */
  concurrency?: number;
  /** Finished deliveries older than this are purged. */
  retentionMs?: number;
  /** The POST itself (tests may replace it). */
  post?: (options: PostOptions) => Promise<PostResult>;
  now?: () => number;
}

export interface DeliveryLoop {
  start(): void;
  /** Stops claiming, waits for the sends in flight to finish and be recorded. */
  stop(): Promise<void>;
  /** Looks for due deliveries now instead of at the next poll. */
  notify(): void;
  /** One round: claims what is due (up to free capacity) and starts sending it. */
  tick(): Promise<number>;
  readonly stats: { sent: number; delivered: number; retried: number; failed: number; dead: number };
}

const errorText = (text: string | undefined) => (text === undefined ? null : text.slice(0, 500));

/**
 * Sends due deliveries. Each round claims some with a conditional update that sets a fresh lease
 * token and expiry only where no live lease exists, then sends only those it holds: two instances
 * never send one delivery at the same time, and a crashed instance's claims lapse after the lease.
 * Results are written only while the lease is still ours.
 */
export function createDeliveryLoop(options: DeliveryLoopOptions): DeliveryLoop {
  const { collections, retry, timeoutMs, pollMs, allowPrivate } = options;
  const { deliveries, subscriptions } = collections;
  const log = options.log.child({ component: 'webhook-delivery' });
  const concurrency = options.concurrency ?? 16;
  const retentionMs = options.retentionMs ?? 30 * 86_400_000;
  const post = options.post ?? postWebhook;
  const now = options.now ?? Date.now;
  // Longer than any send can take (DNS, connect and answer all fall under the timeout).
  const leaseMs = 2 * timeoutMs + 15_000;
  const stats = { sent: 0, delivered: 0, retried: 0, failed: 0, dead: 0 };
  const inFlight = new Set<Promise<void>>();
  let running = false;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  let woken = false;
  let lastPurge = 0;

  async function claim(limit: number): Promise<{ token: string; claimed: DeliveryDocument[] }> {
    const at = new Date(now());
    const due = {
      status: 'pending' as const,
      next_attempt_at: { $lte: at },
      $or: [{ lease_until: null }, { lease_until: { $lt: at } }],
    };
    const candidates = await deliveries
      .find(due, { _id: 1 }, { sort: { next_attempt_at: 1 }, limit })
      .lean<{ _id: string }[]>();
    const token = randomUUID();
    if (candidates.length === 0) return { token, claimed: [] };
    await deliveries.updateMany(
      { _id: { $in: candidates.map((c) => c._id) }, ...due },
      { $set: { lease_token: token, lease_until: new Date(at.getTime() + leaseMs) } },
    );
    const claimed = await deliveries
      .find({ lease_token: token, status: 'pending' })
      .lean<DeliveryDocument[]>();
    return { token, claimed };
  }

  async function record(
    delivery: DeliveryDocument,
    token: string,
    set: Partial<DeliveryDocument>,
    attempt?: AttemptRecord,
  ) {
    await deliveries.updateOne(
      { _id: delivery._id, lease_token: token },
      {
        $set: { ...set, updated_at: new Date(now()) },
        $unset: { lease_token: '', lease_until: '' },
        ...(attempt ? { $push: { history: attempt } } : {}),
      },
    );
  }

  async function send(delivery: DeliveryDocument, token: string, subscription: SubscriptionDocument | null) {
    if (!subscription?.active) {
      await record(delivery, token, {
        status: 'cancelled',
        last_error: subscription ? 'the subscription is paused' : 'the subscription is gone',
      });
      return;
    }
    const started = now();
    const result = await post({
      url: subscription.target_url,
      body: delivery.body,
      headers: signWebhook(subscription.secret, delivery._id, delivery.body, Math.floor(started / 1000)),
      timeoutMs,
      allowPrivate,
    });
    stats.sent += 1;
    const finished = now();
    const attempts = delivery.attempts + 1;
    const outcome = result.refused ? 'final' : outcomeOf(result.statusCode);
    const attempt: AttemptRecord = {
      at: new Date(started),
      status_code: result.statusCode ?? null,
      error: errorText(result.error),
      duration_ms: finished - started,
    };
    const common = {
      attempts,
      last_attempt_at: new Date(started),
      last_status_code: result.statusCode ?? null,
      last_error: outcome === 'delivered' ? null : errorText(result.error ?? `HTTP ${result.statusCode}`),
    };
    const where = { delivery: delivery._id, subscription: subscription._id, attempts };
    if (outcome === 'delivered') {
      stats.delivered += 1;
      await record(
        delivery,
        token,
        { ...common, status: 'delivered', delivered_at: new Date(finished) },
        attempt,
      );
    } else if (outcome === 'retry' && attempts < retry.maxAttempts) {
      stats.retried += 1;
      const wait = Math.min(
        retry.maxBackoffMs,
        Math.max(backoffMs(attempts, retry), result.retryAfterMs ?? 0),
      );
      await record(
        delivery,
        token,
        { ...common, status: 'pending', next_attempt_at: new Date(finished + wait) },
        attempt,
      );
      log.debug(
        { ...where, wait, status: result.statusCode, error: result.error },
        'webhook will be retried',
      );
    } else if (outcome === 'retry') {
      stats.dead += 1;
      await record(delivery, token, { ...common, status: 'dead' }, attempt);
      log.warn({ ...where, status: result.statusCode, error: result.error }, 'webhook dead-lettered');
    } else {
      stats.failed += 1;
      await record(delivery, token, { ...common, status: 'failed' }, attempt);
      log.info({ ...where, status: result.statusCode, error: result.error }, 'webhook refused for good');
    }
  }

  async function tick(): Promise<number> {
    const free = concurrency - inFlight.size;
    if (free <= 0) return 0;
    const { token, claimed } = await claim(free);
    if (claimed.length === 0) return 0;
    const ids = [...new Set(claimed.map((d) => d.subscription_id))];
    const found = await subscriptions.find({ _id: { $in: ids } }).lean<SubscriptionDocument[]>();
    const byId = new Map(found.map((s) => [s._id, s]));
    for (const delivery of claimed) {
      const task: Promise<void> = send(delivery, token, byId.get(delivery.subscription_id) ?? null)
        .catch((error) =>
          log.error({ err: error, delivery: delivery._id }, 'webhook delivery failed to record'),
        )
        .finally(() => {
          inFlight.delete(task);
          notify();
        });
      inFlight.add(task);
    }
    return claimed.length;
  }

  async function purge() {
    if (now() - lastPurge < 3_600_000) return;
    lastPurge = now();
    const result = await deliveries.deleteMany({
      status: { $in: [...finishedStatuses] },
      updated_at: { $lt: new Date(now() - retentionMs) },
    });
    if (result.deletedCount > 0) log.info({ purged: result.deletedCount }, 'old webhook deliveries purged');
  }

  function notify() {
    woken = true;
    wake?.();
  }

  async function run() {
    while (running) {
      try {
        await tick();
        await purge();
      } catch (error) {
        log.warn({ err: error }, 'webhook delivery round failed');
      }
      if (!running) break;
      if (!woken)
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pollMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      wake = undefined;
      woken = false;
    }
  }

  return {
    stats,
    tick,
    notify,
    start() {
      if (running) return;
      running = true;
      loop = run();
    },
    async stop() {
      running = false;
      wake?.();
      await loop;
      await Promise.allSettled([...inFlight]);
    },
  };
}
