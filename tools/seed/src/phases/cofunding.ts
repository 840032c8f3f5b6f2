import { describe } from '../api';
import { pool, type SeedRun } from '../seed-run';

/** Co-funding: opens the programmes and takes agreements' applications to approval and disbursement. */
export async function seedCofunding(run: SeedRun, agreements: Map<string, string>) {
  const { api, admin, tokens, summary, plan, limit, fail, confirm, create, guarded, phase, tick, idOf } = run;
  phase('opening co-funding programmes', plan.programmes.length);
  const programmeIds = new Map<string, string>();
  const known = new Map<string, string>();
  for (let token = ''; ; ) {
    const page = await api.call(admin, (c) =>
      c.GET('/v1/tech/programmes', {
        params: { query: { include_closed: true, page_size: 100, ...(token ? { page_token: token } : {}) } },
      }),
    );
    if (page.status !== 200) break;
    for (const p of page.data?.programmes ?? []) if (p.name && p.id) known.set(p.name, p.id);
    token = page.data?.page?.nextPageToken ?? '';
    if (!token) break;
  }
  const needed = new Set(plan.applications.filter((a) => agreements.has(a.interest)).map((a) => a.programme));
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
      const id = await create(
        '/v1/tech/programmes',
        p.openedBy === 'admin' ? admin : tokens.officer(p.openedBy.province),
        (c) => c.POST('/v1/tech/programmes', { body: p.body }),
        (b) => b.programme?.id,
        async () => {
          const found = await api.call(admin, (c) =>
            c.GET('/v1/tech/programmes', { params: { query: { include_closed: true, page_size: 100 } } }),
          );
          return found.data?.programmes?.find((x) => x.name === p.body.name)?.id;
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
      const applicationId = await create(
        '/v1/tech/cofunding-applications',
        tokens.enterprise(applicant),
        (c) =>
          c.POST('/v1/tech/cofunding-applications', {
            body: { programmeId, agreementId, enterpriseId: applicant, amount: { vnd: a.amountVnd } },
          }),
        (b) => b.application?.id,
        async () => {
          const found = await api.call(admin, (c) =>
            c.GET('/v1/tech/cofunding-applications', {
              params: { query: { applicant_id: applicant, programme_id: programmeId, page_size: 100 } },
            }),
          );
          return found.data?.applications?.find((x) => x.agreementId === agreementId)?.id;
        },
      );
      spent += 1;
      tick();
      if (!applicationId) continue;
      summary.cofunding.applied += 1;
      const base = `/v1/tech/cofunding-applications/${applicationId}`;
      const onApplication = { params: { path: { applicationId } } };
      const approved = await api.call(
        tokens.officer(a.decidedBy),
        (c) => c.POST('/v1/tech/cofunding-applications/{applicationId}/approval', onApplication),
        { idempotent: true },
      );
      spent += 1;
      tick();
      if (
        approved.status !== 200 &&
        !(await confirm(
          (c) => c.GET('/v1/tech/cofunding-applications/{applicationId}', onApplication),
          (b) =>
            b.application?.status === 'CO_FUNDING_STATUS_APPROVED' ||
            b.application?.status === 'CO_FUNDING_STATUS_DISBURSED',
        ))
      ) {
        fail(describe('POST', `${base}/approval`, approved));
        continue;
      }
      summary.cofunding.approved += 1;
      if (a.disbursement) {
        const { amountVnd, reference } = a.disbursement;
        const paid = await api.call(
          tokens.officer(a.decidedBy),
          (c) =>
            c.POST('/v1/tech/cofunding-applications/{applicationId}/disbursements', {
              ...onApplication,
              body: { amount: { vnd: amountVnd }, reference },
            }),
          { idempotent: true }, // the same payment reference counts once
        );
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
}
