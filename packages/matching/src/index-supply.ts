import { buyerPolicyCap, geographyValue, UNCOMPARABLE_CAPACITY } from './components';
import { matchOf, NO_CAPS, PostingStore, validateWeights } from './index-core';
import { type PreparedSupply, parseCertification, prepareDemand, prepareSupply } from './prepare';
import { evaluatePrepared, rankScore } from './score';
import type { Demand, Party, Scored, Supply, Weights } from './types';
import { defaultWeights } from './weights';

export interface Ranked {
  supply: Supply;
  match: Scored;
}

/**
 * Capabilities indexed for ranking against a need. Postings are kept by reference and prepared on upsert:
 * upsert again after changing one. A supply whose enterprise has no party yet is scored as unknownParty.
 */
export class SupplyIndex {
  readonly weights: Weights;
  // Partitioned by the supplier's province, which with the buyer's decides geography. Grouped by capacity unit:
  // capacity is 0.5 for every supply without one or in another unit than the need's, so a search scores those
  // apart, under that lower ceiling (GroupSplit).
  // Tagged with the certification kinds held, on the capability or among the supplier's recognitions: a need's
  // required certification can only be met by a holder of its kind.
  private readonly store = new PostingStore<Supply, PreparedSupply>((_prepared, party) => party.province, {
    groupOf: (prepared) => (prepared.capacity === null ? null : prepared.capacityUnit),
    tags: {
      posting: (prepared) => prepared.certifications.map((c) => c.kind),
      party: (party) => party.recognitions.map((r) => parseCertification(r).kind),
    },
  });

  /** Weights are used as given (see normaliseWeights); negative or non-finite ones throw RangeError. */
  constructor(options: { weights?: Weights } = {}) {
    this.weights = validateWeights(options.weights ?? defaultWeights);
  }

  get size(): number {
    return this.store.size;
  }

  /** Replaces an older version with the same id. */
  upsert(supply: Supply): void {
    this.store.upsert(supply.id, supply.enterpriseId, supply.province, supply, prepareSupply(supply));
  }

  remove(id: string): void {
    this.store.remove(id);
  }

  get(id: string): Supply | undefined {
    return this.store.get(id)?.posting;
  }

  /** Later queries see the new party for every posting of its enterprise. */
  setParty(party: Party): void {
    this.store.setParty(party);
  }

  party(enterpriseId: string): Party | undefined {
    return this.store.party(enterpriseId);
  }

  /** Top k open supplies for a demand with score >= threshold, best first (ties by id); never the demand's own enterprise. */
  topK(demand: Demand, buyer: Party, k: number, threshold: number, now: Date): Ranked[] {
    const pd = prepareDemand(demand);
    const nowMs = now.getTime();
    if (!demand.open || pd.validUntilMs <= nowMs) return [];
    const w = this.weights;
    const store = this.store;
    const caps = {
      ...NO_CAPS,
      keywords: pd.tokens.size === 0 ? 0 : 1,
      capacity: demand.quantityPerMonth === null ? UNCOMPARABLE_CAPACITY : 1,
      policy: buyerPolicyCap(buyer),
    };
    const hits = store.search(
      pd,
      k,
      threshold,
      w,
      caps,
      // Suppliers in an excluded province are excluded whatever they offer: their partitions are skipped.
      (province) =>
        pd.hasExclusions && pd.excluded.has(province) ? null : geographyValue(pd, buyer.province, province),
      (entry, productCap, geographyCap, bar) =>
        rankScore(pd, entry.prepared, buyer, entry.party, nowMs, w, productCap, geographyCap, bar),
      {
        // Only supplies in the need's unit can have a capacity value above 0.5.
        split:
          pd.quantityUnit === null
            ? undefined
            : { group: pd.quantityUnit, others: { ...caps, capacity: UNCOMPARABLE_CAPACITY } },
        needs: pd.required.map((c) => c.kind),
      },
    );
    return hits.map(({ entry, score }) => ({
      supply: entry.posting,
      match: matchOf(
        evaluatePrepared(pd, entry.prepared, buyer, entry.party, nowMs, w).verdict,
        score,
        entry,
      ),
    }));
  }

  /** Stable snapshot for "replay gives the same index" checks: sorted ids and a digest of their content. */
  fingerprint(): string {
    return this.store.fingerprint('supplies');
  }
}
