import {
  DEV_SECRET,
  http,
  type Platform,
  startPlatform,
  tokenFor,
} from '../../../services/gateway/test/platform';
import { generate } from '../src/generate';
import { reaches } from '../src/plan/programme';
import { terminalReporter } from '../src/progress';
import { formatSummary, runSeed, type SeedSummary } from '../src/run';

// The whole platform in-process on real Kafka and the store; the seed talks to it over HTTP only.
// Ten minutes: on two shared cores the whole platform and the seed (now with the programme) take several.
jest.setTimeout(600_000);

let platform: Platform;
let admin: string;
let first: SeedSummary;
const options = () => ({
  url: platform.url,
  enterprises: 40,
  seed: 'e2e',
  secret: DEV_SECRET,
  concurrency: 4,
  proposalWaitMs: 60_000,
  settleMs: 2_000,
  // SEED_E2E_VERBOSE=1 prints the phases as they go.
  ...(process.env.SEED_E2E_VERBOSE ? { reporter: terminalReporter() } : {}),
});

type Funding = Record<string, { vnd?: number } | undefined>;

interface Page<T> {
  page?: { totalSize?: number; nextPageToken?: string };
  facets?: { name: string; counts?: { value: string; count: number }[] }[];
  enterprises?: T[];
  proposals?: T[];
  offers?: T[];
}

beforeAll(async () => {
  platform = await startPlatform('seed-e2e');
  admin = await tokenFor({ sub: 'seed-e2e-admin', role: 'admin' });
  first = await runSeed(options());
  process.stderr.write(formatSummary(first));
});

afterAll(async () => {
  await platform?.stop();
});

async function allEnterprises(): Promise<{ id: string; taxCode: string; province: { code: string } }[]> {
  const out: { id: string; taxCode: string; province: { code: string } }[] = [];
  for (let token = ''; ; ) {
    const page = await http<Page<{ id: string; taxCode: string; province: { code: string } }>>(
      platform.url,
      'GET',
      `/v1/enterprises?page_size=100${token ? `&page_token=${encodeURIComponent(token)}` : ''}`,
      { token: admin },
    );
    expect(page.status).toBe(200);
    out.push(...(page.body.enterprises ?? []));
    token = page.body.page?.nextPageToken ?? '';
    if (!token) return out;
  }
}

describe('npm run seed against the running platform', () => {
  it('seeds without failures', () => {
    expect(first.errors).toEqual([]);
    expect(first.failures).toBe(0);
    expect(first.enterprises.created).toBe(40);
    expect(first.capabilities).toBeGreaterThan(20);
    expect(first.needs).toBeGreaterThan(10);
  });

  it('registers enterprises in many provinces, most of them verified', async () => {
    const listed = await http<Page<unknown>>(
      platform.url,
      'GET',
      '/v1/enterprises?page_size=1&facet=province&facet=region',
      {
        token: admin,
      },
    );
    expect(listed.status).toBe(200);
    expect(listed.body.page?.totalSize).toBe(40);
    const provinces = listed.body.facets?.find((f) => f.name === 'province')?.counts ?? [];
    expect(provinces.filter((c) => c.count > 0).length).toBeGreaterThanOrEqual(25);
    const regions = listed.body.facets?.find((f) => f.name === 'region')?.counts ?? [];
    expect(regions.filter((c) => c.count > 0).length).toBe(6);
    const verified = await http<Page<unknown>>(
      platform.url,
      'GET',
      '/v1/enterprises?page_size=1&verified=true',
      {
        token: admin,
      },
    );
    expect(verified.body.page?.totalSize).toBeGreaterThanOrEqual(30);
  });

  it('gets proposals from the real matching and establishes linkages on both sides', async () => {
    const all = await http<Page<{ status: string }>>(platform.url, 'GET', '/v1/proposals?page_size=1', {
      token: admin,
    });
    expect(all.body.page?.totalSize).toBeGreaterThan(0);
    const established = await http<Page<{ id: string; status: string; buyerEnterpriseId: string }>>(
      platform.url,
      'GET',
      '/v1/proposals?status=established&page_size=100',
      { token: admin },
    );
    expect(established.body.proposals?.length).toBeGreaterThanOrEqual(1);
    expect(established.body.proposals?.every((p) => p.status === 'PROPOSAL_STATUS_ESTABLISHED')).toBe(true);
    expect(first.proposals.established).toBe(established.body.proposals?.length);
    // The buyer sees its established linkage as well.
    const linkage = established.body.proposals?.[0] as { id: string; buyerEnterpriseId: string };
    const buyer = await tokenFor({
      sub: 'seed-e2e-buyer',
      role: 'enterprise',
      enterprise_id: linkage.buyerEnterpriseId,
    });
    const mine = await http<Page<{ id: string; status: string }>>(
      platform.url,
      'GET',
      '/v1/proposals?status=established&page_size=100',
      { token: buyer },
    );
    expect(mine.body.proposals?.map((p) => p.id)).toContain(linkage.id);
  });

  it('publishes technology offers and takes an agreement to approved co-funding', async () => {
    const offers = await http<Page<{ status: string }>>(platform.url, 'GET', '/v1/tech/offers?page_size=100');
    expect(offers.status).toBe(200);
    expect(offers.body.offers?.length).toBeGreaterThan(0);
    expect(offers.body.offers?.every((o) => o.status === 'OFFER_STATUS_PUBLISHED')).toBe(true);
    expect(first.offers).toBeGreaterThanOrEqual(offers.body.offers?.length ?? 0);
    expect(first.agreements).toBeGreaterThanOrEqual(1);
    expect(first.cofunding.approved).toBeGreaterThanOrEqual(1);
    const approved = await http<{ applications?: { status: string }[] }>(
      platform.url,
      'GET',
      '/v1/tech/cofunding-applications?page_size=100',
      { token: admin },
    );
    expect(
      approved.body.applications?.some((a) =>
        ['CO_FUNDING_STATUS_APPROVED', 'CO_FUNDING_STATUS_DISBURSED'].includes(a.status),
      ),
    ).toBe(true);
  });

  it('fills the promotion programme: budgets, plans, sites and schemes in every state with their money', async () => {
    const planned = generate({ enterprises: 40, seed: 'e2e' }).programme;
    const { year } = planned;
    expect(first.programme.budgets).toBe(35);
    expect(first.programme.plans).toBe(35);
    expect(first.programme.sites).toBe(planned.sites.length);
    expect(first.programme.schemes).toBe(planned.schemes.length);
    const schemes: {
      schemeId: string;
      title: string;
      status: string;
      province: string;
      funding: Funding;
      pledges?: { status: string }[];
    }[] = [];
    for (let token = ''; ; ) {
      const page = await http<{ schemes?: typeof schemes; page?: { nextPageToken?: string } }>(
        platform.url,
        'GET',
        `/v1/programme/schemes?year=${year}&page_size=100${token ? `&page_token=${encodeURIComponent(token)}` : ''}`,
        { token: admin },
      );
      expect(page.status).toBe(200);
      schemes.push(...(page.body.schemes ?? []));
      token = page.body.page?.nextPageToken ?? '';
      if (!token) break;
    }
    expect(schemes).toHaveLength(planned.schemes.length);
    // Each scheme stands where the plan took it, with the plan's money.
    for (const s of planned.schemes) {
      const got = schemes.find((x) => x.title === s.title);
      expect(got?.status).toBe(`SCHEME_STATUS_${s.target.toUpperCase()}`);
      expect(got?.funding.cost?.vnd).toBe(s.costVnd);
      expect(got?.funding.sponsor?.vnd ?? 0).toBe(s.sponsorVnd);
      if (s.target === 'settled' && s.sponsor)
        expect(got?.pledges?.map((x) => x.status)).toEqual(['PLEDGE_STATUS_RECEIVED']);
    }
    // A province's budget holds exactly the state shares of its approved schemes (cancelled ones released).
    const province =
      planned.schemes.find((s) => s.source === 'provincial' && reaches(s.target, 'approved'))?.province ?? '';
    const held = planned.schemes
      .filter(
        (s) =>
          s.province === province &&
          s.source === 'provincial' &&
          reaches(s.target, 'approved') &&
          s.target !== 'cancelled',
      )
      .reduce((sum, s) => sum + s.stateVnd, 0);
    const budget = await http<{ budget: { total: { vnd: number }; available?: { vnd?: number } } }>(
      platform.url,
      'GET',
      `/v1/programme/budgets?year=${year}&source=provincial&province=${province}`,
      { token: admin },
    );
    expect(budget.status).toBe(200);
    const total = planned.budgets.find((b) => b.province === province)?.totalVnd ?? 0;
    expect(budget.body.budget.total.vnd).toBe(total);
    expect(budget.body.budget.available?.vnd ?? 0).toBe(total - held);
    const sites = await http<{ sites?: { name: string; treatmentHistory?: unknown[] }[] }>(
      platform.url,
      'GET',
      '/v1/programme/sites?page_size=100',
      { token: admin },
    );
    expect(sites.body.sites?.length).toBe(planned.sites.length);
  });

  it('does not duplicate anything when run again with the same seed', async () => {
    const again = await runSeed(options());
    expect(again.failures).toBe(0);
    expect(again.enterprises.created).toBe(0);
    expect(again.enterprises.existing).toBe(40);
    expect(again.needs).toBe(0);
    expect(again.programmes).toBe(0);
    expect(again.programme.schemes).toBe(0);
    expect(again.programme.sites).toBe(0);
    expect(again.programme.pledges).toBe(0);
    expect(again.programme.schemesExisting).toBe(first.programme.schemes);
    const enterprises = await allEnterprises();
    expect(enterprises).toHaveLength(40);
    expect(new Set(enterprises.map((e) => e.taxCode)).size).toBe(40);
    // --if-empty leaves a seeded platform alone.
    const skipped = await runSeed({ ...options(), ifEmpty: true });
    expect(skipped.skipped).toBe(true);
  });
});
