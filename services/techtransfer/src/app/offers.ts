import { Events } from '@lienket/contracts';
import { type Actor, versionConflict } from '@lienket/platform';
import { tokenize } from '@lienket/reference';
import type { Offer } from '../domain/model';
import {
  createOffer,
  type OfferInput,
  offerInputOf,
  publishOffer,
  renewOffer,
  requireOwner,
  updateOffer,
  withdrawOffer,
} from '../domain/offer';
import { deny, mayKnowOwner, maySeeOffer, requireActsFor } from '../domain/policy';
import { notFound, type UseCaseContext } from './context';
import type { OfferQuery, PageRequest } from './ports';
import { offerToProto } from './to-proto';

/** Technology offers: an owner drafts, publishes, withdraws and renews; anyone allowed finds them. */
export function makeOfferUseCases(ctx: UseCaseContext) {
  const { store, clock, newId, event, loadOffer, loadParty, viewerOf, changeOffer } = ctx;
  const { offerRules } = ctx.deps;
  const offerPublishedEvent = (offer: Offer, now: Date) =>
    event(Events.offerPublished, { offer: offerToProto(offer, !offer.anonymous) }, offer.id, now);

  return {
    async createOffer(actor: Actor, ownerId: string, input: OfferInput): Promise<Offer> {
      requireActsFor(actor, ownerId);
      const owner = await loadParty(ownerId);
      const offer = createOffer(owner, input, newId(), clock(), offerRules);
      await store.insertOffer(offer, []);
      return offer;
    },

    async updateOffer(actor: Actor, id: string, input: OfferInput, mask: string[], expectedVersion: number) {
      return changeOffer(id, (current, now) => {
        requireOwner(actor, current);
        if (expectedVersion && current.version !== expectedVersion) throw versionConflict();
        const { offer, changed } = updateOffer(
          current,
          { ...offerInputOf(current), ...input },
          mask,
          now,
          offerRules,
        );
        if (changed.length === 0) return undefined;
        // A published offer's new content is announced as a fresh publication of it.
        return { next: offer, events: offer.status === 'published' ? [offerPublishedEvent(offer, now)] : [] };
      });
    },

    publishOffer: (actor: Actor, id: string) =>
      changeOffer(id, (current, now) => {
        requireOwner(actor, current);
        const next = publishOffer(current, now, offerRules);
        return { next, events: [offerPublishedEvent(next, now)] };
      }),

    withdrawOffer: (actor: Actor, id: string, reason: string) =>
      changeOffer(id, (current, now) => {
        requireOwner(actor, current);
        const next = withdrawOffer(current, now);
        const events =
          current.status === 'published'
            ? [event(Events.offerWithdrawn, { offerId: id, reason: reason.trim().slice(0, 500) }, id, now)]
            : [];
        return { next, events };
      }),

    renewOffer: (actor: Actor, id: string, validUntil: Date | null) =>
      changeOffer(id, (current, now) => {
        requireOwner(actor, current);
        const next = renewOffer(current, validUntil, now, offerRules);
        return {
          next,
          events: [
            event(Events.offerRenewed, { offerId: id, validUntil: next.validUntil ?? undefined }, id, now),
          ],
        };
      }),

    /** The offer as the actor may see it; an offer it may not see is "not found". */
    async getOffer(actor: Actor, id: string): Promise<{ offer: Offer; showOwner: boolean }> {
      const offer = await loadOffer(id);
      const viewer = await viewerOf(actor);
      if (!maySeeOffer(actor, offer, viewer.party)) throw notFound('offer', id, 'chào bán công nghệ');
      return { offer, showOwner: mayKnowOwner(actor, offer) };
    },

    async searchOffers(
      actor: Actor,
      query: Omit<OfferQuery, 'textTokens' | 'ownerId'> & { text: string; mine: boolean },
      page: PageRequest,
    ) {
      const viewer = await viewerOf(actor);
      if (query.mine && !(actor.role === 'enterprise' && actor.enterpriseId)) {
        throw deny('Only an enterprise has offers of its own', 'Chỉ doanh nghiệp mới có chào bán của mình');
      }
      const result = await store.searchOffers(
        { ...query, textTokens: tokenize(query.text), ownerId: query.mine ? actor.enterpriseId : '' },
        viewer,
        page,
      );
      return {
        ...result,
        items: result.items.map((offer) => ({ offer, showOwner: mayKnowOwner(actor, offer) })),
      };
    },
  };
}
