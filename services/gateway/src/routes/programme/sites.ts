import { programmeServiceV1 as api } from '@lienket/contracts';
import { message, pageOf, pagingQuery, route } from '../../http/api';
import { callAs, type ServiceClients } from '../clients';
import { id, managers, P, provinceQuery, signedIn, tag, treatmentState } from './shared';

const siteId = { siteId: id('Cluster site id') };

/** Industrial cluster sites (cụm công nghiệp) and the state of their shared wastewater treatment. */
export function siteRoutes({ programme: p }: ServiceClients) {
  return [
    route({
      method: 'post',
      path: '/v1/programme/sites',
      operationId: 'registerClusterSite',
      creates: { id: '/site/siteId', params: ['siteId'] },
      unprocessable: 'The province is not the officer’s',
      summary: 'Register an industrial cluster site (its province’s centre, or the ministry)',
      tag,
      callers: managers,
      body: message(`${P}.RegisterSiteRequest`, api.RegisterSiteRequest),
      response: message(`${P}.RegisterSiteResponse`, api.RegisterSiteResponse),
      status: 201,
      handler: ({ actor, body, request }) => p.registerSite(body, callAs(actor, request)),
    }),
    route({
      method: 'get',
      path: '/v1/programme/sites',
      operationId: 'listClusterSites',
      summary: 'Cluster sites, by province and treatment state',
      tag,
      callers: signedIn,
      query: {
        province: provinceQuery('One province'),
        treatment: { type: 'string', enum: treatmentState.values, description: 'One treatment state' },
        ...pagingQuery,
      },
      response: message(`${P}.ListSitesResponse`, api.ListSitesResponse),
      handler: ({ actor, query, request }) =>
        p.listSites(
          {
            province: String(query.province ?? ''),
            treatment: query.treatment === undefined ? 0 : treatmentState.toProto(String(query.treatment)),
            page: pageOf(query),
          },
          callAs(actor, request),
        ),
    }),
    route({
      method: 'get',
      path: '/v1/programme/sites/:siteId',
      operationId: 'getClusterSite',
      summary: 'A cluster site with its treatment history',
      tag,
      callers: signedIn,
      params: siteId,
      response: message(`${P}.GetSiteResponse`, api.GetSiteResponse),
      handler: ({ actor, params, request }) =>
        p.getSite({ siteId: params.siteId ?? '' }, callAs(actor, request)),
    }),
    route({
      method: 'patch',
      path: '/v1/programme/sites/:siteId',
      operationId: 'updateClusterSite',
      summary: 'Change a site’s operator, occupancy and tenants',
      tag,
      callers: managers,
      params: siteId,
      body: message(`${P}.UpdateSiteRequest`, api.UpdateSiteRequest),
      response: message(`${P}.UpdateSiteResponse`, api.UpdateSiteResponse),
      handler: ({ actor, params, body, request }) =>
        p.updateSite({ ...body, siteId: params.siteId ?? '' }, callAs(actor, request)),
    }),
    route({
      method: 'post',
      path: '/v1/programme/sites/:siteId/treatment-changes',
      operationId: 'changeSiteTreatment',
      summary: 'Record a change of the site’s wastewater treatment (kept in its history)',
      tag,
      callers: managers,
      params: siteId,
      body: message(`${P}.ChangeSiteTreatmentRequest`, api.ChangeSiteTreatmentRequest),
      response: message(`${P}.ChangeSiteTreatmentResponse`, api.ChangeSiteTreatmentResponse),
      handler: ({ actor, params, body, request }) =>
        p.changeSiteTreatment({ ...body, siteId: params.siteId ?? '' }, callAs(actor, request)),
    }),
  ];
}
