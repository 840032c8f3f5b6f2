import {
  DEV_SECRET,
  http,
  type Platform,
  startPlatform,
  tokenFor,
} from '../../../services/gateway/test/platform';
import { terminalReporter } from '../src/progress';
import { formatSummary, runSeed, type SeedSummary } from '../src/run';

// The whole platform in-process on real Kafka and the store; the seed talks to it over HTTP only.
jest.setTimeout(300_000);

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

  it('does not duplicate anything when run again with the same seed', async () => {
    const again = await runSeed(options());
    expect(again.failures).toBe(0);
    expect(again.enterprises.created).toBe(0);
    expect(again.enterprises.existing).toBe(40);
    expect(again.needs).toBe(0);
    expect(again.programmes).toBe(0);
    const enterprises = await allEnterprises();
    expect(enterprises).toHaveLength(40);
    expect(new Set(enterprises.map((e) => e.taxCode)).size).toBe(40);
    // --if-empty leaves a seeded platform alone.
    const skipped = await runSeed({ ...options(), ifEmpty: true });
    expect(skipped.skipped).toBe(true);
  });
});
