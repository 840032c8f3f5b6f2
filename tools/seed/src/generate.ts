// The seed's plan, made from a size and a seed by the planning modules in plan/: enterprises and clusters,
// postings, technology transfer and co-funding. The request bodies' types are in plan/bodies.ts.

import type { GenerateOptions, PlannedEnterprise, SeedPlan } from './plan/bodies';
import { decideLeadFirms, decideVerification, draftEnterprises, planClusters } from './plan/enterprises';
import { planCapabilities, planNeeds } from './plan/postings';
import { planProgramme } from './plan/programme';
import { planOffers, planTechTransfer } from './plan/technology';
import { Rng } from './prng';

export * from './plan/bodies';
export { groupCounts } from './plan/enterprises';
export type { PlannedScheme, ProgrammePlan, SchemeTarget } from './plan/programme';
export { formatVi, nice } from './plan/shared';

/** The whole data set for a size and a seed: the same inputs always give the same plan. */
export function generate(options: GenerateOptions): SeedPlan {
  const total = Math.floor(options.enterprises);
  if (!(total >= 1)) throw new RangeError('enterprises must be at least 1');
  const seed = String(options.seed);
  const now = options.now ?? new Date();
  const root = new Rng(`lienket-seed:${seed}`);
  const drafts = draftEnterprises(root, total, new Set());
  decideVerification(root, drafts);
  const clusters = planClusters(root, drafts);
  decideLeadFirms(root, drafts);
  const capabilities = planCapabilities(root, drafts);
  const needs = planNeeds(root, drafts, capabilities, now);
  const offers = planOffers(root, drafts);
  const tech = planTechTransfer(root, drafts, offers, now);
  const enterprises: PlannedEnterprise[] = drafts.map((d) => ({
    ref: d.ref,
    group: d.group,
    archetype: d.archetype,
    chain: d.chain,
    province: d.province,
    region: d.region,
    products: d.products,
    verification: d.verification,
    leadFirm: d.leadFirm,
    body: d.body,
  }));
  const programme = planProgramme(root, enterprises, now);
  return {
    seed,
    now: now.toISOString(),
    enterprises,
    capabilities,
    needs,
    clusters,
    offers,
    ...tech,
    programme,
  };
}
