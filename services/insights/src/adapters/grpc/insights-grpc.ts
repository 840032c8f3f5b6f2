import { insightsServiceV1 as api } from '@lienket/contracts';
import { type AsyncHandlers, bindService, type Logger, type ServiceBinding } from '@lienket/platform';
import { dimensionFromProto, type Insights } from '../../app/insights';

export const INSIGHTS_SERVICE_NAME = 'lienket.insights.v1.InsightsService';

/**
 * gRPC edge of insights. Aggregates only, no contact data: every role (and anonymous) may read
 * them here; the gateway decides who may call.
 */
export function makeInsightsGrpc({ insights, log }: { insights: Insights; log: Logger }): ServiceBinding {
  const handlers: AsyncHandlers<typeof api.InsightsServiceService> = {
    getLinkageMatrix: async (request) => insights.getLinkageMatrix(request.filter),
    getProposalMatrix: async (request) => insights.getProposalMatrix(request.filter),
    getOpenPostings: async (request) =>
      insights.getOpenPostings(request.filter, dimensionFromProto(request.dimension)),
    getFunnel: async (request) => insights.getFunnel(request.filter, dimensionFromProto(request.dimension)),
    getUnmetDemand: async (request) =>
      insights.getUnmetDemand(request.filter, dimensionFromProto(request.dimension)),
    getTechTransferUptake: async (request) =>
      insights.getTechTransferUptake(
        request.filter,
        dimensionFromProto(request.dimension),
        request.cleanerOnly,
      ),
    getLeadFirms: async (request) => ({ rows: await insights.getLeadFirms(request.filter, request.limit) }),
    getRegionalShare: async (request) => insights.getRegionalShare(request.filter),
    getPromotionFunding: async (request) => insights.getPromotionFunding(request.filter),
    getProvinceSummary: async (request) =>
      insights.getProvinceSummary(request.province, request.filter, request.leadFirmsLimit),
  };
  return bindService(INSIGHTS_SERVICE_NAME, api.InsightsServiceService, handlers, log);
}
