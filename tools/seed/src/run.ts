import { describe } from './api';
import { generate, type SeedPlan } from './generate';
import { EventPacer } from './pacer';
import { seedCofunding } from './phases/cofunding';
import { countPlatform } from './phases/counting';
import { programmeCalls, seedProgramme } from './phases/programme';
import { answerProposals } from './phases/proposals';
import { seedRegistry } from './phases/registry';
import { seedTechnology } from './phases/technology';
import { openSeedRun, type SeedRun } from './seed-run';

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
  /** The promotion programme: budgets and plans set, sites registered, schemes proposed by the state they reached. */
  programme: {
    budgets: number;
    plans: number;
    sites: number;
    pledges: number;
    schemes: number;
    schemesExisting: number;
    byStatus: Record<string, number>;
    elapsedMs: number;
  };
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
    programmeCalls(plan) +
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
    programme: {
      budgets: 0,
      plans: 0,
      sites: 0,
      pledges: 0,
      schemes: 0,
      schemesExisting: 0,
      byStatus: {},
      elapsedMs: 0,
    },
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
  const report = options.reporter ?? silentReporter;
  const helpers = openSeedRun(options, summary, report);
  const { api, admin } = helpers;
  const probe = await api.call(admin, (c) =>
    c.GET('/v1/enterprises', { params: { query: { page_size: 1 } } }),
  );
  if (probe.status === 401 || probe.status === 403)
    throw new Error(
      `the gateway refused the admin token (${probe.status} ${probe.problem.code ?? ''}); is AUTH_DEV_SECRET the gateway's?`,
    );
  if (probe.status === 0)
    throw new Error(
      `no answer from ${options.url} (${probe.problem.detail}); is LienKet running (npm start)?`,
    );
  if (probe.status !== 200) throw new Error(describe('GET', '/v1/enterprises', probe));
  if (options.ifEmpty && (probe.data?.enterprises?.length ?? 0) > 0) {
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
    return await seedPlan({ ...helpers, plan, pacer });
  } finally {
    pacer.stop();
    report.stop();
  }

  async function seedPlan(run: SeedRun): Promise<SeedSummary> {
    const registry = await seedRegistry(run);
    const { agreements } = await seedTechnology(run);
    await seedCofunding(run, agreements);
    const programmeStarted = Date.now();
    await seedProgramme(run);
    summary.programme.elapsedMs = Date.now() - programmeStarted;
    await answerProposals(run, registry);
    await countPlatform(run, registry);
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
    `  programme       ${s.programme.schemes} schemes (${
      Object.entries(s.programme.byStatus)
        .map(([status, n]) => `${n} ${status}`)
        .join(', ') || 'none new'
    }${s.programme.schemesExisting ? `; ${s.programme.schemesExisting} already there` : ''}), ${s.programme.pledges} pledges, ${s.programme.sites} cluster sites, ${s.programme.budgets} budgets and ${s.programme.plans} plans set in ${(s.programme.elapsedMs / 1000).toFixed(1)} s`,
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
