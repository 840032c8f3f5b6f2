import { http, type Platform, startPlatform, tokenFor } from './platform';

/**
 * The programme's REST routes through the gateway against the real programme service (issue 18):
 * a cooperative proposes a cleaner-production scheme, its province's centre appraises and approves it
 * on the province's budget; the service's refusals arrive as problem+json with field errors.
 */
let platform: Platform;
let url: string;

beforeAll(async () => {
  platform = await startPlatform('gateway-programme');
  url = platform.url;
}, 300_000);

afterAll(async () => {
  await platform?.stop();
}, 120_000);

interface Problem {
  status: number;
  code: string;
  detail_vi?: string;
  errors?: { field: string; reason: string }[];
}
interface Scheme {
  schemeId: string;
  status: string;
  province: string;
  funding: Record<string, { vnd: number } | string>;
  appraisal?: { score: number; passed: boolean };
}
interface Budget {
  total: { vnd: number };
  available: { vnd: number };
  committed?: { vnd: number };
}

const YEAR = 2026;
const proposal = (enterpriseId: string, state: number) => ({
  title: 'Sấy chè tiết kiệm năng lượng (sản xuất sạch hơn)',
  line: 'SUPPORT_LINE_CLEANER_PRODUCTION',
  year: YEAR,
  province: '19',
  beneficiaryEnterpriseId: enterpriseId,
  beneficiaryKind: 'ENTERPRISE_KIND_COOPERATIVE',
  funding: {
    cost: { vnd: 1_000_000_000 },
    state: { vnd: state },
    stateSource: 'FUNDING_SOURCE_PROVINCIAL',
    counterpart: { vnd: 900_000_000 - state },
    sponsor: { vnd: 100_000_000 },
  },
});

describe('the programme over HTTP', () => {
  it('a cooperative proposes, its province’s centre appraises and approves on the province’s budget', async () => {
    const cooperative = await tokenFor({ sub: 'u-htx', role: 'enterprise', enterprise_id: 'htx-tn-1' });
    const officer = await tokenFor({ sub: 'u-tn', role: 'province', province_code: '19' });
    const otherOfficer = await tokenFor({ sub: 'u-hp', role: 'province', province_code: '31' });
    const analyst = await tokenFor({ sub: 'u-an', role: 'analyst' });

    // The rules the form shows: the cleaner-production line's cap and counterpart share.
    const rules = await http<{
      rules: { line: string; cap: { vnd: number }; minCounterpartPercent: number }[];
    }>(url, 'GET', `/v1/programme/support-lines?year=${YEAR}&source=provincial`, { token: cooperative });
    expect(rules.status).toBe(200);
    expect(rules.body.rules).toHaveLength(9);
    const cleaner = rules.body.rules.find((r) => r.line === 'SUPPORT_LINE_CLEANER_PRODUCTION');
    expect(cleaner).toMatchObject({ cap: { vnd: 500_000_000 }, minCounterpartPercent: 50 });

    const budget = await http<{ budget: Budget }>(url, 'PUT', '/v1/programme/budgets', {
      token: officer,
      body: {
        year: YEAR,
        source: 'FUNDING_SOURCE_PROVINCIAL',
        province: '19',
        total: { vnd: 2_000_000_000 },
      },
    });
    expect(budget.status).toBe(200);
    expect(budget.body.budget.available.vnd).toBe(2_000_000_000);

    // Above the line's cap: refused by the service, with the field named as the caller sent it.
    const overCap = await http<Problem>(url, 'POST', '/v1/programme/schemes', {
      token: cooperative,
      body: proposal('htx-tn-1', 600_000_000),
    });
    expect(overCap.status).toBe(422);
    expect(overCap.headers.get('content-type')).toContain('application/problem+json');
    expect(overCap.body.errors?.map((e) => [e.field, e.reason])).toContainEqual([
      'body.funding.stateVnd',
      'above_cap',
    ]);
    // For another establishment: refused, whatever the money.
    const notOwn = await http<Problem>(url, 'POST', '/v1/programme/schemes', {
      token: cooperative,
      body: proposal('someone-else', 300_000_000),
    });
    expect(notOwn.status).toBe(403);

    const proposed = await http<{ scheme: Scheme }>(url, 'POST', '/v1/programme/schemes', {
      token: cooperative,
      body: proposal('htx-tn-1', 300_000_000),
    });
    expect(proposed.status).toBe(201);
    const scheme = proposed.body.scheme;
    expect(scheme.status).toBe('SCHEME_STATUS_PROPOSED');
    const path = `/v1/programme/schemes/${scheme.schemeId}`;

    // The centre's queue holds it; the cooperative sees its own.
    const queue = await http<{ schemes: Scheme[] }>(url, 'GET', '/v1/programme/schemes?status=proposed', {
      token: officer,
    });
    expect(queue.status).toBe(200);
    expect(queue.body.schemes.map((s) => s.schemeId)).toContain(scheme.schemeId);
    expect((await http(url, 'GET', path, { token: cooperative })).status).toBe(200);
    // Analysts read aggregates only: the gateway refuses them single schemes.
    expect((await http(url, 'GET', path, { token: analyst })).status).toBe(403);

    const appraisal = {
      checklist: [
        { item: 'Hồ sơ đầy đủ', passed: true },
        { item: 'Đánh giá sản xuất sạch hơn', passed: true },
      ],
      score: 82,
      reasons: 'Tiết kiệm 30% điện năng sấy chè',
      passed: true,
    };
    // Breaks the document (score above 100): 400 before any service is called.
    const badScore = await http<Problem>(url, 'POST', `${path}/appraisal`, {
      token: officer,
      body: { ...appraisal, score: 101 },
    });
    expect(badScore.status).toBe(400);
    expect(badScore.body.errors?.map((e) => e.field)).toContain('body.score');
    // The role check is at the gateway; the province check is the service's.
    expect(
      (await http(url, 'POST', `${path}/appraisal`, { token: cooperative, body: appraisal })).status,
    ).toBe(403);
    expect(
      (await http(url, 'POST', `${path}/appraisal`, { token: otherOfficer, body: appraisal })).status,
    ).toBe(403);
    // Not yet appraised: approval is an illegal transition.
    const early = await http<Problem>(url, 'POST', `${path}/approval`, { token: officer });
    expect(early.status).toBe(422);
    expect(early.body.code).toBe('ILLEGAL_TRANSITION');

    const appraised = await http<{ scheme: Scheme }>(url, 'POST', `${path}/appraisal`, {
      token: officer,
      body: appraisal,
    });
    expect(appraised.status).toBe(200);
    expect(appraised.body.scheme).toMatchObject({
      status: 'SCHEME_STATUS_APPRAISED',
      appraisal: { score: 82 },
    });

    const approved = await http<{ scheme: Scheme }>(url, 'POST', `${path}/approval`, { token: officer });
    expect(approved.status).toBe(200);
    expect(approved.body.scheme.status).toBe('SCHEME_STATUS_APPROVED');
    const after = await http<{ budget: Budget }>(
      url,
      'GET',
      `/v1/programme/budgets?year=${YEAR}&source=provincial&province=19`,
      { token: officer },
    );
    expect(after.body.budget.available.vnd).toBe(1_700_000_000);
  });

  it('keeps the province’s cluster sites and their wastewater treatment', async () => {
    const officer = await tokenFor({ sub: 'u-tn2', role: 'province', province_code: '19' });
    const cooperative = await tokenFor({ sub: 'u-htx2', role: 'enterprise', enterprise_id: 'htx-tn-2' });
    const registered = await http<{ site: { siteId: string; treatment: string } }>(
      url,
      'POST',
      '/v1/programme/sites',
      {
        token: officer,
        body: {
          name: 'Cụm công nghiệp Kha Sơn',
          province: '19',
          operator: 'Ban quản lý CCN Phú Bình',
          areaHectares: 48.5,
          occupancyPercent: 62,
          treatment: 'TREATMENT_STATE_NONE',
        },
      },
    );
    expect(registered.status).toBe(201);
    const { siteId } = registered.body.site;
    const changed = await http<{ site: { treatment: string; treatmentHistory: unknown[] } }>(
      url,
      'POST',
      `/v1/programme/sites/${siteId}/treatment-changes`,
      { token: officer, body: { treatment: 'TREATMENT_STATE_UNDER_CONSTRUCTION', note: 'Khởi công' } },
    );
    expect(changed.status).toBe(200);
    expect(changed.body.site.treatment).toBe('TREATMENT_STATE_UNDER_CONSTRUCTION');
    const sites = await http<{ sites: { siteId: string }[] }>(url, 'GET', '/v1/programme/sites?province=19', {
      token: cooperative,
    });
    expect(sites.status).toBe(200);
    expect(sites.body.sites.map((s) => s.siteId)).toContain(siteId);
    // Only its province's centre or the ministry registers sites.
    expect(
      (
        await http(url, 'POST', '/v1/programme/sites', {
          token: cooperative,
          body: {
            name: 'CCN X',
            province: '19',
            operator: 'Ai đó',
            areaHectares: 1,
            treatment: 'TREATMENT_STATE_NONE',
          },
        })
      ).status,
    ).toBe(403);
  });
});
