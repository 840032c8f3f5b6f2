import { techtransferServiceV1 as api, enumCodec, techtransferV1 as tt } from '@lienket/contracts';
import { list, message, optionalBool, pageOf, pagingQuery, route } from '../../http/api';
import { callAs, type ServiceClients } from '../clients';
import { everyone, id, parties, T, tag } from './shared';

const mode = enumCodec<string>(tt.TransferMode, 'TRANSFER_MODE');

/** Technology offers: drafts, publication, withdrawal, renewal and the marketplace. */
export function offerRoutes({ techtransfer: t }: ServiceClients) {
  return [
    route({
      method: 'post',
      path: '/v1/tech/offers',
      operationId: 'createOffer',
      creates: { id: '/offer/id', params: ['offerId'] },
      unprocessable:
        "validUntil is not in the future or is more than 730 days ahead, a price band's minimum exceeds its maximum, or the owner is rejected or not known (yet) to technology transfer",
      summary: 'Create a draft technology offer',
      tag,
      callers: parties,
      body: message(`${T}.OfferInput`, api.OfferInput),
      bodyField: 'offer',
      response: message(`${T}.CreateOfferResponse`, api.CreateOfferResponse),
      status: 201,
      handler: ({ actor, body, request }) => t.createOffer({ offer: body }, callAs(actor, request)),
    }),
    route({
      method: 'patch',
      path: '/v1/tech/offers/:offerId',
      operationId: 'updateOffer',
      unprocessable:
        "The offer is withdrawn or expired, the fields updateMask names break a rule once checked with the stored offer, a published offer's anonymity would change, or the offer changed meanwhile",
      summary: 'Change the fields named in updateMask of a draft or published offer',
      tag,
      callers: parties,
      params: { offerId: id('Offer id') },
      body: message(`${T}.UpdateOfferRequest`, api.UpdateOfferRequest),
      response: message(`${T}.UpdateOfferResponse`, api.UpdateOfferResponse),
      handler: ({ actor, params, body, request }) =>
        t.updateOffer({ ...body, offerId: params.offerId ?? '' }, callAs(actor, request)),
    }),
    route({
      method: 'post',
      path: '/v1/tech/offers/:offerId/publication',
      operationId: 'publishOffer',
      unprocessable: 'The offer is not a draft, or its validUntil has passed',
      summary: 'Publish a draft offer',
      tag,
      callers: parties,
      params: { offerId: id('Offer id') },
      response: message(`${T}.PublishOfferResponse`, api.PublishOfferResponse),
      handler: ({ actor, params, request }) =>
        t.publishOffer({ offerId: params.offerId ?? '' }, callAs(actor, request)),
    }),
    route({
      method: 'post',
      path: '/v1/tech/offers/:offerId/withdrawal',
      operationId: 'withdrawOffer',
      unprocessable: 'The offer is already withdrawn or expired',
      summary: 'Withdraw an offer',
      tag,
      callers: parties,
      params: { offerId: id('Offer id') },
      body: message(`${T}.WithdrawOfferRequest`, api.WithdrawOfferRequest),
      response: message(`${T}.WithdrawOfferResponse`, api.WithdrawOfferResponse),
      handler: ({ actor, params, body, request }) =>
        t.withdrawOffer({ ...body, offerId: params.offerId ?? '' }, callAs(actor, request)),
    }),
    route({
      method: 'post',
      path: '/v1/tech/offers/:offerId/renewal',
      operationId: 'renewOffer',
      unprocessable:
        'The offer is not published, or validUntil is not later than the current one, in the future and at most 730 days ahead',
      summary: 'Extend a published offer',
      tag,
      callers: parties,
      params: { offerId: id('Offer id') },
      body: message(`${T}.RenewOfferRequest`, api.RenewOfferRequest),
      response: message(`${T}.RenewOfferResponse`, api.RenewOfferResponse),
      handler: ({ actor, params, body, request }) =>
        t.renewOffer({ ...body, offerId: params.offerId ?? '' }, callAs(actor, request)),
    }),
    route({
      method: 'get',
      path: '/v1/tech/offers/:offerId',
      operationId: 'getOffer',
      summary: 'An offer, as the caller may see it (an anonymous owner stays hidden)',
      tag,
      callers: everyone,
      params: { offerId: id('Offer id') },
      response: message(`${T}.GetOfferResponse`, api.GetOfferResponse),
      handler: ({ actor, params, request }) =>
        t.getOffer({ offerId: params.offerId ?? '' }, callAs(actor, request)),
    }),
    route({
      method: 'get',
      path: '/v1/tech/offers',
      operationId: 'searchOffers',
      summary: 'The technology marketplace: published offers the caller may see',
      tag,
      callers: everyone,
      query: {
        hs_prefix: { type: 'string', maxLength: 8, pattern: '^[0-9]*$', description: 'HS code prefix' },
        vsic_prefix: { type: 'string', maxLength: 5, pattern: '^[0-9]*$', description: 'VSIC code prefix' },
        min_trl: { type: 'integer', minimum: 1, maximum: 9, description: 'Lowest readiness level' },
        max_trl: { type: 'integer', minimum: 1, maximum: 9, description: 'Highest readiness level' },
        mode: { type: 'string', array: true, enum: mode.values, description: 'Any of these transfer modes' },
        cleaner_production: { type: 'boolean', description: 'Cleaner-production technology' },
        pollution_treatment: { type: 'boolean', description: 'Pollution-treatment technology' },
        owner_province: { type: 'string', array: true, description: 'Owners’ provinces' },
        owner_region: { type: 'string', array: true, description: 'Owners’ regions' },
        text: { type: 'string', maxLength: 200, description: 'Words of title, summary and keywords' },
        mine: { type: 'boolean', description: 'The caller’s own offers in any status (enterprises)' },
        ...pagingQuery,
      },
      response: message(`${T}.SearchOffersResponse`, api.SearchOffersResponse),
      handler: ({ actor, query, request }) =>
        t.searchOffers(
          {
            filter: api.OfferFilter.fromPartial({
              hsPrefix: String(query.hs_prefix ?? ''),
              vsicPrefix: String(query.vsic_prefix ?? ''),
              minReadinessLevel: Number(query.min_trl ?? 0),
              maxReadinessLevel: Number(query.max_trl ?? 0),
              transferModes: list(query.mode).map(mode.toProto),
              cleanerProduction: optionalBool(query.cleaner_production),
              pollutionTreatment: optionalBool(query.pollution_treatment),
              ownerProvinces: list(query.owner_province),
              ownerRegions: list(query.owner_region),
              text: String(query.text ?? ''),
              mine: query.mine === true,
            }),
            page: pageOf(query),
          },
          callAs(actor, request),
        ),
    }),
  ];
}
