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
import type { ProjectionWrite } from './ports';

/** One registry event as the projection reads it: a whole posting or party, or fields of one. */
export type RegistryChange = { at: Date } & (
  | { kind: 'enterprise'; enterprise: registryV1.Enterprise }
  | { kind: 'partyPatch'; id: string; patch: Partial<Party> }
  | { kind: 'capability'; capability: registryV1.Capability }
  | { kind: 'capabilityPatch'; id: string; patch: Partial<Supply> }
  | { kind: 'need'; need: registryV1.Need }
  | { kind: 'needPatch'; id: string; patch: Partial<Demand> }
);

/**
 * The projection of the registry: every instance applies every registry event to its in-memory
 * indexes and to the stored projection, and fills the indexes from the store at start-up.
 */
export function makeProjection(ctx: MatchmakingContext) {
  const { store, supplies, demands, indexParty, indexSupply, indexDemand } = ctx;
  /** Time of the newest change applied to each document in memory (the store's `at`, mirrored). */
  const appliedAt = new Map<string, number>();

  async function refreshResponsiveness() {
    for (const [enterpriseId, responsiveness] of await store.responsiveness()) {
      const p = supplies.party(enterpriseId);
      if (p) {
        supplies.setParty({ ...p, responsiveness });
        demands.setParty({ ...p, responsiveness });
      }
    }
  }

  /** Applies one change to the indexes; returns the document change it makes (whole, or fields). */
  function applyInMemory(change: RegistryChange): ProjectionWrite {
    const { at } = change;
    switch (change.kind) {
      case 'enterprise': {
        const party = partyFromEnterprise(change.enterprise);
        indexParty(party);
        return { kind: 'party', id: party.enterpriseId, state: { party }, at };
      }
      case 'partyPatch': {
        const current = supplies.party(change.id);
        if (current) indexParty({ ...current, ...change.patch });
        return { kind: 'party', id: change.id, patch: change.patch, at };
      }
      case 'capability': {
        const supply = supplyFromCapability(change.capability);
        indexSupply(supply, change.capability.title);
        return { kind: 'supply', id: supply.id, state: { supply, title: change.capability.title }, at };
      }
      case 'capabilityPatch': {
        // A posting the index no longer holds is closed: a patch cannot open it again.
        const current = supplies.get(change.id);
        if (current) indexSupply({ ...current, ...change.patch });
        return { kind: 'supply', id: change.id, patch: change.patch, at };
      }
      case 'need': {
        const demand = demandFromNeed(change.need);
        indexDemand(demand, change.need.title);
        return { kind: 'demand', id: demand.id, state: { demand, title: change.need.title }, at };
      }
      case 'needPatch': {
        const current = demands.get(change.id);
        if (current) indexDemand({ ...current, ...change.patch });
        return { kind: 'demand', id: change.id, patch: change.patch, at };
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

    /**
     * Applies a batch of registry changes, in order, to the indexes, and writes the projection once:
     * the batch's changes of one document folded into one (the last whole value with the fields set
     * after it, or the fields set), in one insert and one update per collection. A change older than one
     * already applied to its document is skipped, in memory as in the store.
     */
    async applyRegistryChanges(changes: readonly RegistryChange[]) {
      const writes = new Map<string, ProjectionWrite>();
      for (const change of changes) {
        const write = applyIfNewer(change);
        if (!write) continue;
        const key = `${write.kind}:${write.id}`;
        writes.set(key, foldWrite(writes.get(key), write));
      }
      if (writes.size > 0) await store.projectMany([...writes.values()]);
    },
  };

  function applyIfNewer(change: RegistryChange): ProjectionWrite | undefined {
    const key = documentOf(change);
    const last = appliedAt.get(key);
    if (last !== undefined && change.at.getTime() < last) return undefined;
    appliedAt.set(key, change.at.getTime());
    return applyInMemory(change);
  }
}

/** The projected document a change is about. */
function documentOf(change: RegistryChange): string {
  switch (change.kind) {
    case 'enterprise':
      return `party:${change.enterprise.id}`;
    case 'partyPatch':
      return `party:${change.id}`;
    case 'capability':
      return `supply:${change.capability.id}`;
    case 'capabilityPatch':
      return `supply:${change.id}`;
    case 'need':
      return `demand:${change.need.id}`;
    case 'needPatch':
      return `demand:${change.id}`;
  }
}

/** Two changes of one document in a batch as one: a whole value takes what was before it. */
function foldWrite(before: ProjectionWrite | undefined, next: ProjectionWrite): ProjectionWrite {
  if (!before || next.state) return next;
  if (before.state) {
    const field = before.kind;
    const value = { ...((before.state as Record<string, unknown>)[field] as object), ...next.patch };
    return { ...before, state: { ...before.state, [field]: value }, at: next.at } as ProjectionWrite;
  }
  return { ...before, patch: { ...before.patch, ...next.patch }, at: next.at } as ProjectionWrite;
}
