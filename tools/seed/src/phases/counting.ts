import type { SeedRun } from '../seed-run';
import type { RegistrySeeded } from './registry';

/** What the platform holds now, all runs together. */
export async function countPlatform(run: SeedRun, registry: RegistrySeeded) {
  const { api, admin, summary, phase, tick } = run;
  const { proposalTotal } = registry;
  phase('counting', 1);
  const totals = await api.call(admin, (c) =>
    c.GET('/v1/enterprises', { params: { query: { page_size: 1, facet: ['province'] } } }),
  );
  summary.platform.enterprises = totals.data?.page?.totalSize ?? 0;
  summary.platform.provinces =
    totals.data?.facets?.find((f) => f.name === 'province')?.counts?.filter((c) => (c.count ?? 0) > 0)
      .length ?? 0;
  summary.platform.proposals = await proposalTotal();
  summary.platform.established = await proposalTotal('established');
  const offers = await api.call(admin, (c) =>
    c.GET('/v1/tech/offers', { params: { query: { page_size: 100 } } }),
  );
  summary.platform.offers = offers.data?.page?.totalSize || offers.data?.offers?.length || 0;
  tick();
  summary.calls = api.calls;
  summary.retries = { ...summary.retries, ...api.retries };
}
