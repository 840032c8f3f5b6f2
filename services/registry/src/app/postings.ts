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
 * Capabilities and needs: posted within the enterprise's open-postings limit (a unique slot taken
 * by the insert itself, left by the write that closes the posting), withdrawn, renewed, closed,
 * fulfilled.
 */
export function makePostingUseCases(ctx: RegistryContext) {
  const { store, clock, newId, rules, afterWrite, event, loadEnterprise, loadPosting, changePosting } = ctx;

  async function insertOpen(posting: Posting, events: Parameters<typeof store.insertPosting>[1]) {
    if (!(await store.insertPosting(posting, events, rules.maxOpenPostings))) throw openPostingLimit(rules);
  }

  return {
    async postCapability(actor: Actor, input: CapabilityInput): Promise<Capability> {
      requireActsFor(actor, input.enterpriseId);
      const enterprise = await loadEnterprise(input.enterpriseId);
      const now = clock();
      const capability = postCapability(enterprise, input, newId(), now, rules);
      await insertOpen(capability, [
        event(Events.capabilityPosted, { capability: capabilityToProto(capability) }, capability.id, now),
      ]);
      afterWrite();
      return capability;
    },

    async withdrawCapability(actor: Actor, id: string, reason: string): Promise<Capability> {
      const posting = await loadPosting(id);
      requireActsFor(actor, posting.enterpriseId);
      return changePosting<Capability>(id, 'capability', (current, now) => ({
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
      await insertOpen(need, [event(Events.needPosted, { need: needToProto(need) }, need.id, now)]);
      afterWrite();
      return need;
    },

    async closeNeed(actor: Actor, id: string, reason: string): Promise<Need> {
      const posting = await loadPosting(id);
      requireActsFor(actor, posting.enterpriseId);
      return changePosting<Need>(id, 'need', (current, now) => ({
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
    },

    async fulfilNeed(actor: Actor, id: string): Promise<Need> {
      const posting = await loadPosting(id);
      requireActsFor(actor, posting.enterpriseId);
      return changePosting<Need>(id, 'need', (current, now) => ({
        next: fulfilNeed(current, now),
        events: [event(Events.needFulfilled, { needId: id, enterpriseId: current.enterpriseId }, id, now)],
      }));
    },

    getPosting: loadPosting,

    searchPostings: (
      query: Omit<PostingQuery, 'textTokens'> & { text: string },
      page: PageRequest,
      facets: string[],
    ) => store.searchPostings({ ...query, textTokens: tokenize(query.text) }, page, facets),
  };
}
