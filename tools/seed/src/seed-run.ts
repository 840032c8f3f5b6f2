import type { ApiClient, Schemas } from '@lienket/api-client';
import { type Answer, Api, describe } from './api';
import type { SeedPlan } from './generate';
import { type EventPacer, StalledError } from './pacer';
import type { Reporter, SeedOptions, SeedSummary } from './run';
import { TokenMinter } from './tokens';

/** The gateway's schemas the phases read (fields at their default value are left out of its answers). */
export type ProposalView = Schemas['lienket.matchmaking.v1.Proposal'];
export type InterestView = Schemas['lienket.techtransfer.v1.Interest'];

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `fn` over items with at most `limit` in flight. */
export async function pool<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item);
    }
  });
  await Promise.all(workers);
}

/** The helpers every phase of a run shares: the client, tokens, failures, progress, and the ids made so far. */
export function openSeedRun(options: SeedOptions, summary: SeedSummary, reporter: Reporter) {
  const limit = options.concurrency ?? 4;
  const api = new Api(options.url, limit);
  const tokens = new TokenMinter({
    secret: options.secret,
    issuer: options.issuer,
    audience: options.audience,
  });
  const admin = options.adminToken ?? tokens.admin();
  const report = reporter;
  const fail = (line: string) => {
    summary.failures += 1;
    if (summary.errors.length < 20) summary.errors.push(line);
  };
  /** After a failed state change, whether it happened anyway (a timed-out first attempt that was applied). */
  const confirm = async <T>(
    read: (client: ApiClient) => Promise<Answer<T>>,
    holds: (data: T) => boolean,
  ): Promise<boolean> => {
    const r = await api.call(admin, read);
    return r.status === 200 && r.data !== undefined && holds(r.data);
  };
  /**
   * POSTs a create. An answer that never came (a timeout, no answer) may hide a create that was applied,
   * so before trying again it looks for what it created; nothing is created twice.
   */
  const create = async <T>(
    path: string,
    token: string,
    send: (client: ApiClient) => Promise<Answer<T>>,
    idOf: (data: T) => string | undefined,
    lookup?: () => Promise<string | undefined>,
  ): Promise<string | undefined> => {
    for (let attempt = 0; ; attempt++) {
      const r = await api.call(token, send);
      if ((r.status === 200 || r.status === 201) && r.data !== undefined) return idOf(r.data);
      const unknown = r.status === 0 || r.status === 502 || r.status === 504;
      if (!unknown || !lookup || attempt >= 3) {
        fail(describe('POST', path, r));
        return undefined;
      }
      summary.retries[`${r.status || 'no answer'} (looked up)`] =
        (summary.retries[`${r.status || 'no answer'} (looked up)`] ?? 0) + 1;
      await sleep(1_000 * 2 ** attempt);
      const found = await lookup();
      if (found) return found;
    }
  };
  const findPosting = (kind: 'capability' | 'need', owner: string, title: string) => async () => {
    const r = await api.call(admin, (c) =>
      c.GET('/v1/postings', {
        params: { query: { kind, enterprise_id: owner, include_closed: true, page_size: 100 } },
      }),
    );
    return r.data?.postings?.map((p) => p[kind]).find((p) => p?.title === title)?.id;
  };
  const guarded =
    <T>(fn: (item: T) => Promise<void>) =>
    async (item: T) => {
      try {
        await fn(item);
      } catch (error) {
        if (error instanceof StalledError) throw error;
        fail(error instanceof Error ? error.message : String(error));
      } finally {
        tick();
      }
    };
  let value = 0;
  let mark = 0;
  const tick = (n = 1) => {
    value = Math.min(value + n, mark);
    report.update(value);
  };
  const phase = (name: string, calls: number) => {
    value = mark;
    report.update(value);
    mark += calls;
    report.phase(name);
  };
  const ids = new Map<string, string>();
  const created = new Set<string>();
  const idOf = (ref: string) => ids.get(ref);
  const isNew = (ref: string) => created.has(ref);
  return {
    options,
    summary,
    limit,
    api,
    tokens,
    admin,
    report,
    fail,
    confirm,
    create,
    findPosting,
    guarded,
    tick,
    phase,
    ids,
    created,
    idOf,
    isNew,
  };
}

/** A run once its plan is made and its pacer follows the event stream. */
export type SeedRun = ReturnType<typeof openSeedRun> & { plan: SeedPlan; pacer: EventPacer };
