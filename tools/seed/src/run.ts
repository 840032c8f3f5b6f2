import { Api, type ApiResult, describe } from './api';
import { generate, type PlannedEnterprise, type PlannedInterest, type SeedPlan } from './generate';
import { EventPacer, StalledError } from './pacer';
import { TokenMinter } from './tokens';

/** How the seed shows progress: one bar over every planned call, labelled by phase. */
export interface Reporter {
  start(total: number): void;
  phase(name: string): void;
  /** Moves the bar to `value` (never backwards). */
  update(value: number): void;
  note(text: string): void;
  stop(): void;
}

export const silentReporter: Reporter = {
  start() {},
  phase() {},
  update() {},
  note() {},
  stop() {},
};

export interface SeedOptions {
  /** The gateway, e.g. http://127.0.0.1:8080. */
  url: string;
  enterprises: number;
  seed: string | number;
  /** The gateway's development secret, to sign officers' and enterprises' tokens. */
  secret: string;
  /** An admin token; minted with the secret when absent. */
  adminToken?: string | undefined;
  issuer?: string | undefined;
  audience?: string | undefined;
  /** Calls in flight at most (default 4); fewer while the platform answers slowly. */
  concurrency?: number;
  /** The longest wait for matchmaking's proposals (default 120 s). */
  proposalWaitMs?: number;
  /** Proposals have settled when their count holds still this long (default 5 s). */
  settleMs?: number;
  /** Do nothing when the platform already has enterprises. */
  ifEmpty?: boolean;
  /** Registry writes that may wait for their events (default 32; see EventPacer). */
  eventWindow?: number;
  now?: Date;
  reporter?: Reporter;
}

export interface SeedSummary {
  seed: string;
  requested: number;
  skipped: boolean;
  elapsedMs: number;
  calls: number;
  /** Calls repeated, by cause ("429" rate limited, "504" timed out, …). */
  retries: Record<string, number>;
  /** Whether writes were paced by the event stream (else at a fixed, slower rate). */
  paced: boolean;
  enterprises: {
    created: number;
    existing: number;
    byKind: Record<string, number>;
    byGroup: Record<string, number>;
    provinces: number;
    regions: number;
  };
  verified: number;
  rejected: number;
  leadFirms: number;
  clusters: number;
  capabilities: number;
  needs: number;
  proposals: {
    /** Proposals on this run's needs, as their buyers saw them. */
    seen: number;
    needsWithProposals: number;
    established: number;
    acceptedByOne: number;
    declined: number;
    waitedMs: number;
  };
  offers: number;
  requests: number;
  interests: { expressed: number; accepted: number; declined: number; pending: number };
  agreements: number;
  programmes: number;
  cofunding: { applied: number; approved: number; disbursed: number };
  /** What the platform holds afterwards, all runs together. */
  platform: {
    enterprises: number;
    provinces: number;
    proposals: number;
    established: number;
    offers: number;
  };
  failures: number;
  errors: string[];
}

interface Page {
  page?: { nextPageToken?: string; totalSize?: number };
}
interface EnterpriseView {
  id: string;
  taxCode: string;
}
interface ProposalView {
  id: string;
  needId: string;
  capabilityId: string;
  supplierEnterpriseId: string;
  buyerEnterpriseId: string;
  score?: number;
  status: string;
}
interface PostingView {
  id: string;
  title: string;
}
interface InterestView {
  id: string;
  status?: string;
  agreement?: { id: string; status?: string };
}
interface Facet {
  name: string;
  counts?: { value: string; count: number }[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `fn` over items with at most `limit` in flight. */
async function pool<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item);
    }
  });
  await Promise.all(workers);
}

/** Calls the plan will make, for the progress bar (the wait for proposals counts as one). */
export function plannedCalls(plan: SeedPlan): number {
  const verifications = plan.enterprises.filter((e) => e.verification !== 'none').length;
  const leads = plan.enterprises.filter((e) => e.leadFirm).length;
  const proposalActions = plan.needs.reduce(
    (sum, n) => sum + (n.outcome === 'establish' ? 2 : n.outcome === 'leave' ? 0 : 1),
    0,
  );
  const buyers = new Set(plan.needs.map((n) => n.owner)).size;
  const interestCalls = plan.interests.reduce(
    (sum, i) => sum + 1 + (i.answer === 'none' ? 0 : 1) + i.messages.length + (i.agreement ? 2 : 0),
    0,
  );
  const applicationCalls = plan.applications.reduce((sum, a) => sum + 2 + (a.disbursement ? 1 : 0), 0);
  return (
    1 +
    plan.enterprises.length +
    verifications +
    leads +
    plan.clusters.length +
    plan.capabilities.length +
    plan.needs.length +
    plan.offers.length * 2 +
    plan.requests.length +
    interestCalls +
    plan.programmes.length +
    applicationCalls +
    1 +
    buyers +
    proposalActions +
    1
  );
}

function emptySummary(seed: string, requested: number): SeedSummary {
  return {
    seed,
    requested,
    skipped: false,
    elapsedMs: 0,
    calls: 0,
    retries: {},
    paced: false,
    enterprises: { created: 0, existing: 0, byKind: {}, byGroup: {}, provinces: 0, regions: 0 },
    verified: 0,
    rejected: 0,
    leadFirms: 0,
    clusters: 0,
    capabilities: 0,
    needs: 0,
    proposals: { seen: 0, needsWithProposals: 0, established: 0, acceptedByOne: 0, declined: 0, waitedMs: 0 },
    offers: 0,
    requests: 0,
    interests: { expressed: 0, accepted: 0, declined: 0, pending: 0 },
    agreements: 0,
    programmes: 0,
    cofunding: { applied: 0, approved: 0, disbursed: 0 },
    platform: { enterprises: 0, provinces: 0, proposals: 0, established: 0, offers: 0 },
    failures: 0,
    errors: [],
  };
}

/**
 * Seeds the running platform through the gateway: registers the plan's enterprises (by their provinces'
 * officers), verifies and designates lead firms, forms clusters, posts capabilities and needs, publishes
 * technology offers and takes requests and interests to signed, co-funded agreements; then waits for
 * matchmaking's proposals and accepts a deterministic share of them on both sides. Enterprises whose tax
 * code is already registered are left as they are, with everything they would have posted.
 */
export async function runSeed(options: SeedOptions): Promise<SeedSummary> {
  const started = Date.now();
  const seed = String(options.seed);
  const summary = emptySummary(seed, options.enterprises);
  const limit = options.concurrency ?? 4;
  const api = new Api(options.url, limit);
  const tokens = new TokenMinter({
    secret: options.secret,
    issuer: options.issuer,
    audience: options.audience,
  });
  const admin = options.adminToken ?? tokens.admin();
  const report = options.reporter ?? silentReporter;
  const fail = (line: string) => {
    summary.failures += 1;
    if (summary.errors.length < 20) summary.errors.push(line);
  };
  /** After a failed state change, whether it happened anyway (a timed-out first attempt that was applied). */
  const confirm = async <T>(path: string, token: string, holds: (body: T) => boolean): Promise<boolean> => {
    const r = await api.call<T>('GET', path, { token });
    return r.status === 200 && holds(r.body);
  };
  /**
   * POSTs a create. An answer that never came (a timeout, no answer) may hide a create that was applied,
   * so before trying again it looks for what it created; nothing is created twice.
   */
  const create = async <T>(
    path: string,
    token: string,
    body: unknown,
    idOf: (body: T) => string | undefined,
    lookup?: () => Promise<string | undefined>,
  ): Promise<string | undefined> => {
    for (let attempt = 0; ; attempt++) {
      const r = await api.call<T>('POST', path, { token, body });
      if (r.status === 200 || r.status === 201) return idOf(r.body);
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
    const r = await api.call<{ postings?: { capability?: PostingView; need?: PostingView }[] }>(
      'GET',
      '/v1/postings',
      { token: admin, query: { kind, enterprise_id: owner, include_closed: true, page_size: 100 } },
    );
    return r.body.postings?.map((p) => p[kind]).find((p) => p?.title === title)?.id;
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

  const probe = await api.call<{ enterprises?: EnterpriseView[] }>('GET', '/v1/enterprises', {
    token: admin,
    query: { page_size: 1 },
  });
  if (probe.status === 401 || probe.status === 403)
    throw new Error(
      `the gateway refused the admin token (${probe.status} ${probe.body.code ?? ''}); is AUTH_DEV_SECRET the gateway's?`,
    );
  if (probe.status === 0)
    throw new Error(`no answer from ${options.url} (${probe.body.detail}); is LienKet running (npm start)?`);
  if (probe.status !== 200) throw new Error(describe('GET', '/v1/enterprises', probe));
  if (options.ifEmpty && (probe.body.enterprises?.length ?? 0) > 0) {
    summary.skipped = true;
    summary.elapsedMs = Date.now() - started;
    return summary;
  }

  const plan = generate({
    enterprises: options.enterprises,
    seed,
    ...(options.now ? { now: options.now } : {}),
  });
  report.start(plannedCalls(plan));
  const pacer = new EventPacer({
    url: options.url,
    token: admin,
    window: options.eventWindow,
    onNote: (text) => report.note(text),
  });
  await pacer.start();
  try {
    return await seedPlan();
  } finally {
    pacer.stop();
    report.stop();
  }

  async function seedPlan(): Promise<SeedSummary> {
    const ids = new Map<string, string>();
    const created = new Set<string>();
    const idOf = (ref: string) => ids.get(ref);
    const isNew = (ref: string) => created.has(ref);

    // ---- what is already there
    phase('checking the registry', 1);
    const existing = new Map<string, string>();
    for (let token = ''; ; ) {
      const page = await api.call<{ enterprises?: EnterpriseView[] } & Page>('GET', '/v1/enterprises', {
        token: admin,
        query: { page_size: 100, ...(token ? { page_token: token } : {}) },
      });
      if (page.status !== 200) throw new Error(describe('GET', '/v1/enterprises', page));
      for (const e of page.body.enterprises ?? []) existing.set(e.taxCode, e.id);
      token = page.body.page?.nextPageToken ?? '';
      if (!token) break;
    }
    tick();

    // ---- enterprises, registered by the officers of their provinces
    phase('registering enterprises', plan.enterprises.length);
    await pool(
      plan.enterprises,
      limit,
      guarded(async (e: PlannedEnterprise) => {
        const known = existing.get(e.body.taxCode);
        if (known) {
          ids.set(e.ref, known);
          summary.enterprises.existing += 1;
          return;
        }
        await pacer.room();
        const r = await api.call<{ enterprise: EnterpriseView }>('POST', '/v1/enterprises', {
          token: tokens.officer(e.province),
          body: e.body,
          idempotent: true, // a repeat answers 409, and the enterprise is looked up
        });
        if (r.status === 201) {
          pacer.wrote();
          ids.set(e.ref, r.body.enterprise.id);
          created.add(e.ref);
          summary.enterprises.created += 1;
          const kind = e.body.kind.replace('ENTERPRISE_KIND_', '').toLowerCase();
          summary.enterprises.byKind[kind] = (summary.enterprises.byKind[kind] ?? 0) + 1;
          summary.enterprises.byGroup[e.group] = (summary.enterprises.byGroup[e.group] ?? 0) + 1;
          return;
        }
        if (r.status === 409) {
          // Registered meanwhile (another run): find it by name and province, and keep it as it is.
          const found = await api.call<{ enterprises?: EnterpriseView[] }>('GET', '/v1/enterprises', {
            token: admin,
            query: { text: e.body.name.slice(0, 200), province: e.province, page_size: 100 },
          });
          const id = found.body.enterprises?.find((x) => x.taxCode === e.body.taxCode)?.id;
          if (id) {
            ids.set(e.ref, id);
            summary.enterprises.existing += 1;
            return;
          }
        }
        fail(describe('POST', '/v1/enterprises', r));
      }),
    );
    const present = plan.enterprises.filter((e) => ids.has(e.ref));
    summary.enterprises.provinces = new Set(present.map((e) => e.province)).size;
    summary.enterprises.regions = new Set(present.map((e) => e.region)).size;

    // ---- provincial verification and lead firms
    const toDecide = plan.enterprises.filter((e) => e.verification !== 'none');
    phase('verifying (provincial officers)', toDecide.length);
    const verified = new Set<string>();
    await pool(
      toDecide,
      limit,
      guarded(async (e: PlannedEnterprise) => {
        const id = idOf(e.ref);
        if (!id || !isNew(e.ref)) return;
        const path = `/v1/enterprises/${id}/verification`;
        await pacer.room();
        const r = await api.call('POST', path, {
          token: tokens.officer(e.province),
          idempotent: true,
          body:
            e.verification === 'verify'
              ? { decision: 'VERIFICATION_DECISION_VERIFY' }
              : {
                  decision: 'VERIFICATION_DECISION_REJECT',
                  reason: 'Thông tin đăng ký kinh doanh chưa khớp với dữ liệu thuế; đề nghị bổ sung hồ sơ.',
                },
        });
        if (r.status !== 200 && r.body.code !== 'ALREADY_DECIDED') return fail(describe('POST', path, r));
        if (r.status === 200) pacer.wrote();
        if (e.verification === 'verify') {
          verified.add(e.ref);
          summary.verified += 1;
        } else summary.rejected += 1;
      }),
    );
    const leads = plan.enterprises.filter((e) => e.leadFirm);
    phase('designating lead firms', leads.length);
    await pool(
      leads,
      limit,
      guarded(async (e: PlannedEnterprise) => {
        const id = idOf(e.ref);
        if (!id || !verified.has(e.ref)) return;
        const path = `/v1/enterprises/${id}/lead-firm`;
        await pacer.room();
        const r = await api.call('PUT', path, {
          token: tokens.officer(e.province),
          body: { leadFirm: true },
        });
        if (r.status !== 200) return fail(describe('PUT', path, r));
        pacer.wrote();
        summary.leadFirms += 1;
      }),
    );

    // ---- value-chain clusters, formed by their anchors
    phase('forming value-chain clusters', plan.clusters.length);
    await pool(
      plan.clusters,
      limit,
      guarded(async (c) => {
        const anchor = idOf(c.anchor);
        const members = c.members.map(idOf).filter((id): id is string => id !== undefined);
        if (!anchor || !isNew(c.anchor)) return;
        // No lookup (clusters are not listed): a timed-out cluster is reported rather than formed twice.
        await pacer.room();
        const id = await create<{ cluster?: { id: string } }>(
          '/v1/clusters',
          tokens.enterprise(anchor),
          { name: c.name, chain: c.chain, anchorEnterpriseId: anchor, memberEnterpriseIds: members },
          (b) => b.cluster?.id,
        );
        if (!id) return;
        pacer.wrote();
        summary.clusters += 1;
      }),
    );

    // ---- capabilities first, then needs, so each need is matched against every capability
    const capabilityRank = new Map<string, number>();
    phase('posting capabilities', plan.capabilities.length);
    await pool(
      plan.capabilities,
      limit,
      guarded(async (c) => {
        const owner = idOf(c.owner);
        if (!owner || !isNew(c.owner)) return;
        await pacer.room();
        const id = await create<{ capability?: { id: string } }>(
          '/v1/capabilities',
          tokens.enterprise(owner),
          { ...c.body, enterpriseId: owner },
          (b) => b.capability?.id,
          findPosting('capability', owner, c.body.title),
        );
        if (!id) return;
        pacer.wrote();
        capabilityRank.set(id, Number(c.ref.slice(1)));
        summary.capabilities += 1;
      }),
    );
    const proposalTotal = async (status?: string) => {
      const r = await api.call<{ proposals?: ProposalView[] } & Page>('GET', '/v1/proposals', {
        token: admin,
        query: { page_size: 1, ...(status ? { status } : {}) },
      });
      return r.status === 200 ? (r.body.page?.totalSize ?? r.body.proposals?.length ?? 0) : 0;
    };
    const baseline = await proposalTotal();
    const needIds = new Map<string, string>();
    phase('posting needs', plan.needs.length);
    await pool(
      plan.needs,
      limit,
      guarded(async (n) => {
        const owner = idOf(n.owner);
        if (!owner || !isNew(n.owner)) return;
        await pacer.needRoom();
        const id = await create<{ need?: { id: string } }>(
          '/v1/needs',
          tokens.enterprise(owner),
          { ...n.body, enterpriseId: owner },
          (b) => b.need?.id,
          findPosting('need', owner, n.body.title),
        );
        if (!id) return;
        pacer.wrote();
        pacer.needPosted(id);
        needIds.set(n.ref, id);
        summary.needs += 1;
      }),
    );

    // ---- technology transfer: offers, requests, interests → agreements → co-funding
    const offerIds = new Map<string, string>();
    const offerOwner = new Map(plan.offers.map((o) => [o.ref, o.owner]));
    phase('publishing technology offers', plan.offers.length * 2);
    await pool(
      plan.offers,
      limit,
      guarded(async (o) => {
        const owner = idOf(o.owner);
        if (!owner || !isNew(o.owner)) return tick();
        const offerId = await create<{ offer?: { id: string } }>(
          '/v1/tech/offers',
          tokens.enterprise(owner),
          { ...o.body, ownerEnterpriseId: owner },
          (b) => b.offer?.id,
          async () => {
            const mine = await api.call<{ offers?: PostingView[] }>('GET', '/v1/tech/offers', {
              token: tokens.enterprise(owner),
              query: { mine: true, page_size: 100 },
            });
            return mine.body.offers?.find((x) => x.title === o.body.title)?.id;
          },
        );
        tick();
        if (!offerId) return;
        const path = `/v1/tech/offers/${offerId}/publication`;
        const published = await api.call('POST', path, { token: tokens.enterprise(owner), idempotent: true });
        if (
          published.status !== 200 &&
          !(await confirm<{ offer?: { status?: string } }>(
            `/v1/tech/offers/${offerId}`,
            admin,
            (b) => b.offer?.status === 'OFFER_STATUS_PUBLISHED',
          ))
        )
          return fail(describe('POST', path, published));
        offerIds.set(o.ref, offerId);
        summary.offers += 1;
      }),
    );
    const requestIds = new Map<string, string>();
    phase('posting technology requests', plan.requests.length);
    await pool(
      plan.requests,
      limit,
      guarded(async (q) => {
        const requester = idOf(q.requester);
        if (!requester || !isNew(q.requester)) return;
        const id = await create<{ request?: { id: string } }>(
          '/v1/tech/requests',
          tokens.enterprise(requester),
          { ...q.body, requesterEnterpriseId: requester },
          (b) => b.request?.id,
          async () => {
            const found = await api.call<{ requests?: PostingView[] }>('GET', '/v1/tech/requests', {
              token: admin,
              query: { requester_id: requester, include_closed: true, page_size: 100 },
            });
            return found.body.requests?.find((x) => x.title === q.body.title)?.id;
          },
        );
        if (!id) return;
        requestIds.set(q.ref, id);
        summary.requests += 1;
      }),
    );
    const agreements = new Map<string, string>();
    const interestCalls = (i: PlannedInterest) =>
      1 + (i.answer === 'none' ? 0 : 1) + i.messages.length + (i.agreement ? 2 : 0);
    phase(
      'negotiating technology transfer',
      plan.interests.reduce((sum, i) => sum + interestCalls(i), 0),
    );
    await pool(plan.interests, limit, async (i) => {
      let spent = 0;
      const step = () => {
        spent += 1;
        tick();
      };
      try {
        const interested = idOf(i.interested);
        const offer = offerIds.get(i.offer);
        const owner = idOf(offerOwner.get(i.offer) ?? '');
        if (!interested || !offer || !owner || !isNew(i.interested)) return;
        const asOwner = tokens.enterprise(owner);
        const asInterested = tokens.enterprise(interested);
        const requestId = i.request ? requestIds.get(i.request) : undefined;
        const interestId = await create<{ interest?: InterestView }>(
          '/v1/tech/interests',
          asInterested,
          {
            offerId: offer,
            enterpriseId: interested,
            message: i.message,
            ...(requestId ? { requestId } : {}),
          },
          (b) => b.interest?.id,
          async () => {
            const mine = await api.call<{ interests?: (InterestView & { offerId: string })[] }>(
              'GET',
              '/v1/tech/interests',
              { token: asInterested, query: { enterprise_id: interested, page_size: 100 } },
            );
            return mine.body.interests?.find((x) => x.offerId === offer)?.id;
          },
        );
        step();
        if (!interestId) return;
        summary.interests.expressed += 1;
        const base = `/v1/tech/interests/${interestId}`;
        if (i.answer === 'none') {
          summary.interests.pending += 1;
          return;
        }
        const answered =
          i.answer === 'accept'
            ? await api.call('POST', `${base}/acceptance`, { token: asOwner, idempotent: true })
            : await api.call('POST', `${base}/decline`, {
                token: asOwner,
                body: { reason: i.declineReason },
                idempotent: true,
              });
        step();
        const wanted = i.answer === 'accept' ? 'INTEREST_STATUS_NEGOTIATING' : 'INTEREST_STATUS_DECLINED';
        if (
          answered.status !== 200 &&
          !(await confirm<{ interest?: InterestView }>(base, admin, (b) => b.interest?.status === wanted))
        )
          return fail(describe('POST', `${base}/${i.answer}`, answered));
        if (i.answer === 'decline') {
          summary.interests.declined += 1;
          return;
        }
        summary.interests.accepted += 1;
        for (const m of i.messages) {
          const sent = await api.call('POST', `${base}/messages`, {
            token: m.by === 'owner' ? asOwner : asInterested,
            body: { text: m.text, attachments: m.attachments },
          });
          step();
          if (sent.status !== 200) return fail(describe('POST', `${base}/messages`, sent));
        }
        if (!i.agreement) return;
        // Proposing again replaces unsigned terms, so a repeat is harmless; the last answer names the agreement.
        const proposed = await api.call<{ interest: InterestView }>('POST', `${base}/agreement`, {
          token: asOwner,
          idempotent: true,
          body: {
            type: i.agreement.type,
            value: { vnd: i.agreement.valueVnd },
            startDate: i.agreement.startDate,
            termsSummary: i.agreement.termsSummary,
          },
        });
        step();
        const agreementId = proposed.body.interest?.agreement?.id;
        if (proposed.status !== 200 || !agreementId)
          return fail(describe('POST', `${base}/agreement`, proposed));
        const signed = await api.call<{ interest: InterestView }>('POST', `${base}/agreement/signature`, {
          token: asInterested,
          body: { agreementId },
          idempotent: true,
        });
        step();
        if (
          signed.status !== 200 &&
          !(await confirm<{ interest?: InterestView }>(
            base,
            admin,
            (b) =>
              b.interest?.status === 'INTEREST_STATUS_AGREED' && b.interest.agreement?.id === agreementId,
          ))
        )
          return fail(describe('POST', `${base}/agreement/signature`, signed));
        agreements.set(i.ref, agreementId);
        summary.agreements += 1;
      } catch (error) {
        fail(error instanceof Error ? error.message : String(error));
      } finally {
        tick(interestCalls(i) - spent);
      }
    });

    // ---- co-funding: a national programme, a sponsor's, and the applicant's provincial fund
    phase('opening co-funding programmes', plan.programmes.length);
    const programmeIds = new Map<string, string>();
    const known = new Map<string, string>();
    for (let token = ''; ; ) {
      const page = await api.call<{ programmes?: { id: string; name: string }[] } & Page>(
        'GET',
        '/v1/tech/programmes',
        {
          token: admin,
          query: { include_closed: true, page_size: 100, ...(token ? { page_token: token } : {}) },
        },
      );
      if (page.status !== 200) break;
      for (const p of page.body.programmes ?? []) known.set(p.name, p.id);
      token = page.body.page?.nextPageToken ?? '';
      if (!token) break;
    }
    const needed = new Set(
      plan.applications.filter((a) => agreements.has(a.interest)).map((a) => a.programme),
    );
    await pool(
      plan.programmes,
      limit,
      guarded(async (p) => {
        const existingId = known.get(p.body.name);
        if (existingId) {
          programmeIds.set(p.ref, existingId);
          return;
        }
        // A provincial fund is opened for the application it will fund.
        if (p.openedBy !== 'admin' && !needed.has(p.ref)) return;
        const id = await create<{ programme?: { id: string } }>(
          '/v1/tech/programmes',
          p.openedBy === 'admin' ? admin : tokens.officer(p.openedBy.province),
          p.body,
          (b) => b.programme?.id,
          async () => {
            const found = await api.call<{ programmes?: { id: string; name: string }[] }>(
              'GET',
              '/v1/tech/programmes',
              { token: admin, query: { include_closed: true, page_size: 100 } },
            );
            return found.body.programmes?.find((x) => x.name === p.body.name)?.id;
          },
        );
        if (!id) return;
        programmeIds.set(p.ref, id);
        summary.programmes += 1;
      }),
    );
    phase(
      'applying for co-funding',
      plan.applications.reduce((sum, a) => sum + 2 + (a.disbursement ? 1 : 0), 0),
    );
    for (const a of plan.applications) {
      const calls = 2 + (a.disbursement ? 1 : 0);
      let spent = 0;
      try {
        const agreementId = agreements.get(a.interest);
        const programmeId = programmeIds.get(a.programme);
        const applicant = idOf(a.applicant);
        if (!agreementId || !programmeId || !applicant) continue;
        const applicationId = await create<{ application?: { id: string } }>(
          '/v1/tech/cofunding-applications',
          tokens.enterprise(applicant),
          { programmeId, agreementId, enterpriseId: applicant, amount: { vnd: a.amountVnd } },
          (b) => b.application?.id,
          async () => {
            const found = await api.call<{ applications?: { id: string; agreementId: string }[] }>(
              'GET',
              '/v1/tech/cofunding-applications',
              { token: admin, query: { applicant_id: applicant, programme_id: programmeId, page_size: 100 } },
            );
            return found.body.applications?.find((x) => x.agreementId === agreementId)?.id;
          },
        );
        spent += 1;
        tick();
        if (!applicationId) continue;
        summary.cofunding.applied += 1;
        const base = `/v1/tech/cofunding-applications/${applicationId}`;
        const approved = await api.call('POST', `${base}/approval`, {
          token: tokens.officer(a.decidedBy),
          idempotent: true,
        });
        spent += 1;
        tick();
        if (
          approved.status !== 200 &&
          !(await confirm<{ application?: { status?: string } }>(base, admin, (b) =>
            ['CO_FUNDING_STATUS_APPROVED', 'CO_FUNDING_STATUS_DISBURSED'].includes(
              b.application?.status ?? '',
            ),
          ))
        ) {
          fail(describe('POST', `${base}/approval`, approved));
          continue;
        }
        summary.cofunding.approved += 1;
        if (a.disbursement) {
          const paid = await api.call('POST', `${base}/disbursements`, {
            token: tokens.officer(a.decidedBy),
            body: { amount: { vnd: a.disbursement.amountVnd }, reference: a.disbursement.reference },
            idempotent: true, // the same payment reference counts once
          });
          spent += 1;
          tick();
          if (paid.status !== 200) fail(describe('POST', `${base}/disbursements`, paid));
          else summary.cofunding.disbursed += 1;
        }
      } catch (error) {
        fail(error instanceof Error ? error.message : String(error));
      } finally {
        tick(calls - spent);
      }
    }

    // ---- matchmaking: wait for its proposals, then answer a deterministic share on both sides
    phase('waiting for matchmaking', 1);
    if (needIds.size > 0) {
      const waitStarted = Date.now();
      const maxWait = options.proposalWaitMs ?? 120_000;
      // Live: matchmaking has answered every need (a proposal or unmet demand) before the count settles.
      const unanswered = await pacer.needsAnswered(maxWait);
      if (pacer.live && unanswered > 0) report.note(`${unanswered} needs still without an answer`);
      const settle = options.settleMs ?? 5_000;
      // Every need answered: its proposals were stored before their events went out, nothing is pending.
      // Otherwise (no stream): matchmaking proposes up to ten suppliers per need, and until about one per
      // need has come a pause means a slow platform rather than a finished one.
      const expected = needIds.size;
      let last = -1;
      let changedAt = Date.now();
      let done = pacer.live && unanswered === 0;
      while (!done) {
        const total = await proposalTotal();
        if (total !== last) {
          last = total;
          changedAt = Date.now();
          report.note(`${total - baseline} new proposals`);
        }
        const quiet = Date.now() - changedAt;
        const enough = pacer.live || total - baseline >= expected;
        if (total > baseline && quiet >= (enough ? settle : settle * 4)) done = true;
        else if (Date.now() - waitStarted > maxWait) {
          report.note(`stopped waiting after ${Math.round(maxWait / 1000)} s`);
          done = true;
        } else await sleep(1_000);
      }
      summary.proposals.waitedMs = Date.now() - waitStarted;
    }
    tick();
    const needsByBuyer = new Map<string, typeof plan.needs>();
    for (const n of plan.needs) {
      if (needIds.has(n.ref)) needsByBuyer.set(n.owner, [...(needsByBuyer.get(n.owner) ?? []), n]);
    }
    const buyers = [...new Set(plan.needs.map((n) => n.owner))];
    phase(
      'answering proposals',
      buyers.length +
        plan.needs.reduce(
          (sum, n) => sum + (n.outcome === 'establish' ? 2 : n.outcome === 'leave' ? 0 : 1),
          0,
        ),
    );
    await pool(buyers, limit, async (ref) => {
      const needs = needsByBuyer.get(ref) ?? [];
      const planned = plan.needs.filter((n) => n.owner === ref);
      const budget =
        1 +
        planned.reduce((sum, n) => sum + (n.outcome === 'establish' ? 2 : n.outcome === 'leave' ? 0 : 1), 0);
      let spent = 0;
      try {
        const buyer = idOf(ref);
        if (!buyer || needs.length === 0) return;
        const asBuyer = tokens.enterprise(buyer);
        const proposals: ProposalView[] = [];
        for (let token = ''; ; ) {
          const page = await api.call<{ proposals?: ProposalView[] } & Page>('GET', '/v1/proposals', {
            token: asBuyer,
            query: { enterprise_id: buyer, page_size: 100, ...(token ? { page_token: token } : {}) },
          });
          if (page.status !== 200) return fail(describe('GET', '/v1/proposals', page));
          proposals.push(...(page.body.proposals ?? []));
          token = page.body.page?.nextPageToken ?? '';
          if (!token) break;
        }
        spent += 1;
        tick();
        for (const n of needs) {
          const needId = needIds.get(n.ref);
          const mine = proposals.filter((p) => p.needId === needId);
          summary.proposals.seen += mine.length;
          if (mine.length > 0) summary.proposals.needsWithProposals += 1;
          const open = mine
            .filter((p) => p.status === 'PROPOSAL_STATUS_PROPOSED')
            .sort(
              (a, b) =>
                (b.score ?? 0) - (a.score ?? 0) ||
                (capabilityRank.get(a.capabilityId) ?? Number.MAX_SAFE_INTEGER) -
                  (capabilityRank.get(b.capabilityId) ?? Number.MAX_SAFE_INTEGER) ||
                a.id.localeCompare(b.id),
            );
          if (n.outcome === 'leave' || open.length === 0) continue;
          if (n.outcome === 'decline') {
            const p = open[open.length - 1] as ProposalView;
            const path = `/v1/proposals/${p.id}/decline`;
            const r = await api.call('POST', path, {
              token: asBuyer,
              body: { reason: 'Khoảng cách vận chuyển xa, chi phí logistics chưa phù hợp.' },
              idempotent: true,
            });
            spent += 1;
            tick();
            if (
              r.status === 200 ||
              (await confirm<{ proposal?: ProposalView }>(
                `/v1/proposals/${p.id}`,
                admin,
                (x) => x.proposal?.status === 'PROPOSAL_STATUS_DECLINED',
              ))
            )
              summary.proposals.declined += 1;
            else fail(describe('POST', path, r));
            continue;
          }
          const p = open[0] as ProposalView;
          const path = `/v1/proposals/${p.id}/acceptance`;
          const statusIs = (...statuses: string[]) =>
            confirm<{ proposal?: ProposalView }>(`/v1/proposals/${p.id}`, admin, (b) =>
              statuses.includes(b.proposal?.status ?? ''),
            );
          // Accepting again from the same side changes nothing while the proposal is open.
          const first: ApiResult<{ proposal?: ProposalView }> = await api.call('POST', path, {
            token: asBuyer,
            idempotent: true,
          });
          spent += 1;
          tick();
          if (
            first.status !== 200 &&
            !(await statusIs('PROPOSAL_STATUS_ACCEPTED_BY_ONE', 'PROPOSAL_STATUS_ESTABLISHED'))
          ) {
            fail(describe('POST', path, first));
            continue;
          }
          if (n.outcome === 'accept-one') {
            summary.proposals.acceptedByOne += 1;
            continue;
          }
          const second = await api.call<{ proposal?: ProposalView }>('POST', path, {
            token: tokens.enterprise(p.supplierEnterpriseId),
            idempotent: true,
          });
          spent += 1;
          tick();
          if (
            second.body.proposal?.status === 'PROPOSAL_STATUS_ESTABLISHED' ||
            (second.status !== 200 && (await statusIs('PROPOSAL_STATUS_ESTABLISHED')))
          )
            summary.proposals.established += 1;
          else fail(describe('POST', path, second));
        }
      } catch (error) {
        fail(error instanceof Error ? error.message : String(error));
      } finally {
        tick(budget - spent);
      }
    });

    // ---- what the platform holds now
    phase('counting', 1);
    const totals = await api.call<{ enterprises?: EnterpriseView[]; facets?: Facet[] } & Page>(
      'GET',
      '/v1/enterprises',
      { token: admin, query: { page_size: 1, facet: ['province'] } },
    );
    summary.platform.enterprises = totals.body.page?.totalSize ?? 0;
    summary.platform.provinces =
      totals.body.facets?.find((f) => f.name === 'province')?.counts?.filter((c) => c.count > 0).length ?? 0;
    summary.platform.proposals = await proposalTotal();
    summary.platform.established = await proposalTotal('established');
    const offers = await api.call<{ offers?: unknown[] } & Page>('GET', '/v1/tech/offers', {
      token: admin,
      query: { page_size: 100 },
    });
    summary.platform.offers = offers.body.page?.totalSize || offers.body.offers?.length || 0;
    tick();
    summary.calls = api.calls;
    summary.retries = { ...summary.retries, ...api.retries };
    summary.paced = pacer.live;
    summary.elapsedMs = Date.now() - started;
    return summary;
  }
}

/** The summary as the command line prints it. */
export function formatSummary(s: SeedSummary): string {
  if (s.skipped) return 'LienKet already has enterprises; nothing seeded (run `npm run seed` to add more).\n';
  const kinds = Object.entries(s.enterprises.byKind)
    .sort(([, a], [, b]) => b - a)
    .map(([k, n]) => `${n} ${k.replaceAll('_', ' ')}`)
    .join(', ');
  const lines = [
    '',
    `Seeded LienKet (seed ${s.seed}, ${s.requested} enterprises) in ${(s.elapsedMs / 1000).toFixed(1)} s, ${s.calls} API calls${s.paced ? ', paced by the event stream' : ', at a fixed rate (no event stream)'}`,
    `  enterprises     ${s.enterprises.created} new${s.enterprises.existing ? `, ${s.enterprises.existing} already there` : ''} across ${s.enterprises.provinces} provinces and ${s.enterprises.regions} regions`,
    kinds ? `                  ${kinds}` : '',
    `  verification    ${s.verified} verified, ${s.rejected} rejected; ${s.leadFirms} lead firms; ${s.clusters} value-chain clusters`,
    `  postings        ${s.capabilities} capabilities, ${s.needs} needs`,
    `  matchmaking     ${s.proposals.seen} proposals on ${s.proposals.needsWithProposals} new needs (waited ${(s.proposals.waitedMs / 1000).toFixed(1)} s); ${s.proposals.established} linkages established, ${s.proposals.acceptedByOne} accepted by one side, ${s.proposals.declined} declined`,
    `  technology      ${s.offers} offers published, ${s.requests} requests, ${s.interests.expressed} interests (${s.interests.accepted} accepted, ${s.interests.declined} declined, ${s.interests.pending} pending), ${s.agreements} agreements signed`,
    `  co-funding      ${s.programmes} programmes opened, ${s.cofunding.applied} applications, ${s.cofunding.approved} approved, ${s.cofunding.disbursed} disbursements`,
    `  platform now    ${s.platform.enterprises} enterprises in ${s.platform.provinces} provinces, ${s.platform.proposals} proposals (${s.platform.established} established), ${s.platform.offers} offers`,
  ].filter((line) => line !== '');
  const retries = Object.entries(s.retries)
    .map(([cause, n]) => `${n}× ${cause}`)
    .join(', ');
  if (retries) lines.push(`  retried         ${retries}`);
  if (s.failures > 0) {
    lines.push(`  failures        ${s.failures}`);
    for (const e of s.errors.slice(0, 10)) lines.push(`    ${e}`);
  }
  return `${lines.join('\n')}\n`;
}
