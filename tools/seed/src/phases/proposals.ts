import { describe } from '../api';
import { type ProposalView, pool, type SeedRun, sleep } from '../seed-run';
import type { RegistrySeeded } from './registry';

/** Waits on the event stream for matchmaking's proposals to the run's needs, then answers a deterministic share on both sides. */
export async function answerProposals(run: SeedRun, registry: RegistrySeeded) {
  const { api, tokens, summary, plan, pacer, limit, fail, confirm, phase, tick, idOf, report, options } = run;
  const { capabilityRank, needIds, proposalTotal, baseline } = registry;
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
      plan.needs.reduce((sum, n) => sum + (n.outcome === 'establish' ? 2 : n.outcome === 'leave' ? 0 : 1), 0),
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
        const page = await api.call(asBuyer, (c) =>
          c.GET('/v1/proposals', {
            params: {
              query: { enterprise_id: buyer, page_size: 100, ...(token ? { page_token: token } : {}) },
            },
          }),
        );
        if (page.status !== 200) return fail(describe('GET', '/v1/proposals', page));
        proposals.push(...(page.data?.proposals ?? []));
        token = page.data?.page?.nextPageToken ?? '';
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
              (capabilityRank.get(a.capabilityId ?? '') ?? Number.MAX_SAFE_INTEGER) -
                (capabilityRank.get(b.capabilityId ?? '') ?? Number.MAX_SAFE_INTEGER) ||
              (a.id ?? '').localeCompare(b.id ?? ''),
          );
        if (n.outcome === 'leave' || open.length === 0) continue;
        if (n.outcome === 'decline') {
          const proposalId = (open[open.length - 1] as ProposalView).id ?? '';
          const path = `/v1/proposals/${proposalId}/decline`;
          const r = await api.call(
            asBuyer,
            (c) =>
              c.POST('/v1/proposals/{proposalId}/decline', {
                params: { path: { proposalId } },
                body: { reason: 'Khoảng cách vận chuyển xa, chi phí logistics chưa phù hợp.' },
              }),
            { idempotent: true },
          );
          spent += 1;
          tick();
          if (
            r.status === 200 ||
            (await confirm(
              (c) => c.GET('/v1/proposals/{proposalId}', { params: { path: { proposalId } } }),
              (x) => x.proposal?.status === 'PROPOSAL_STATUS_DECLINED',
            ))
          )
            summary.proposals.declined += 1;
          else fail(describe('POST', path, r));
          continue;
        }
        const p = open[0] as ProposalView;
        const onProposal = { params: { path: { proposalId: p.id ?? '' } } };
        const path = `/v1/proposals/${p.id}/acceptance`;
        const statusIs = (...statuses: ProposalView['status'][]) =>
          confirm(
            (c) => c.GET('/v1/proposals/{proposalId}', onProposal),
            (b) => statuses.includes(b.proposal?.status),
          );
        const accept = (token: string) =>
          api.call(token, (c) => c.POST('/v1/proposals/{proposalId}/acceptance', onProposal), {
            idempotent: true,
          });
        // Accepting again from the same side changes nothing while the proposal is open.
        const first = await accept(asBuyer);
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
        const second = await accept(tokens.enterprise(p.supplierEnterpriseId ?? ''));
        spent += 1;
        tick();
        if (
          second.data?.proposal?.status === 'PROPOSAL_STATUS_ESTABLISHED' ||
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
}
