import type { registryV1 } from '@lienket/contracts';
import {
  type Demand,
  demandFromNeed,
  type Party,
  partyFromEnterprise,
  type Supply,
  supplyFromCapability,
} from '@lienket/matching';
import type { MatchmakingContext } from './context';

/**
 * The projection of the registry: every instance applies every registry event to its in-memory
 * indexes and to the stored projection, and fills the indexes from the store at start-up.
 */
export function makeProjection(ctx: MatchmakingContext) {
  const { store, supplies, demands, indexParty, indexSupply, indexDemand } = ctx;

  async function refreshResponsiveness() {
    for (const [enterpriseId, responsiveness] of await store.responsiveness()) {
      const p = supplies.party(enterpriseId);
      if (p) {
        supplies.setParty({ ...p, responsiveness });
        demands.setParty({ ...p, responsiveness });
      }
    }
  }

  return {
    /** Fills the indexes from the stored projection (start-up). */
    async loadIndexes() {
      const projection = await store.loadProjection();
      for (const p of projection.parties) indexParty(p);
      for (const { supply, title } of projection.supplies) indexSupply(supply, title);
      for (const { demand, title } of projection.demands) indexDemand(demand, title);
      await refreshResponsiveness();
      return { supplies: supplies.size, demands: demands.size, parties: projection.parties.length };
    },

    refreshResponsiveness,

    projection: {
      async enterprise(e: registryV1.Enterprise, at: Date) {
        const p = partyFromEnterprise(e);
        indexParty(p);
        await store.projectParty(p, at);
      },
      async partyPatch(enterpriseId: string, patch: Partial<Party>, at: Date) {
        const current = supplies.party(enterpriseId) ?? (await store.findParty(enterpriseId));
        if (current) indexParty({ ...current, ...patch });
        await store.patchParty(enterpriseId, patch, at);
      },
      async capabilityPosted(c: registryV1.Capability, at: Date) {
        const supply = supplyFromCapability(c);
        indexSupply(supply, c.title);
        await store.projectSupply(supply, c.title, at);
      },
      async capabilityPatch(id: string, patch: Partial<Supply>, at: Date) {
        const current = supplies.get(id) ?? (await store.findSupply(id))?.supply;
        if (current) indexSupply({ ...current, ...patch });
        await store.patchSupply(id, patch, at);
      },
      async needPosted(n: registryV1.Need, at: Date) {
        const demand = demandFromNeed(n);
        indexDemand(demand, n.title);
        await store.projectDemand(demand, n.title, at);
      },
      async needPatch(id: string, patch: Partial<Demand>, at: Date) {
        const current = demands.get(id) ?? (await store.findDemand(id))?.demand;
        if (current) indexDemand({ ...current, ...patch });
        await store.patchDemand(id, patch, at);
      },
    },
  };
}
