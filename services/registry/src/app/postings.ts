import { Events } from '@lienket/contracts';
import type { Actor } from '@lienket/platform';
import { tokenize } from '@lienket/reference';
import type { Capability, Need, Posting } from '../domain/model';
import { requireActsFor } from '../domain/policy';
import {
  type CapabilityInput,
  closeNeed,
  fulfilNeed,
  type NeedInput,
  openPostingLimit,
  postCapability,
  postNeed,
  renewCapability,
  withdrawCapability,
} from '../domain/postings';
import type { RegistryContext } from './context';
import type { PageRequest, PostingQuery } from './ports';
import { capabilityToProto, needToProto } from './to-proto';

/**
 * Capabilities and needs: posted within the enterprise's open-postings limit (a counter reserved
 * before the write, released when the posting closes), withdrawn, renewed, closed, fulfilled.
 */
export function makePostingUseCases(ctx: RegistryContext) {
  const { store, clock, newId, rules, afterWrite, event, loadEnterprise, loadPosting, changePosting } = ctx;

  async function reserve(enterpriseId: string) {
    if (!(await store.reserveOpenPosting(enterpriseId, rules.maxOpenPostings))) throw openPostingLimit(rules);
  }

  const postingClosed = async (posting: Posting) => store.releaseOpenPosting(posting.enterpriseId);

  return {
    async postCapability(actor: Actor, input: CapabilityInput): Promise<Capability> {
      requireActsFor(actor, input.enterpriseId);
      const enterprise = await loadEnterprise(input.enterpriseId);
      const now = clock();
      const capability = postCapability(enterprise, input, newId(), now, rules);
      await reserve(enterprise.id);
      try {
        await store.insertPosting(capability, [
          event(Events.capabilityPosted, { capability: capabilityToProto(capability) }, capability.id, now),
        ]);
      } catch (error) {
        await store.releaseOpenPosting(enterprise.id);
        throw error;
      }
      afterWrite();
      return capability;
    },

    async withdrawCapability(actor: Actor, id: string, reason: string): Promise<Capability> {
      const posting = await loadPosting(id);
      requireActsFor(actor, posting.enterpriseId);
      const next = await changePosting<Capability>(id, 'capability', (current, now) => ({
        next: withdrawCapability(current, now),
        events: [
          event(
            Events.capabilityWithdrawn,
            { capabilityId: id, enterpriseId: current.enterpriseId, reason: reason.trim() },
            id,
            now,
          ),
        ],
      }));
      await postingClosed(next);
      return next;
    },

    async renewCapability(actor: Actor, id: string): Promise<Capability> {
      const posting = await loadPosting(id);
      requireActsFor(actor, posting.enterpriseId);
      return changePosting<Capability>(id, 'capability', (current, now) => {
        const next = renewCapability(current, now, rules);
        return {
          next,
          events: [
            event(
              Events.capabilityRenewed,
              { capabilityId: id, enterpriseId: current.enterpriseId, validUntil: next.validUntil },
              id,
              now,
            ),
          ],
        };
      });
    },

    async postNeed(actor: Actor, input: NeedInput): Promise<Need> {
      requireActsFor(actor, input.enterpriseId);
      const enterprise = await loadEnterprise(input.enterpriseId);
      const now = clock();
      const need = postNeed(enterprise, input, newId(), now, rules);
      await reserve(enterprise.id);
      try {
        await store.insertPosting(need, [
          event(Events.needPosted, { need: needToProto(need) }, need.id, now),
        ]);
      } catch (error) {
        await store.releaseOpenPosting(enterprise.id);
        throw error;
      }
      afterWrite();
      return need;
    },

    async closeNeed(actor: Actor, id: string, reason: string): Promise<Need> {
      const posting = await loadPosting(id);
      requireActsFor(actor, posting.enterpriseId);
      const next = await changePosting<Need>(id, 'need', (current, now) => ({
        next: closeNeed(current, now),
        events: [
          event(
            Events.needClosed,
            { needId: id, enterpriseId: current.enterpriseId, reason: reason.trim() },
            id,
            now,
          ),
        ],
      }));
      await postingClosed(next);
      return next;
    },

    async fulfilNeed(actor: Actor, id: string): Promise<Need> {
      const posting = await loadPosting(id);
      requireActsFor(actor, posting.enterpriseId);
      const next = await changePosting<Need>(id, 'need', (current, now) => ({
        next: fulfilNeed(current, now),
        events: [event(Events.needFulfilled, { needId: id, enterpriseId: current.enterpriseId }, id, now)],
      }));
      await postingClosed(next);
      return next;
    },

    getPosting: loadPosting,

    searchPostings: (
      query: Omit<PostingQuery, 'textTokens'> & { text: string },
      page: PageRequest,
      facets: string[],
    ) => store.searchPostings({ ...query, textTokens: tokenize(query.text) }, page, facets),
  };
}
