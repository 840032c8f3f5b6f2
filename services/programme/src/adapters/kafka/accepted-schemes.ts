import { Events } from '@lienket/contracts';
import { onBatch, type Subscription } from '@lienket/eventbus';
import type { AcceptedScheme } from '../../app/plans-and-sites';

/**
 * The service reads its own SchemeAccepted events: an accepted pollution-treatment scheme puts its
 * cluster site's treatment in operation (one read and one bulk write per batch; replays change
 * nothing, the site's history names the scheme).
 */
export const acceptedSchemeSubscriptions = (deps: {
  applyAcceptedSchemes(accepted: readonly AcceptedScheme[]): Promise<number>;
}): Subscription[] => [
  onBatch(
    [Events.schemeAccepted],
    async (events) => {
      await deps.applyAcceptedSchemes(
        events.map((e) => ({
          schemeId: e.payload.facts?.schemeId ?? e.key,
          siteId: e.payload.facts?.siteId ?? '',
          pollutionTreatment: e.payload.facts?.pollutionTreatment ?? false,
          at: e.time,
        })),
      );
    },
    { idempotent: true },
  ),
];
