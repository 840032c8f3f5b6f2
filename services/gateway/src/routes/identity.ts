import { identityServiceV1 as ids } from '@lienket/contracts';
import { message, type ParamSpec, route } from '../http/api';
import { callAs, type ServiceClients } from './clients';

const I = 'lienket.identity.v1';
const tag = 'identity';
const id = (description: string): ParamSpec => ({
  type: 'string',
  description,
  maxLength: 64,
  pattern: '^[A-Za-z0-9_.:-]+$',
});

/**
 * The identity service's invitations and delegations, for the portal's officer and enterprise pages. The
 * identity service decides who may do what from the caller's memberships (the token's `sub` is the
 * account), so every signed-in role may ask and the service refuses what its rules refuse.
 */
export function identityRoutes({ identity }: ServiceClients) {
  if (!identity) return [];
  const signedIn = ['enterprise', 'province', 'analyst', 'admin'] as const;
  return [
    route({
      method: 'get',
      path: '/v1/invitations',
      operationId: 'listInvitations',
      summary: 'Invitations into an organisation (its administrators)',
      tag,
      callers: signedIn,
      query: { organisation_id: { ...id('The organisation (the token’s org_id)'), required: true } },
      response: message(`${I}.ListInvitationsResponse`, ids.ListInvitationsResponse),
      handler: ({ actor, query, request }) =>
        identity.listInvitations({ organisationId: String(query.organisation_id) }, callAs(actor, request)),
    }),
    route({
      method: 'post',
      path: '/v1/invitations',
      operationId: 'issueInvitation',
      summary:
        'Invite someone into an organisation: a province administrator its officers, the ministry’s department province administrators, an owner its members. The link token is returned once',
      tag,
      callers: signedIn,
      status: 201,
      body: message(`${I}.IssueInvitationRequest`, ids.IssueInvitationRequest),
      response: message(`${I}.IssueInvitationResponse`, ids.IssueInvitationResponse),
      creates: { id: '/invitation/invitationId', params: ['invitationId'] },
      handler: ({ actor, body, request }) => identity.issueInvitation(body, callAs(actor, request)),
    }),
    route({
      method: 'post',
      path: '/v1/invitations/:invitationId/revocation',
      operationId: 'revokeInvitation',
      unprocessable: 'The invitation was accepted or revoked already',
      summary: 'Revoke a pending invitation',
      tag,
      callers: signedIn,
      params: { invitationId: id('Invitation id') },
      response: message(`${I}.RevokeInvitationResponse`, ids.RevokeInvitationResponse),
      handler: ({ actor, params, request }) =>
        identity.revokeInvitation({ invitationId: params.invitationId ?? '' }, callAs(actor, request)),
    }),
    route({
      method: 'get',
      path: '/v1/delegations',
      operationId: 'listDelegations',
      summary:
        'Delegations an establishment granted (organisation_id, for its members), else those granted to the caller',
      tag,
      callers: signedIn,
      query: { organisation_id: id('The establishment’s organisation; absent: the caller’s own') },
      response: message(`${I}.ListDelegationsResponse`, ids.ListDelegationsResponse),
      handler: ({ actor, query, request }) =>
        identity.listDelegations(
          { organisationId: String(query.organisation_id ?? '') },
          callAs(actor, request),
        ),
    }),
    route({
      method: 'post',
      path: '/v1/delegations/:delegationId/revocation',
      operationId: 'revokeDelegation',
      unprocessable: 'The delegation ended or was revoked already',
      summary: 'Revoke a delegation (the establishment’s owners, or the officer who holds it)',
      tag,
      callers: signedIn,
      params: { delegationId: id('Delegation id') },
      response: message(`${I}.RevokeDelegationResponse`, ids.RevokeDelegationResponse),
      handler: ({ actor, params, request }) =>
        identity.revokeDelegation({ delegationId: params.delegationId ?? '' }, callAs(actor, request)),
    }),
  ];
}
