import type { ServiceClients } from './clients';
import { coFundingRoutes } from './techtransfer/cofunding';
import { interestRoutes } from './techtransfer/interests';
import { offerRoutes } from './techtransfer/offers';
import { programmeRoutes } from './techtransfer/programmes';
import { requestRoutes } from './techtransfer/requests';

/** Every technology-transfer route, in the order the document lists them. */
export function techTransferRoutes(clients: ServiceClients) {
  return [
    ...offerRoutes(clients),
    ...requestRoutes(clients),
    ...interestRoutes(clients),
    ...programmeRoutes(clients),
    ...coFundingRoutes(clients),
  ];
}
