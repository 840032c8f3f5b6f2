import {
  freshnessValue,
  proximityValue,
  responsivenessValue,
  supplierPolicyCap,
  trustValue,
  UNCOMPARABLE_CAPACITY,
} from './components';
import { matchOf, NO_CAPS, PostingStore, validateWeights } from './index-core';
import { type PreparedDemand, prepareDemand, prepareSupply } from './prepare';
import { evaluatePrepared, rankScore } from './score';
import type { Demand, Party, Scored, Supply, Weights } from './types';
import { defaultWeights } from './weights';

const PREFERRING = '*preferring';

export interface RankedDemand {
  demand: Demand;
  match: Scored;
}

/**
 * Needs indexed for ranking against a capability; the mirror of SupplyIndex. A demand whose enterprise has no
 * party yet is scored with unknownParty as the buyer.
 */
export class DemandIndex {
  readonly weights: Weights;
  // Partitioned by the buyer's province, which with the supplier's decides geography; needs naming preferred
  // provinces can score 1 anywhere, so they share one partition that is always searched at that value. Grouped
  // by quantity unit: capacity is 0.5 for every need without one or in another unit than the supply's.
  private readonly store = new PostingStore<Demand, PreparedDemand>(
    (prepared, party) => (prepared.preferred.size > 0 ? PREFERRING : party.province),
    { groupOf: (prepared) => (prepared.quantity === null ? null : prepared.quantityUnit) },
  );

  /** Weights are used as given (see normaliseWeights); negative or non-finite ones throw RangeError. */
  constructor(options: { weights?: Weights } = {}) {
    this.weights = validateWeights(options.weights ?? defaultWeights);
  }

  get size(): number {
    return this.store.size;
  }

  /** Replaces an older version with the same id. */
  upsert(demand: Demand): void {
    this.store.upsert(demand.id, demand.enterpriseId, demand.province, demand, prepareDemand(demand));
  }

  remove(id: string): void {
    this.store.remove(id);
  }

  get(id: string): Demand | undefined {
    return this.store.get(id)?.posting;
  }

  /** Later queries see the new party for every posting of its enterprise. */
  setParty(party: Party): void {
    this.store.setParty(party);
  }

  party(enterpriseId: string): Party | undefined {
    return this.store.party(enterpriseId);
  }

  /** Top k open demands for a supply with score >= threshold, best first (ties by id); never the supply's own enterprise. */
  topK(supply: Supply, supplier: Party, k: number, threshold: number, now: Date): RankedDemand[] {
    const ps = prepareSupply(supply);
    const nowMs = now.getTime();
    if (!supply.open || ps.validUntilMs <= nowMs) return [];
    const w = this.weights;
    const store = this.store;
    // The supplier is fixed, so its own components are known exactly; capacity is 0.5 for every need without it.
    const caps = {
      ...NO_CAPS,
      keywords: ps.tokens.size === 0 ? 0 : 1,
      capacity: supply.monthlyCapacity === null ? UNCOMPARABLE_CAPACITY : 1,
      policy: supplierPolicyCap(supplier),
      trust: trustValue(supplier),
      freshness: freshnessValue(ps.postedAtMs, nowMs),
      responsiveness: responsivenessValue(supplier),
    };
    const hits = store.search(
      ps,
      k,
      threshold,
      w,
      caps,
      (province) => (province === PREFERRING ? 1 : proximityValue(province, supplier.province)),
      (entry, productCap, geographyCap, bar) =>
        rankScore(entry.prepared, ps, entry.party, supplier, nowMs, w, productCap, geographyCap, bar),
      // Only needs in the supply's unit can have a capacity value above 0.5.
      ps.capacity === null || ps.capacityUnit === null
        ? {}
        : { split: { group: ps.capacityUnit, others: { ...caps, capacity: UNCOMPARABLE_CAPACITY } } },
    );
    return hits.map(({ entry, score }) => ({
      demand: entry.posting,
      match: matchOf(
        evaluatePrepared(entry.prepared, ps, entry.party, supplier, nowMs, w).verdict,
        score,
        entry,
      ),
    }));
  }

  /** Stable snapshot for "replay gives the same index" checks: sorted ids and a digest of their content. */
  fingerprint(): string {
    return this.store.fingerprint('demands');
  }
}
