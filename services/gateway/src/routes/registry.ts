import { enumCodec, registryServiceV1 as reg, registryV1 } from '@lienket/contracts';
import { list, message, optionalBool, type ParamSpec, pageOf, pagingQuery, route } from '../http/api';
import { callAs, type ServiceClients } from './clients';

const R = 'lienket.registry.v1';
const kind = enumCodec<string>(registryV1.EnterpriseKind, 'ENTERPRISE_KIND');
const category = enumCodec<string>(registryV1.NeedCategory, 'NEED_CATEGORY');
const postingKind = enumCodec<string>(reg.PostingKind, 'POSTING_KIND');

const id = (description: string): ParamSpec => ({
  type: 'string',
  description,
  maxLength: 64,
  pattern: '^[A-Za-z0-9_.:-]+$',
});
const snake = (path: string) => path.trim().replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
/** The read cache's key of an enterprise's public profile. */
export const enterpriseKey = (params: Record<string, string>) => `enterprise:${params.enterpriseId ?? ''}`;
const everyone = ['anonymous', 'enterprise', 'province', 'analyst', 'admin'] as const;
const signedIn = ['enterprise', 'province', 'analyst', 'admin'] as const;

export function registryRoutes({ registry }: ServiceClients) {
  return [
    route({
      method: 'post',
      path: '/v1/enterprises',
      operationId: 'registerEnterprise',
      creates: { id: '/enterprise/id', params: ['enterpriseId'] },
      unprocessable:
        "The tax code's check digit is wrong (mod 11 over weighted digits: no pattern states it)",
      // A new establishment signs up through the identity service; the registry refuses enterprise tokens here.
      summary: 'Register an enterprise (an officer: of its own province; establishments sign up themselves)',
      tag: 'registry',
      callers: ['province', 'admin'],
      body: message(`${R}.EnterpriseInput`, reg.EnterpriseInput),
      bodyField: 'enterprise',
      response: message(`${R}.RegisterEnterpriseResponse`, reg.RegisterEnterpriseResponse),
      status: 201,
      handler: ({ actor, body, request }) =>
        registry.registerEnterprise({ enterprise: body }, callAs(actor, request)),
    }),
    route({
      method: 'get',
      path: '/v1/enterprises',
      operationId: 'searchEnterprises',
      summary: 'Browse enterprises with filters and facet counts',
      tag: 'registry',
      callers: everyone,
      query: {
        province: { type: 'string', array: true, description: 'Current province codes' },
        region: { type: 'string', array: true, description: 'Region codes' },
        vsic_prefix: { type: 'string', maxLength: 5, pattern: '^[0-9]*$', description: 'VSIC code prefix' },
        kind: { type: 'string', array: true, enum: kind.values, description: 'Enterprise kinds' },
        recognition: { type: 'string', array: true, description: 'Recognitions it must all hold, e.g. OCOP' },
        verified: { type: 'boolean', description: 'Only verified (true) or not verified (false)' },
        supporting_industry: { type: 'boolean', description: 'Supporting-industry firms' },
        lead_firm: { type: 'boolean', description: 'Lead firms' },
        text: { type: 'string', maxLength: 200, description: 'Words of the name, diacritics-insensitive' },
        facet: {
          type: 'string',
          array: true,
          enum: [
            'province',
            'region',
            'kind',
            'vsic_division',
            'recognition',
            'verified',
            'supporting_industry',
          ],
          description: 'Facets to count',
        },
        ...pagingQuery,
      },
      response: message(`${R}.SearchEnterprisesResponse`, reg.SearchEnterprisesResponse),
      handler: ({ actor, query, request }) =>
        registry.searchEnterprises(
          {
            filter: reg.EnterpriseFilter.fromPartial({
              provinceCodes: list(query.province),
              regions: list(query.region),
              vsicPrefix: String(query.vsic_prefix ?? ''),
              kinds: list(query.kind).map(kind.toProto),
              recognitions: list(query.recognition),
              verified: optionalBool(query.verified),
              supportingIndustry: optionalBool(query.supporting_industry),
              leadFirm: optionalBool(query.lead_firm),
              text: String(query.text ?? ''),
            }),
            page: pageOf(query),
            facets: list(query.facet),
          },
          callAs(actor, request),
        ),
    }),
    route({
      method: 'get',
      path: '/v1/enterprises/:enterpriseId',
      operationId: 'getEnterprise',
      summary: 'An enterprise’s public profile (no contact data)',
      tag: 'registry',
      callers: everyone,
      params: { enterpriseId: id('Enterprise id') },
      response: message(`${R}.GetEnterpriseResponse`, reg.GetEnterpriseResponse),
      cacheKey: enterpriseKey,
      handler: ({ actor, params, request }) =>
        registry.getEnterprise({ enterpriseId: params.enterpriseId ?? '' }, callAs(actor, request)),
    }),
    route({
      method: 'patch',
      path: '/v1/enterprises/:enterpriseId',
      operationId: 'updateEnterprise',
      unprocessable:
        'The fields updateMask names, checked with the stored profile, break a rule (e.g. a named field left out of the body), or the enterprise changed meanwhile',
      summary: 'Change the fields named in updateMask (e.g. "address,vsicCodes")',
      tag: 'registry',
      callers: ['enterprise', 'admin'],
      params: { enterpriseId: id('Enterprise id') },
      body: message(`${R}.UpdateEnterpriseRequest`, reg.UpdateEnterpriseRequest),
      response: message(`${R}.UpdateEnterpriseResponse`, reg.UpdateEnterpriseResponse),
      cacheKey: enterpriseKey,
      handler: ({ actor, params, body, request }) =>
        registry.updateEnterprise(
          {
            ...body,
            enterpriseId: params.enterpriseId ?? '',
            updateMask: (body.updateMask ?? []).map(snake),
          },
          callAs(actor, request),
        ),
    }),
    route({
      method: 'post',
      path: '/v1/enterprises/:enterpriseId/verification',
      operationId: 'verifyEnterprise',
      unprocessable:
        'The enterprise is already verified or rejected (it is reviewed again after a change of name or province)',
      summary: 'Verify or reject an enterprise (an officer of its province)',
      tag: 'registry',
      callers: ['province'],
      params: { enterpriseId: id('Enterprise id') },
      body: message(`${R}.VerifyEnterpriseRequest`, reg.VerifyEnterpriseRequest),
      response: message(`${R}.VerifyEnterpriseResponse`, reg.VerifyEnterpriseResponse),
      cacheKey: enterpriseKey,
      handler: ({ actor, params, body, request }) =>
        registry.verifyEnterprise(
          { ...body, enterpriseId: params.enterpriseId ?? '' },
          callAs(actor, request),
        ),
    }),
    route({
      method: 'put',
      path: '/v1/enterprises/:enterpriseId/lead-firm',
      operationId: 'setLeadFirm',
      unprocessable: 'Only a verified enterprise can be a lead firm',
      summary: 'Designate (or withdraw) a lead firm (an officer of its province)',
      tag: 'registry',
      callers: ['province'],
      params: { enterpriseId: id('Enterprise id') },
      body: message(`${R}.SetLeadFirmRequest`, reg.SetLeadFirmRequest),
      response: message(`${R}.SetLeadFirmResponse`, reg.SetLeadFirmResponse),
      cacheKey: enterpriseKey,
      handler: ({ actor, params, body, request }) =>
        registry.setLeadFirm({ ...body, enterpriseId: params.enterpriseId ?? '' }, callAs(actor, request)),
    }),
    route({
      method: 'get',
      path: '/v1/enterprises/:enterpriseId/contact',
      operationId: 'getContact',
      summary:
        'The contact: for itself, its province’s officers, admins, and the counterpart of an established match',
      tag: 'registry',
      callers: ['enterprise', 'province', 'admin'],
      params: { enterpriseId: id('Enterprise id') },
      query: { match_id: id('The established match (proposal) that releases the contact') },
      response: message(`${R}.GetContactResponse`, reg.GetContactResponse),
      handler: ({ actor, params, query, request }) =>
        registry.getContact(
          { enterpriseId: params.enterpriseId ?? '', matchId: String(query.match_id ?? '') },
          callAs(actor, request),
        ),
    }),
    route({
      method: 'post',
      path: '/v1/capabilities',
      operationId: 'postCapability',
      creates: { id: '/capability/id', params: ['capabilityId', 'postingId'] },
      unprocessable:
        "validUntil is not in the future or is more than 730 days ahead, a price band's minimum exceeds its maximum, or the enterprise was rejected",
      summary: 'Post what an enterprise can supply',
      tag: 'registry',
      callers: ['enterprise', 'admin'],
      body: message(`${R}.CapabilityInput`, reg.CapabilityInput),
      bodyField: 'capability',
      response: message(`${R}.PostCapabilityResponse`, reg.PostCapabilityResponse),
      status: 201,
      handler: ({ actor, body, request }) =>
        registry.postCapability({ capability: body }, callAs(actor, request)),
    }),
    route({
      method: 'post',
      path: '/v1/capabilities/:capabilityId/withdrawal',
      operationId: 'withdrawCapability',
      unprocessable: 'The capability is not open',
      summary: 'Withdraw a capability (its open proposals are retracted)',
      tag: 'registry',
      callers: ['enterprise', 'admin'],
      params: { capabilityId: id('Capability id') },
      body: message(`${R}.WithdrawCapabilityRequest`, reg.WithdrawCapabilityRequest),
      response: message(`${R}.WithdrawCapabilityResponse`, reg.WithdrawCapabilityResponse),
      handler: ({ actor, params, body, request }) =>
        registry.withdrawCapability(
          { ...body, capabilityId: params.capabilityId ?? '' },
          callAs(actor, request),
        ),
    }),
    route({
      method: 'post',
      path: '/v1/capabilities/:capabilityId/renewal',
      operationId: 'renewCapability',
      unprocessable:
        'The capability is not open, or its renewal window (30 days before expiry) has not opened',
      summary: 'Renew a capability before it expires',
      tag: 'registry',
      callers: ['enterprise', 'admin'],
      params: { capabilityId: id('Capability id') },
      response: message(`${R}.RenewCapabilityResponse`, reg.RenewCapabilityResponse),
      handler: ({ actor, params, request }) =>
        registry.renewCapability({ capabilityId: params.capabilityId ?? '' }, callAs(actor, request)),
    }),
    route({
      method: 'post',
      path: '/v1/needs',
      operationId: 'postNeed',
      creates: { id: '/need/id', params: ['needId', 'postingId'] },
      unprocessable:
        "deadline or validUntil is not in the future (validUntil at most 730 days ahead), a budget's minimum exceeds its maximum, or the enterprise was rejected",
      summary: 'Post what an enterprise needs; matching proposes suppliers',
      tag: 'registry',
      callers: ['enterprise', 'admin'],
      body: message(`${R}.NeedInput`, reg.NeedInput),
      bodyField: 'need',
      response: message(`${R}.PostNeedResponse`, reg.PostNeedResponse),
      status: 201,
      handler: ({ actor, body, request }) => registry.postNeed({ need: body }, callAs(actor, request)),
    }),
    route({
      method: 'post',
      path: '/v1/needs/:needId/closure',
      operationId: 'closeNeed',
      unprocessable: 'The need is not open',
      summary: 'Close a need',
      tag: 'registry',
      callers: ['enterprise', 'admin'],
      params: { needId: id('Need id') },
      body: message(`${R}.CloseNeedRequest`, reg.CloseNeedRequest),
      response: message(`${R}.CloseNeedResponse`, reg.CloseNeedResponse),
      handler: ({ actor, params, body, request }) =>
        registry.closeNeed({ ...body, needId: params.needId ?? '' }, callAs(actor, request)),
    }),
    route({
      method: 'post',
      path: '/v1/needs/:needId/fulfilment',
      operationId: 'fulfilNeed',
      unprocessable: 'The need is not open',
      summary: 'Mark a need fulfilled',
      tag: 'registry',
      callers: ['enterprise', 'admin'],
      params: { needId: id('Need id') },
      response: message(`${R}.FulfilNeedResponse`, reg.FulfilNeedResponse),
      handler: ({ actor, params, request }) =>
        registry.fulfilNeed({ needId: params.needId ?? '' }, callAs(actor, request)),
    }),
    route({
      method: 'get',
      path: '/v1/postings/:postingId',
      operationId: 'getPosting',
      summary: 'A capability or a need',
      tag: 'registry',
      callers: everyone,
      params: { postingId: id('Capability or need id') },
      response: message(`${R}.GetPostingResponse`, reg.GetPostingResponse),
      handler: ({ actor, params, request }) =>
        registry.getPosting({ postingId: params.postingId ?? '' }, callAs(actor, request)),
    }),
    route({
      method: 'get',
      path: '/v1/postings',
      operationId: 'searchPostings',
      summary: 'Browse open capabilities or needs with filters and facet counts',
      tag: 'registry',
      callers: everyone,
      query: {
        kind: { type: 'string', enum: postingKind.values, description: 'capability or need', required: true },
        province: { type: 'string', array: true, description: 'Current province codes' },
        region: { type: 'string', array: true, description: 'Region codes' },
        vsic_prefix: { type: 'string', maxLength: 5, pattern: '^[0-9]*$', description: 'VSIC code prefix' },
        hs_prefix: { type: 'string', maxLength: 8, pattern: '^[0-9]*$', description: 'HS code prefix' },
        category: { type: 'string', array: true, enum: category.values, description: 'Need categories' },
        enterprise_id: id('Only this enterprise’s postings'),
        include_closed: { type: 'boolean', description: 'Closed, withdrawn and expired ones too' },
        text: { type: 'string', maxLength: 200, description: 'Words of title and description' },
        certification: { type: 'string', array: true, description: 'Certifications, e.g. ISO_9001' },
        facet: {
          type: 'string',
          array: true,
          enum: ['province', 'region', 'category', 'status', 'vsic_division', 'hs_chapter', 'certification'],
          description: 'Facets to count',
        },
        ...pagingQuery,
      },
      response: message(`${R}.SearchPostingsResponse`, reg.SearchPostingsResponse),
      handler: ({ actor, query, request }) =>
        registry.searchPostings(
          {
            filter: reg.PostingFilter.fromPartial({
              kind: postingKind.toProto(String(query.kind)),
              provinceCodes: list(query.province),
              regions: list(query.region),
              vsicPrefix: String(query.vsic_prefix ?? ''),
              hsPrefix: String(query.hs_prefix ?? ''),
              categories: list(query.category).map(category.toProto),
              enterpriseId: String(query.enterprise_id ?? ''),
              includeClosed: query.include_closed === true,
              text: String(query.text ?? ''),
              certifications: list(query.certification),
            }),
            page: pageOf(query),
            facets: list(query.facet),
          },
          callAs(actor, request),
        ),
    }),
    route({
      method: 'post',
      path: '/v1/clusters',
      operationId: 'formCluster',
      creates: { id: '/cluster/id', params: ['clusterId'] },
      summary: 'Form a value-chain cluster around an anchor enterprise',
      tag: 'registry',
      callers: ['enterprise', 'province', 'admin'],
      body: message(`${R}.FormClusterRequest`, reg.FormClusterRequest),
      response: message(`${R}.FormClusterResponse`, reg.FormClusterResponse),
      status: 201,
      handler: ({ actor, body, request }) => registry.formCluster(body, callAs(actor, request)),
    }),
    route({
      method: 'get',
      path: '/v1/clusters/:clusterId',
      operationId: 'getCluster',
      summary: 'A cluster and its members',
      tag: 'registry',
      callers: everyone,
      params: { clusterId: id('Cluster id') },
      response: message(`${R}.GetClusterResponse`, reg.GetClusterResponse),
      handler: ({ actor, params, request }) =>
        registry.getCluster({ clusterId: params.clusterId ?? '' }, callAs(actor, request)),
    }),
    route({
      method: 'post',
      path: '/v1/clusters/:clusterId/members',
      operationId: 'joinCluster',
      summary: 'Join a cluster',
      tag: 'registry',
      callers: ['enterprise', 'province', 'admin'],
      params: { clusterId: id('Cluster id') },
      body: message(`${R}.JoinClusterRequest`, reg.JoinClusterRequest),
      response: message(`${R}.JoinClusterResponse`, reg.JoinClusterResponse),
      handler: ({ actor, params, body, request }) =>
        registry.joinCluster({ ...body, clusterId: params.clusterId ?? '' }, callAs(actor, request)),
    }),
    route({
      method: 'delete',
      path: '/v1/clusters/:clusterId/members/:enterpriseId',
      operationId: 'leaveCluster',
      unprocessable: 'The anchor enterprise cannot leave its cluster',
      summary: 'Leave a cluster',
      tag: 'registry',
      callers: ['enterprise', 'province', 'admin'],
      params: { clusterId: id('Cluster id'), enterpriseId: id('Member enterprise id') },
      response: message(`${R}.LeaveClusterResponse`, reg.LeaveClusterResponse),
      handler: ({ actor, params, request }) =>
        registry.leaveCluster(
          { clusterId: params.clusterId ?? '', enterpriseId: params.enterpriseId ?? '' },
          callAs(actor, request),
        ),
    }),
  ];
}

export { signedIn };
