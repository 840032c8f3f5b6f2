import type { operations } from '@lienket/api-client';
import { describe } from '../api';
import type { PlannedEnterprise } from '../generate';

/** A proposal status as the list of proposals filters by it. */
type ProposalStatus = NonNullable<
  NonNullable<operations['listProposals']['parameters']['query']>['status']
>[number];

import { pool, type SeedRun } from '../seed-run';

/** Registers enterprises (by their provinces' officers), verifies them, designates lead firms, forms clusters, posts capabilities and needs. */
export async function seedRegistry(run: SeedRun) {
  const {
    api,
    admin,
    tokens,
    summary,
    plan,
    pacer,
    limit,
    fail,
    create,
    findPosting,
    guarded,
    phase,
    tick,
    ids,
    created,
    idOf,
    isNew,
  } = run;
  // ---- what is already there
  phase('checking the registry', 1);
  const existing = new Map<string, string>();
  for (let token = ''; ; ) {
    const page = await api.call(admin, (c) =>
      c.GET('/v1/enterprises', {
        params: { query: { page_size: 100, ...(token ? { page_token: token } : {}) } },
      }),
    );
    if (page.status !== 200) throw new Error(describe('GET', '/v1/enterprises', page));
    for (const e of page.data?.enterprises ?? []) if (e.taxCode && e.id) existing.set(e.taxCode, e.id);
    token = page.data?.page?.nextPageToken ?? '';
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
      const r = await api.call(
        tokens.officer(e.province),
        (c) => c.POST('/v1/enterprises', { body: e.body }),
        { idempotent: true }, // a repeat answers 409, and the enterprise is looked up
      );
      const registered = r.data?.enterprise?.id;
      if (r.status === 201 && registered) {
        pacer.wrote();
        ids.set(e.ref, registered);
        created.add(e.ref);
        summary.enterprises.created += 1;
        const kind = e.body.kind.replace('ENTERPRISE_KIND_', '').toLowerCase();
        summary.enterprises.byKind[kind] = (summary.enterprises.byKind[kind] ?? 0) + 1;
        summary.enterprises.byGroup[e.group] = (summary.enterprises.byGroup[e.group] ?? 0) + 1;
        return;
      }
      if (r.status === 409) {
        // Registered meanwhile (another run): find it by name and province, and keep it as it is.
        const found = await api.call(admin, (c) =>
          c.GET('/v1/enterprises', {
            params: { query: { text: e.body.name.slice(0, 200), province: [e.province], page_size: 100 } },
          }),
        );
        const id = found.data?.enterprises?.find((x) => x.taxCode === e.body.taxCode)?.id;
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
      const r = await api.call(
        tokens.officer(e.province),
        (c) =>
          c.POST('/v1/enterprises/{enterpriseId}/verification', {
            params: { path: { enterpriseId: id } },
            body:
              e.verification === 'verify'
                ? { decision: 'VERIFICATION_DECISION_VERIFY' }
                : {
                    decision: 'VERIFICATION_DECISION_REJECT',
                    reason: 'Thông tin đăng ký kinh doanh chưa khớp với dữ liệu thuế; đề nghị bổ sung hồ sơ.',
                  },
          }),
        { idempotent: true },
      );
      if (r.status !== 200 && r.problem.code !== 'ALREADY_DECIDED') return fail(describe('POST', path, r));
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
      const r = await api.call(tokens.officer(e.province), (c) =>
        c.PUT('/v1/enterprises/{enterpriseId}/lead-firm', {
          params: { path: { enterpriseId: id } },
          body: { leadFirm: true },
        }),
      );
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
      const id = await create(
        '/v1/clusters',
        tokens.enterprise(anchor),
        (client) =>
          client.POST('/v1/clusters', {
            body: { name: c.name, chain: c.chain, anchorEnterpriseId: anchor, memberEnterpriseIds: members },
          }),
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
      const id = await create(
        '/v1/capabilities',
        tokens.enterprise(owner),
        (client) => client.POST('/v1/capabilities', { body: { ...c.body, enterpriseId: owner } }),
        (b) => b.capability?.id,
        findPosting('capability', owner, c.body.title),
      );
      if (!id) return;
      pacer.wrote();
      capabilityRank.set(id, Number(c.ref.slice(1)));
      summary.capabilities += 1;
    }),
  );
  const proposalTotal = async (status?: ProposalStatus) => {
    const r = await api.call(admin, (c) =>
      c.GET('/v1/proposals', {
        params: { query: { page_size: 1, ...(status ? { status: [status] } : {}) } },
      }),
    );
    return r.status === 200 ? (r.data?.page?.totalSize ?? r.data?.proposals?.length ?? 0) : 0;
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
      const id = await create(
        '/v1/needs',
        tokens.enterprise(owner),
        (client) => client.POST('/v1/needs', { body: { ...n.body, enterpriseId: owner } }),
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
  return { capabilityRank, needIds, proposalTotal, baseline };
}

/** What the later phases need from the registry phase. */
export type RegistrySeeded = Awaited<ReturnType<typeof seedRegistry>>;
