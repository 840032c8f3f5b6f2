import { describe } from '../api';
import type { PlannedInterest } from '../generate';
import { type InterestView, pool, type SeedRun } from '../seed-run';

/** Technology transfer: offers, requests, interests through negotiation to signed agreements. */
export async function seedTechnology(run: SeedRun) {
  const {
    api,
    admin,
    tokens,
    summary,
    plan,
    limit,
    fail,
    confirm,
    create,
    guarded,
    phase,
    tick,
    idOf,
    isNew,
  } = run;
  const offerIds = new Map<string, string>();
  const offerOwner = new Map(plan.offers.map((o) => [o.ref, o.owner]));
  phase('publishing technology offers', plan.offers.length * 2);
  await pool(
    plan.offers,
    limit,
    guarded(async (o) => {
      const owner = idOf(o.owner);
      if (!owner || !isNew(o.owner)) return tick();
      const offerId = await create(
        '/v1/tech/offers',
        tokens.enterprise(owner),
        (c) => c.POST('/v1/tech/offers', { body: { ...o.body, ownerEnterpriseId: owner } }),
        (b) => b.offer?.id,
        async () => {
          const mine = await api.call(tokens.enterprise(owner), (c) =>
            c.GET('/v1/tech/offers', { params: { query: { mine: true, page_size: 100 } } }),
          );
          return mine.data?.offers?.find((x) => x.title === o.body.title)?.id;
        },
      );
      tick();
      if (!offerId) return;
      const path = `/v1/tech/offers/${offerId}/publication`;
      const published = await api.call(
        tokens.enterprise(owner),
        (c) => c.POST('/v1/tech/offers/{offerId}/publication', { params: { path: { offerId } } }),
        { idempotent: true },
      );
      if (
        published.status !== 200 &&
        !(await confirm(
          (c) => c.GET('/v1/tech/offers/{offerId}', { params: { path: { offerId } } }),
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
      const id = await create(
        '/v1/tech/requests',
        tokens.enterprise(requester),
        (c) => c.POST('/v1/tech/requests', { body: { ...q.body, requesterEnterpriseId: requester } }),
        (b) => b.request?.id,
        async () => {
          const found = await api.call(admin, (c) =>
            c.GET('/v1/tech/requests', {
              params: { query: { requester_id: requester, include_closed: true, page_size: 100 } },
            }),
          );
          return found.data?.requests?.find((x) => x.title === q.body.title)?.id;
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
      const interestId = await create(
        '/v1/tech/interests',
        asInterested,
        (c) =>
          c.POST('/v1/tech/interests', {
            body: {
              offerId: offer,
              enterpriseId: interested,
              message: i.message,
              ...(requestId ? { requestId } : {}),
            },
          }),
        (b) => b.interest?.id,
        async () => {
          const mine = await api.call(asInterested, (c) =>
            c.GET('/v1/tech/interests', { params: { query: { enterprise_id: interested, page_size: 100 } } }),
          );
          return mine.data?.interests?.find((x) => x.offerId === offer)?.id;
        },
      );
      step();
      if (!interestId) return;
      summary.interests.expressed += 1;
      const base = `/v1/tech/interests/${interestId}`;
      const onInterest = { params: { path: { interestId } } };
      const interestIs = (holds: (interest: InterestView) => boolean) =>
        confirm(
          (c) => c.GET('/v1/tech/interests/{interestId}', onInterest),
          (b) => b.interest !== undefined && holds(b.interest),
        );
      if (i.answer === 'none') {
        summary.interests.pending += 1;
        return;
      }
      const answered =
        i.answer === 'accept'
          ? await api.call(asOwner, (c) => c.POST('/v1/tech/interests/{interestId}/acceptance', onInterest), {
              idempotent: true,
            })
          : await api.call(
              asOwner,
              (c) =>
                c.POST('/v1/tech/interests/{interestId}/decline', {
                  ...onInterest,
                  body: { reason: i.declineReason ?? '' },
                }),
              { idempotent: true },
            );
      step();
      const wanted = i.answer === 'accept' ? 'INTEREST_STATUS_NEGOTIATING' : 'INTEREST_STATUS_DECLINED';
      if (answered.status !== 200 && !(await interestIs((x) => x.status === wanted)))
        return fail(describe('POST', `${base}/${i.answer}`, answered));
      if (i.answer === 'decline') {
        summary.interests.declined += 1;
        return;
      }
      summary.interests.accepted += 1;
      for (const m of i.messages) {
        const sent = await api.call(m.by === 'owner' ? asOwner : asInterested, (c) =>
          c.POST('/v1/tech/interests/{interestId}/messages', {
            ...onInterest,
            body: { text: m.text, attachments: m.attachments },
          }),
        );
        step();
        if (sent.status !== 200) return fail(describe('POST', `${base}/messages`, sent));
      }
      if (!i.agreement) return;
      // Proposing again replaces unsigned terms, so a repeat is harmless; the last answer names the agreement.
      const terms = i.agreement;
      const proposed = await api.call(
        asOwner,
        (c) =>
          c.POST('/v1/tech/interests/{interestId}/agreement', {
            ...onInterest,
            body: {
              type: terms.type,
              value: { vnd: terms.valueVnd },
              startDate: terms.startDate,
              termsSummary: terms.termsSummary,
            },
          }),
        { idempotent: true },
      );
      step();
      const agreementId = proposed.data?.interest?.agreement?.id;
      if (proposed.status !== 200 || !agreementId)
        return fail(describe('POST', `${base}/agreement`, proposed));
      const signed = await api.call(
        asInterested,
        (c) =>
          c.POST('/v1/tech/interests/{interestId}/agreement/signature', {
            ...onInterest,
            body: { agreementId },
          }),
        { idempotent: true },
      );
      step();
      if (
        signed.status !== 200 &&
        !(await interestIs((x) => x.status === 'INTEREST_STATUS_AGREED' && x.agreement?.id === agreementId))
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
  return { agreements };
}
