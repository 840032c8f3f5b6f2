import { Events } from '@lienket/contracts';
import type { Actor } from '@lienket/platform';
import { AppError } from '@lienket/platform/errors';
import { acceptProposal, declineProposal, expireProposal, type Proposal, sideOf } from '../domain/proposal';
import type { MatchmakingContext } from './context';
import type { ProposalQuery } from './ports';

const readDenied = (message: string, messageVi: string) =>
  new AppError('PERMISSION_DENIED', message, { code: 'NOT_ALLOWED', messageVi });

/** The double opt-in: who reads a proposal, its parties accept or decline it, it expires. */
export function makeProposalUseCases(ctx: MatchmakingContext) {
  const { store, clock, afterWrite, event, loadProposal, changeProposal } = ctx;

  return {
    /** An enterprise lists its own proposals, an officer its province's, an admin any; analysts none. */
    listProposals(actor: Actor, query: ProposalQuery) {
      if (actor.role === 'enterprise' && query.enterpriseId !== actor.enterpriseId)
        throw readDenied(
          'An enterprise lists its own proposals',
          'Doanh nghiệp chỉ xem được đề xuất của mình',
        );
      if (actor.role === 'province' && query.provinceCode !== actor.provinceCode)
        throw readDenied(
          'Officers list their own province’s proposals',
          'Cán bộ chỉ xem được đề xuất của tỉnh mình',
        );
      if (actor.role === 'analyst' || actor.role === 'anonymous')
        throw readDenied(
          'Proposals are for their parties and provinces',
          'Đề xuất chỉ dành cho các bên và tỉnh liên quan',
        );
      return store.listProposals(query);
    },

    /** Its two parties, officers of either province and admins read a proposal; to anyone else it does not exist. */
    async getProposal(actor: Actor, id: string): Promise<Proposal> {
      const proposal = await loadProposal(id);
      const allowed =
        actor.role === 'admin' ||
        actor.role === 'service' ||
        (actor.role === 'enterprise' &&
          (actor.enterpriseId === proposal.buyerEnterpriseId ||
            actor.enterpriseId === proposal.supplierEnterpriseId)) ||
        (actor.role === 'province' &&
          (actor.provinceCode === proposal.buyerProvince ||
            actor.provinceCode === proposal.supplierProvince));
      if (!allowed)
        throw new AppError('NOT_FOUND', `No proposal ${id}`, {
          code: 'PROPOSAL_NOT_FOUND',
          messageVi: `Không tìm thấy đề xuất ${id}`,
        });
      return proposal;
    },

    // ---- commands ------------------------------------------------------------------------------
    async accept(actor: Actor, id: string): Promise<Proposal> {
      const side = sideOf(await loadProposal(id), actor);
      const result = await changeProposal(id, (current, now) => {
        const { next, established, changed } = acceptProposal(current, side, now);
        if (!changed) return undefined;
        const events = [
          event(Events.matchAccepted, { proposalId: id, enterpriseId: actor.enterpriseId, side }, id, now),
        ];
        if (established) {
          events.push(
            event(
              Events.linkageEstablished,
              {
                proposalId: id,
                needId: next.needId,
                capabilityId: next.capabilityId,
                buyerEnterpriseId: next.buyerEnterpriseId,
                supplierEnterpriseId: next.supplierEnterpriseId,
                buyerProvince: next.buyerProvince,
                supplierProvince: next.supplierProvince,
                hsCodes: next.hsCodes,
                vsicCodes: next.vsicCodes,
                category: next.category,
                score: next.score,
              },
              id,
              now,
            ),
          );
        }
        return { next, events };
      });
      return result;
    },
    async decline(actor: Actor, id: string, reason: string): Promise<Proposal> {
      const side = sideOf(await loadProposal(id), actor);
      const result = await changeProposal(id, (current, now) => ({
        next: declineProposal(current, actor.enterpriseId, reason, now),
        events: [
          event(
            Events.matchDeclined,
            { proposalId: id, enterpriseId: actor.enterpriseId, side, reason: reason.trim() },
            id,
            now,
          ),
        ],
      }));
      return result;
    },

    /** Expires proposals past their TTL; conditional writes make two instances safe. */
    async expireProposals(limit = 500): Promise<number> {
      let expired = 0;
      const now = clock();
      for (const proposal of await store.dueProposals(now, limit)) {
        const next = { ...expireProposal(proposal, now), version: proposal.version + 1 };
        if (
          await store.saveProposal(next, proposal.version, [
            event(Events.matchExpired, { proposalId: proposal.id }, proposal.id, now),
          ])
        ) {
          expired += 1;
        }
      }
      if (expired > 0) afterWrite();
      return expired;
    },
  };
}
