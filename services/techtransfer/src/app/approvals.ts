import { Events } from '@lienket/contracts';
import type { Actor } from '@lienket/platform';
import {
  claimApproval,
  completeApproval,
  requireDecider,
  reserve,
  revertApproval,
} from '../domain/cofunding';
import type { CoFundingApplication } from '../domain/model';
import type { UseCaseContext } from './context';
import { budgetChanged, coFundingFacts } from './to-proto';

/**
 * Approving a co-funding application takes two aggregates: the application is claimed, the
 * programme reserves the amount, then the approval completes. A crash between the steps leaves a
 * claim that the deadline job reconciles: completed when the reservation exists, else reverted.
 */
export function makeApprovals(ctx: UseCaseContext) {
  const { store, event, loadApplication, loadProgramme, changeApplication, changeProgramme } = ctx;

  async function approve(actor: Actor, id: string): Promise<CoFundingApplication> {
    const current = await loadApplication(id);
    const programme = await loadProgramme(current.programmeId);
    requireDecider(actor, current, programme);
    const claimed = await changeApplication(id, (a, now) => ({
      next: claimApproval(a, actor.subject, now),
      events: [],
    }));
    try {
      await changeProgramme(programme.id, (p, now) => {
        const next = reserve(p, id, claimed.amountVnd, now);
        return (
          next && {
            next,
            events: [
              event(Events.programmeBudgetChanged, budgetChanged(next, 'committed', 0, id), p.id, now),
            ],
          }
        );
      });
    } catch (error) {
      await changeApplication(id, (a, now) => {
        const next = revertApproval(a, now);
        return next && { next, events: [] };
      });
      throw error;
    }
    return finishApproval(id);
  }

  const finishApproval = (id: string) =>
    changeApplication(id, (a, now) => {
      const next = completeApproval(a, now);
      return (
        next && {
          next,
          events: [
            event(
              Events.coFundingApproved,
              { facts: coFundingFacts(next), decidedBy: next.decidedBy },
              id,
              now,
            ),
          ],
        }
      );
    });

  /** Approvals claimed but not completed (a crash between the steps): complete with a reservation, else revert. */
  async function reconcileApprovals(now: Date, limit: number): Promise<number> {
    const stale = await store.listApplications(
      { programmeId: '', applicantProvince: '', applicantId: '', statuses: ['approving'] },
      { size: limit, cursor: '' },
    );
    let reconciled = 0;
    for (const a of stale.items) {
      if (now.getTime() - a.updatedAt.getTime() < ctx.deps.approvalClaimTimeoutMs) continue;
      const programme = await store.findProgramme(a.programmeId);
      if (programme?.reservations.some((r) => r.applicationId === a.id)) await finishApproval(a.id);
      else
        await changeApplication(a.id, (current, t) => {
          const next = revertApproval(current, t);
          return next && { next, events: [] };
        });
      reconciled++;
    }
    return reconciled;
  }

  return { approve, finishApproval, reconcileApprovals };
}

export type Approvals = ReturnType<typeof makeApprovals>;
