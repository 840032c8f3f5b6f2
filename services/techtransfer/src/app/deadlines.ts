import { Events } from '@lienket/contracts';
import { applyDeadline } from '../domain/interest';
import { expireOffer } from '../domain/offer';
import { expireRequest } from '../domain/request';
import type { Approvals } from './approvals';
import type { UseCaseContext } from './context';
import { interestFacts } from './to-proto';

/** The periodic job: whatever a deadline decides without anyone asking. */
export function makeDeadlines(ctx: UseCaseContext, approvals: Approvals) {
  const { store, clock, event, changeOffer, changeRequest, changeInterest } = ctx;
  const { interestRules } = ctx.deps;

  return {
    /** Deadlines: expired offers and requests, interests to remind, expire or abandon, stuck approvals. */
    async runDeadlines(limit = 200) {
      const now = clock();
      const counts = { offersExpired: 0, requestsExpired: 0, interests: 0, approvalsReconciled: 0 };
      for (const offer of await store.findDueOffers(now, limit)) {
        await changeOffer(offer.id, (o, t) =>
          o.status !== 'published' || (o.validUntil && o.validUntil.getTime() > t.getTime())
            ? undefined
            : { next: expireOffer(o, t), events: [event(Events.offerExpired, { offerId: o.id }, o.id, t)] },
        );
        counts.offersExpired++;
      }
      for (const request of await store.findDueRequests(now, limit)) {
        await changeRequest(request.id, (r, t) =>
          r.status !== 'open' || r.validUntil.getTime() > t.getTime()
            ? undefined
            : {
                next: expireRequest(r, t),
                events: [event(Events.requestClosed, { requestId: r.id, reason: 'expired' }, r.id, t)],
              },
        );
        counts.requestsExpired++;
      }
      const remindBefore = new Date(now.getTime() + interestRules.reminderDays * 86_400_000);
      for (const interest of await store.findDueInterests(remindBefore, limit)) {
        await changeInterest(interest.id, (i, t) => {
          const due = applyDeadline(i, t, interestRules);
          if (!due) return undefined;
          counts.interests++;
          const facts = interestFacts(due.interest);
          if (due.action.kind === 'expire')
            return { next: due.interest, events: [event(Events.interestExpired, { facts }, i.id, t)] };
          if (due.action.kind === 'abandon')
            return {
              next: due.interest,
              events: [
                event(
                  Events.negotiationAbandoned,
                  { facts, reason: due.interest.abandonReason, abandonedBy: 'timeout' },
                  i.id,
                  t,
                ),
              ],
            };
          return {
            next: due.interest,
            events: [
              event(
                Events.interestReminder,
                { facts, action: due.action.action, waitingOn: due.action.waitingOn, due: i.respondBy },
                i.id,
                t,
              ),
            ],
          };
        });
      }
      counts.approvalsReconciled = await approvals.reconcileApprovals(now, limit);
      return counts;
    },
  };
}
