import type { ApiClient, Schemas } from '@lienket/api-client';
import { type Answer, describe } from '../api';
import { lineOf, type PlannedScheme, reaches } from '../plan/programme';
import { pool, type SeedRun } from '../seed-run';

type Body<Name extends string> = `lienket.programme.v1.${Name}` extends keyof Schemas
  ? Schemas[`lienket.programme.v1.${Name}`]
  : never;

/** Reads every page of a list as the admin, e.g. the schemes or sites already there. */
async function everything<T, Item>(
  run: SeedRun,
  read: (client: ApiClient, token: string) => Promise<Answer<T>>,
  items: (data: T) => Item[] | undefined,
  next: (data: T) => string | undefined,
): Promise<Item[]> {
  const all: Item[] = [];
  for (let token = ''; ; ) {
    const page = await run.api.call(run.admin, (c) => read(c, token));
    if (page.status !== 200 || !page.data) return all;
    all.push(...(items(page.data) ?? []));
    token = next(page.data) ?? '';
    if (!token) return all;
  }
}

/** Calls the programme phase makes at most, for the progress bar. */
export function programmeCalls(plan: SeedRun['plan']): number {
  const p = plan.programme;
  const schemeCalls = p.schemes.reduce((sum, s) => sum + 10 + (s.sponsor ? 3 : 0), 0);
  return 3 + 1 + p.budgets.length + p.plans.length + p.sites.length * 2 + p.pledges.length + schemeCalls;
}

/**
 * The promotion programme (issue 18), through the gateway's /v1/programme routes: the year's budgets
 * and plans, cluster sites, sponsors' pledges, and schemes carried to the state the plan gives each,
 * their beneficiaries the enterprises the registry phase registered. Schemes and sites already there
 * (by title, by name) are left as they are; budgets and plans are set to the same figures again.
 */
export async function seedProgramme(run: SeedRun) {
  const { api, admin, tokens, summary, plan, limit, fail, guarded, phase, tick, idOf } = run;
  const p = plan.programme;
  const year = p.year;
  phase('programme: budgets and plans', 1 + p.budgets.length + p.plans.length);
  const put = async (token: string, path: string, send: (c: ApiClient) => Promise<Answer<unknown>>) => {
    const r = await api.call(token, send, { idempotent: true });
    if (r.status !== 200) fail(describe('PUT', path, r));
    return r.status === 200;
  };
  if (
    await put(admin, '/v1/programme/budgets', (c) =>
      c.PUT('/v1/programme/budgets', {
        body: { year, source: 'FUNDING_SOURCE_NATIONAL', total: { vnd: p.nationalBudgetVnd } },
      }),
    )
  )
    summary.programme.budgets += 1;
  tick();
  await pool(
    p.budgets,
    limit,
    guarded(async (b) => {
      const ok = await put(tokens.officer(b.province), '/v1/programme/budgets', (c) =>
        c.PUT('/v1/programme/budgets', {
          body: {
            year,
            source: 'FUNDING_SOURCE_PROVINCIAL',
            province: b.province,
            total: { vnd: b.totalVnd },
          },
        }),
      );
      if (ok) summary.programme.budgets += 1;
    }),
  );
  await pool(
    p.plans,
    limit,
    guarded(async (plannedPlan) => {
      const token = plannedPlan.province ? tokens.officer(plannedPlan.province) : admin;
      const targets = plannedPlan.targets.map((t) => ({
        line: lineOf(t.line) as Body<'PlanTarget'>['line'],
        schemes: t.schemes,
        state: { vnd: t.stateVnd },
        beneficiaries: t.beneficiaries,
      }));
      const ok = await put(token, '/v1/programme/plans', (c) =>
        c.PUT('/v1/programme/plans', { body: { year, province: plannedPlan.province, targets } }),
      );
      if (ok) summary.programme.plans += 1;
    }),
  );

  phase('programme: cluster sites', 1 + p.sites.length * 2);
  const sites = new Map<string, string>();
  const known = await everything(
    run,
    (c, page_token) =>
      c.GET('/v1/programme/sites', {
        params: { query: { page_size: 100, ...(page_token ? { page_token } : {}) } },
      }),
    (d) => d.sites,
    (d) => d.page?.nextPageToken,
  );
  tick();
  for (const s of known) if (s.name && s.siteId) sites.set(`${s.province}:${s.name}`, s.siteId);
  await pool(
    p.sites,
    limit,
    guarded(async (site) => {
      const key = `${site.province}:${site.name}`;
      const existing = sites.get(key);
      if (existing) {
        sites.set(site.ref, existing);
        return;
      }
      const officer = tokens.officer(site.province);
      const r = await api.call(officer, (c) =>
        c.POST('/v1/programme/sites', {
          body: {
            name: site.name,
            province: site.province,
            operator: site.operator,
            areaHectares: site.areaHectares,
            occupancyPercent: site.occupancyPercent,
            tenantEnterpriseIds: site.tenants.map(idOf).filter((id): id is string => !!id),
            treatment: site.treatment as Body<'RegisterSiteRequest'>['treatment'],
          },
        }),
      );
      const siteId = r.data?.site?.siteId;
      if (r.status !== 201 || !siteId) return fail(describe('POST', '/v1/programme/sites', r));
      sites.set(site.ref, siteId);
      summary.programme.sites += 1;
      for (const change of site.changes) {
        const changed = await api.call(officer, (c) =>
          c.POST('/v1/programme/sites/{siteId}/treatment-changes', {
            params: { path: { siteId } },
            body: {
              treatment: change.treatment as Body<'ChangeSiteTreatmentRequest'>['treatment'],
              note: change.note,
            },
          }),
        );
        if (changed.status !== 200)
          fail(describe('POST', `/v1/programme/sites/${siteId}/treatment-changes`, changed));
      }
    }),
  );

  phase('programme: sponsors’ pledges', p.pledges.length);
  const pledged = await everything(
    run,
    (c, page_token) =>
      c.GET('/v1/programme/pledges', {
        params: { query: { page_size: 100, ...(page_token ? { page_token } : {}) } },
      }),
    (d) => d.pledges,
    (d) => d.page?.nextPageToken,
  );
  const sponsorOf = new Map(p.sponsors.map((x) => [x.id, x]));
  await pool(
    p.pledges,
    limit,
    guarded(async (pl) => {
      const sponsor = sponsorOf.get(pl.sponsor);
      if (!sponsor) return;
      const targetLine = pl.line ? (lineOf(pl.line) as Body<'MakePledgeRequest'>['targetLine']) : undefined;
      const there = pledged.some(
        (x) =>
          x.sponsorId === pl.sponsor &&
          x.amount?.vnd === pl.amountVnd &&
          (pl.line ? x.targetLine === targetLine : x.targetProvince === pl.province),
      );
      if (there) return;
      const r = await api.call(admin, (c) =>
        c.POST('/v1/programme/pledges', {
          body: {
            sponsorId: sponsor.id,
            sponsorName: sponsor.name,
            sponsorKind: sponsor.kind,
            amount: { vnd: pl.amountVnd },
            ...(targetLine ? { targetLine } : { targetProvince: pl.province ?? '' }),
          },
        }),
      );
      if (r.status !== 201) fail(describe('POST', '/v1/programme/pledges', r));
      else summary.programme.pledges += 1;
    }),
  );

  phase('programme: schemes', 1 + p.schemes.reduce((sum, s) => sum + 10 + (s.sponsor ? 3 : 0), 0));
  const existing = await everything(
    run,
    (c, page_token) =>
      c.GET('/v1/programme/schemes', {
        params: { query: { year, page_size: 100, ...(page_token ? { page_token } : {}) } },
      }),
    (d) => d.schemes,
    (d) => d.page?.nextPageToken,
  );
  tick();
  const titles = new Set(existing.map((s) => s.title));
  await pool(p.schemes, limit, async (s) => {
    try {
      if (titles.has(s.title)) summary.programme.schemesExisting += 1;
      else await carryScheme(run, s, sites);
    } catch (error) {
      fail(error instanceof Error ? error.message : String(error));
    } finally {
      tick(10 + (s.sponsor ? 3 : 0));
    }
  });
}

/** Proposes one scheme and takes it along its life to the state the plan gives it. */
async function carryScheme(run: SeedRun, s: PlannedScheme, sites: Map<string, string>) {
  const { api, admin, tokens, summary, fail, idOf } = run;
  const beneficiary = idOf(s.beneficiary);
  if (!beneficiary) return;
  const officer = tokens.officer(s.province);
  // The ministry decides on national money; the province's centre on its own.
  const decider = s.source === 'national' ? admin : officer;
  const siteId = s.site ? sites.get(s.site) : undefined;
  if (s.site && !siteId) return;
  const proposed = await api.call(
    s.proposedBy === 'officer' ? officer : tokens.enterprise(beneficiary),
    (c) =>
      c.POST('/v1/programme/schemes', {
        body: {
          title: s.title,
          line: lineOf(s.line) as Body<'ProposeSchemeRequest'>['line'],
          year: run.plan.programme.year,
          province: s.province,
          beneficiaryEnterpriseId: beneficiary,
          beneficiaryKind: s.beneficiaryKind as Body<'ProposeSchemeRequest'>['beneficiaryKind'],
          ...(siteId ? { siteId, pollutionTreatment: true } : {}),
          funding: {
            cost: { vnd: s.costVnd },
            state: { vnd: s.stateVnd },
            stateSource: s.source === 'national' ? 'FUNDING_SOURCE_NATIONAL' : 'FUNDING_SOURCE_PROVINCIAL',
            counterpart: { vnd: s.counterpartVnd },
            sponsor: { vnd: s.sponsorVnd },
          },
        },
      }),
  );
  const schemeId = proposed.data?.scheme?.schemeId;
  if (proposed.status !== 201 || !schemeId) return fail(describe('POST', '/v1/programme/schemes', proposed));
  summary.programme.schemes += 1;
  const base = `/v1/programme/schemes/${schemeId}`;
  const path = { params: { path: { schemeId } } };
  const step = async (what: string, token: string, send: (c: ApiClient) => Promise<Answer<unknown>>) => {
    const r = await api.call(token, send, { idempotent: true });
    if (r.status === 200 || r.status === 201) return true;
    fail(describe('POST', `${base}/${what}`, r));
    return false;
  };
  let pledgeId: string | undefined;
  if (s.sponsor) {
    const sponsor = run.plan.programme.sponsors.find((x) => x.id === s.sponsor);
    if (!sponsor) return;
    const made = await api.call(admin, (c) =>
      c.POST('/v1/programme/pledges', {
        body: {
          sponsorId: sponsor.id,
          sponsorName: sponsor.name,
          sponsorKind: sponsor.kind,
          targetSchemeId: schemeId,
          amount: { vnd: s.sponsorVnd },
        },
      }),
    );
    pledgeId = made.data?.pledge?.pledgeId;
    if (made.status !== 201 || !pledgeId) return fail(describe('POST', '/v1/programme/pledges', made));
    summary.programme.pledges += 1;
    const id = pledgeId;
    if (
      !(await step('pledge match', officer, (c) =>
        c.POST('/v1/programme/pledges/{pledgeId}/match', {
          params: { path: { pledgeId: id } },
          body: { schemeId },
        }),
      ))
    )
      return;
  }
  if (s.target === 'withdrawn') {
    if (
      await step('withdrawal', tokens.enterprise(beneficiary), (c) =>
        c.POST('/v1/programme/schemes/{schemeId}/withdrawal', path),
      )
    )
      summary.programme.byStatus.withdrawn = (summary.programme.byStatus.withdrawn ?? 0) + 1;
    return;
  }
  const reached = (status: string) => {
    summary.programme.byStatus[status] = (summary.programme.byStatus[status] ?? 0) + 1;
  };
  if (s.target === 'proposed') return reached('proposed');
  const failed = s.target === 'rejected';
  const checklist = [
    { item: 'Hồ sơ đầy đủ, đúng mẫu', passed: true },
    { item: 'Nội dung phù hợp với nội dung khuyến công', passed: true },
    { item: 'Vốn đối ứng được chứng minh', passed: !failed },
  ];
  if (
    !(await step('appraisal', officer, (c) =>
      c.POST('/v1/programme/schemes/{schemeId}/appraisal', {
        ...path,
        body: {
          checklist,
          score: s.score,
          passed: !failed,
          reasons: failed
            ? 'Chưa chứng minh được nguồn vốn đối ứng; đề nghị bổ sung hồ sơ vào kỳ sau'
            : 'Đề án khả thi, hiệu quả lan tỏa tốt trong vùng',
        },
      }),
    ))
  )
    return;
  if (failed) return reached('rejected');
  if (!reaches(s.target, 'approved')) return reached('appraised');
  if (!(await step('approval', decider, (c) => c.POST('/v1/programme/schemes/{schemeId}/approval', path))))
    return;
  if (s.target === 'cancelled') {
    if (
      await step('cancellation', decider, (c) =>
        c.POST('/v1/programme/schemes/{schemeId}/cancellation', {
          ...path,
          body: { reason: 'Đơn vị thụ hưởng đề nghị dừng thực hiện do thay đổi kế hoạch sản xuất' },
        }),
      )
    )
      reached('cancelled');
    return;
  }
  if (!reaches(s.target, 'implementing')) return reached('approved');
  const contractNumber = `${run.plan.programme.year}/HĐ-KC-${s.province}-${s.ref.split('-').pop()}`;
  if (
    !(await step('contract', officer, (c) =>
      c.POST('/v1/programme/schemes/{schemeId}/contract', { ...path, body: { contractNumber } }),
    ))
  )
    return;
  for (const m of s.milestones)
    if (
      !(await step('milestones', officer, (c) =>
        c.POST('/v1/programme/schemes/{schemeId}/milestones', {
          ...path,
          body: { milestoneId: m.id, title: m.title, evidence: m.evidence },
        }),
      ))
    )
      return;
  const done = reaches(s.target, 'accepted');
  // Under way: part of each share paid; accepted and settled: all of it.
  const pay = async (source: 'state' | 'counterpart', share: number) => {
    const amount = done ? share : Math.floor(share / 2);
    if (amount <= 0) return true;
    return step('disbursements', officer, (c) =>
      c.POST('/v1/programme/schemes/{schemeId}/disbursements', {
        ...path,
        body: { source, amount: { vnd: amount }, reference: `${s.ref}-${source}-1` },
      }),
    );
  };
  if (!(await pay('state', s.stateVnd)) || !(await pay('counterpart', s.counterpartVnd))) return;
  if (pledgeId && done) {
    const id = pledgeId;
    if (
      !(await step('pledge receipt', officer, (c) =>
        c.POST('/v1/programme/pledges/{pledgeId}/receipt', { params: { path: { pledgeId: id } } }),
      ))
    )
      return;
  }
  if (!done) return reached('implementing');
  const o = s.outcomes;
  if (
    !(await step('acceptance', officer, (c) =>
      c.POST('/v1/programme/schemes/{schemeId}/acceptance', {
        ...path,
        body: {
          outcomes: {
            jobs: o.jobs,
            output: { vnd: o.outputVnd },
            energySavedKwh: o.energySavedKwh,
            emissionsCutTonnesCo2e: o.emissionsCutTonnesCo2e,
            firmsReached: o.firmsReached,
          },
        },
      }),
    ))
  )
    return;
  if (s.target === 'accepted') return reached('accepted');
  if (await step('settlement', officer, (c) => c.POST('/v1/programme/schemes/{schemeId}/settlement', path)))
    reached('settled');
}
