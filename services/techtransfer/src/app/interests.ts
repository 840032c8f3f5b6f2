import { Events } from '@lienket/contracts';
import type { Actor } from '@lienket/platform';
import { AppError } from '@lienket/platform/errors';
import {
  type AgreementInput,
  abandonNegotiation,
  acceptInterest,
  declineInterest,
  expressInterest,
  proposeAgreement,
  sendMessage,
  signAgreement,
  withdrawInterest,
} from '../domain/interest';
import type { Attachment, Interest } from '../domain/model';
import { requireOwner } from '../domain/offer';
import {
  deny,
  mayKnowInterestOwner,
  mayReadInterest,
  maySeeOffer,
  requireActsFor,
  requireAuthenticated,
} from '../domain/policy';
import { notFound, type UseCaseContext } from './context';
import type { InterestQuery, PageRequest } from './ports';
import { agreementType, interestFacts } from './to-proto';

/** Expressions of interest in an offer and the negotiation that follows, up to a signed agreement. */
export function makeInterestUseCases(ctx: UseCaseContext) {
  const {
    store,
    clock,
    newId,
    afterWrite,
    event,
    loadParty,
    loadOffer,
    loadRequest,
    loadInterest,
    interestAction,
  } = ctx;
  const { interestRules } = ctx.deps;

  return {
    async expressInterest(
      actor: Actor,
      offerId: string,
      enterpriseId: string,
      message: string,
      requestId: string,
    ) {
      requireActsFor(actor, enterpriseId);
      const interested = await loadParty(enterpriseId);
      const offer = await loadOffer(offerId);
      if (!maySeeOffer({ ...actor, role: 'enterprise', enterpriseId }, offer, interested))
        throw notFound('offer', offerId, 'chào bán công nghệ');
      if (requestId) {
        const request = await loadRequest(requestId);
        if (request.requesterId !== enterpriseId)
          throw deny(
            'The request belongs to another enterprise',
            'Yêu cầu thuộc doanh nghiệp khác',
            'NOT_A_PARTY',
          );
      }
      const now = clock();
      const interest = expressInterest(
        offer,
        interested,
        { message, requestId },
        newId(),
        now,
        interestRules,
      );
      await store.insertInterest(interest, [
        event(
          Events.interestExpressed,
          { facts: interestFacts(interest), respondBy: interest.respondBy },
          interest.id,
          now,
        ),
      ]);
      afterWrite();
      return interest;
    },

    acceptInterest: (actor: Actor, id: string) =>
      interestAction(actor, id, (current, side, now) => {
        const next = acceptInterest(current, side, now, interestRules);
        return { next, events: [event(Events.interestAccepted, { facts: interestFacts(next) }, id, now)] };
      }),

    declineInterest: (actor: Actor, id: string, reason: string) =>
      interestAction(actor, id, (current, side, now) => {
        const next = declineInterest(current, side, reason, now);
        return {
          next,
          events: [
            event(
              Events.interestDeclined,
              { facts: interestFacts(next), reason: next.declineReason },
              id,
              now,
            ),
          ],
        };
      }),

    withdrawInterest: (actor: Actor, id: string) =>
      interestAction(actor, id, (current, side, now) => {
        const next = withdrawInterest(current, side, now);
        return { next, events: [event(Events.interestWithdrawn, { facts: interestFacts(next) }, id, now)] };
      }),

    sendMessage: (actor: Actor, id: string, text: string, attachments: Attachment[]) =>
      interestAction(actor, id, (current, side, now) => ({
        next: sendMessage(current, side, { text, attachments }, newId(), now, interestRules),
        events: [],
      })),

    proposeAgreement: (actor: Actor, id: string, input: AgreementInput) =>
      interestAction(actor, id, (current, side, now) => ({
        next: proposeAgreement(current, side, input, newId(), now, interestRules),
        events: [],
      })),

    signAgreement: (actor: Actor, id: string, agreementId: string) =>
      interestAction(actor, id, (current, side, now) => {
        const next = signAgreement(current, side, agreementId, now);
        const a = next.agreement as NonNullable<Interest['agreement']>;
        return {
          next,
          events: [
            event(
              Events.agreementSigned,
              {
                facts: interestFacts(next),
                agreementId: a.id,
                type: agreementType.toProto(a.type),
                value: { vnd: a.valueVnd },
                startDate: a.startDate,
              },
              id,
              now,
            ),
          ],
        };
      }),

    abandonNegotiation: (actor: Actor, id: string, reason: string) =>
      interestAction(actor, id, (current, side, now) => {
        const next = abandonNegotiation(current, side, reason, now);
        return {
          next,
          events: [
            event(
              Events.negotiationAbandoned,
              { facts: interestFacts(next), reason: next.abandonReason, abandonedBy: next.abandonedBy },
              id,
              now,
            ),
          ],
        };
      }),

    async getInterest(actor: Actor, id: string): Promise<{ interest: Interest; showOwner: boolean }> {
      const interest = await loadInterest(id);
      if (!mayReadInterest(actor, interest)) throw notFound('interest', id, 'bày tỏ quan tâm');
      return { interest, showOwner: mayKnowInterestOwner(actor, interest) };
    },

    async listInterests(actor: Actor, query: InterestQuery, page: PageRequest) {
      requireAuthenticated(actor);
      if (actor.role !== 'admin' && actor.role !== 'service') {
        if (query.offerId) {
          requireOwner(actor, await loadOffer(query.offerId));
        } else if (actor.role === 'enterprise') {
          if (query.enterpriseId !== actor.enterpriseId)
            throw deny(
              'An enterprise lists its own interests only',
              'Doanh nghiệp chỉ xem được bày tỏ quan tâm của mình',
            );
        } else if (actor.role === 'province') {
          const party = query.enterpriseId ? await store.findParty(query.enterpriseId) : undefined;
          if (!party || party.province !== actor.provinceCode)
            throw deny(
              'Officers list the interests of their own province’s firms',
              'Cán bộ chỉ xem được doanh nghiệp thuộc tỉnh mình',
              'OTHER_PROVINCE',
            );
        } else {
          throw deny('Not allowed', 'Không được phép');
        }
      }
      if (!query.enterpriseId && !query.offerId && actor.role !== 'admin') {
        throw new AppError('INVALID_ARGUMENT', 'Give enterprise_id or offer_id', {
          messageVi: 'Cần enterprise_id hoặc offer_id',
        });
      }
      const result = await store.listInterests(query, page);
      return {
        ...result,
        items: result.items.map((interest) => ({
          interest,
          showOwner: mayKnowInterestOwner(actor, interest),
        })),
      };
    },
  };
}
