import type { ServiceClients } from './clients';
import { fundingRoutes } from './programme/funding';
import { schemeRoutes } from './programme/schemes';
import { siteRoutes } from './programme/sites';

/** Every route of the promotion programme (issue 18), in the order the document lists them. */
export function programmeRoutes(clients: ServiceClients) {
  return [...schemeRoutes(clients), ...fundingRoutes(clients), ...siteRoutes(clients)];
}
