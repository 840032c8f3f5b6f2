import type { EnterpriseView, Facet, Page, SeedRun } from '../seed-run';
import type { RegistrySeeded } from './registry';

/** What the platform holds now, all runs together. */
export async function countPlatform(run: SeedRun, registry: RegistrySeeded) {
  const { api, admin, summary, phase, tick } = run;
  const { proposalTotal } = registry;
  phase('counting', 1);
  const totals = await api.call<{ enterprises?: EnterpriseView[]; facets?: Facet[] } & Page>(
    'GET',
    '/v1/enterprises',
    { token: admin, query: { page_size: 1, facet: ['province'] } },
  );
  summary.platform.enterprises = totals.body.page?.totalSize ?? 0;
  summary.platform.provinces =
    totals.body.facets?.find((f) => f.name === 'province')?.counts?.filter((c) => c.count > 0).length ?? 0;
  summary.platform.proposals = await proposalTotal();
  summary.platform.established = await proposalTotal('established');
  const offers = await api.call<{ offers?: unknown[] } & Page>('GET', '/v1/tech/offers', {
    token: admin,
    query: { page_size: 100 },
  });
  summary.platform.offers = offers.body.page?.totalSize || offers.body.offers?.length || 0;
  tick();
  summary.calls = api.calls;
  summary.retries = { ...summary.retries, ...api.retries };
}
