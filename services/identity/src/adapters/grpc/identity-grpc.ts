import { identityServiceV1 as api } from '@lienket/contracts';
import {
  type Actor,
  AppError,
  type AsyncHandlers,
  actorFrom,
  bindService,
  type Logger,
  type ServiceBinding,
} from '@lienket/platform';
import type { Identity } from '../../app/identity';
import type { Caller } from '../../app/memberships';
import {
  accountToProto,
  auditToProto,
  delegationToProto,
  invitationToProto,
  kindFromProto,
  membershipToProto,
  organisationToProto,
  roleFromProto,
} from '../../app/to-proto';

export const IDENTITY_SERVICE_NAME = 'lienket.identity.v1.IdentityService';

const MAX_PAGE = 100;
const pageSize = (page: { pageSize: number } | undefined) =>
  Math.min(MAX_PAGE, page?.pageSize && page.pageSize > 0 ? page.pageSize : 50);

/** Every call needs a signed-in account (its `sub`), or a LienKet service / platform admin. */
function callerOf(actor: Actor): Caller {
  const trusted = actor.role === 'service' || actor.role === 'admin';
  if (actor.role === 'anonymous' || (!actor.subject && !trusted))
    throw new AppError('UNAUTHENTICATED', 'Sign in to do this', {
      messageVi: 'Vui lòng đăng nhập để thực hiện',
    });
  return { accountId: actor.subject, trusted };
}

const role = (value: number) => {
  const decoded = roleFromProto(value);
  if (!decoded) throw new AppError('INVALID_ARGUMENT', 'role is required', { messageVi: 'Cần chọn vai trò' });
  return decoded;
};

export function makeIdentityGrpc({
  identity,
  log,
  clock,
}: {
  identity: Identity;
  log: Logger;
  clock: () => Date;
}): ServiceBinding {
  const handlers: AsyncHandlers<typeof api.IdentityServiceService> = {
    async createOrganisation(request, { metadata }) {
      const kind = kindFromProto(request.kind);
      if (!kind)
        throw new AppError('INVALID_ARGUMENT', 'kind is required', { messageVi: 'Cần loại tổ chức' });
      const organisation = await identity.memberships.createOrganisation(callerOf(actorFrom(metadata)), {
        kind,
        name: request.name,
        provinceCode: request.provinceCode,
        enterpriseId: request.enterpriseId,
      });
      return { organisation: organisationToProto(organisation) };
    },
    async getOrganisation(request, { metadata }) {
      callerOf(actorFrom(metadata));
      const organisation = await identity.context.store.getOrganisation(request.organisationId);
      if (!organisation)
        throw new AppError('NOT_FOUND', 'No such organisation', { messageVi: 'Không tìm thấy tổ chức' });
      return { organisation: organisationToProto(organisation) };
    },
    async getMe(_request, { metadata }) {
      const caller = callerOf(actorFrom(metadata));
      const { account, standings } = await identity.memberships.me(caller.accountId);
      return {
        account: accountToProto(
          account,
          standings.map((s) => s.membership),
        ),
        organisations: standings.map((s) => organisationToProto(s.organisation)),
      };
    },
    async listOrganisationAccounts(request, { metadata }) {
      const limit = pageSize(request.page);
      const rows = await identity.memberships.accountsOf(
        callerOf(actorFrom(metadata)),
        request.organisationId,
        request.page?.pageToken ?? '',
        limit,
      );
      return {
        accounts: rows.map((r) => accountToProto(r.account, [r.membership])),
        page: {
          nextPageToken: rows.length === limit ? (rows.at(-1)?.membership.id ?? '') : '',
          totalSize: 0,
        },
      };
    },
    async changeMembershipRole(request, { metadata }) {
      const membership = await identity.memberships.changeRole(
        callerOf(actorFrom(metadata)),
        request.membershipId,
        role(request.role),
      );
      return { membership: membershipToProto(membership) };
    },
    async issueInvitation(request, { metadata }) {
      const { invitation, token } = await identity.invitations.issue(
        callerOf(actorFrom(metadata)).accountId,
        {
          organisationId: request.organisationId,
          role: role(request.role),
          invitedLogin: request.invitedLogin,
          ...(request.validDays ? { validDays: request.validDays } : {}),
        },
      );
      return { invitation: invitationToProto(invitation), linkToken: token };
    },
    async listInvitations(request, { metadata }) {
      const invitations = await identity.invitations.list(
        callerOf(actorFrom(metadata)).accountId,
        request.organisationId,
      );
      return { invitations: invitations.map(invitationToProto) };
    },
    async revokeInvitation(request, { metadata }) {
      const invitation = await identity.invitations.revoke(
        callerOf(actorFrom(metadata)).accountId,
        request.invitationId,
      );
      return { invitation: invitationToProto(invitation) };
    },
    async acceptInvitation(request, { metadata }) {
      const actor = actorFrom(metadata);
      const { membership } = await identity.invitations.accept(
        request.linkToken,
        actor.role !== 'anonymous' && actor.subject
          ? { callerId: actor.subject }
          : {
              account: { login: request.login, displayName: request.displayName, password: request.password },
            },
      );
      return { membership: membershipToProto(membership) };
    },
    async grantDelegation(request, { metadata }) {
      if (!request.endsAt)
        throw new AppError('INVALID_ARGUMENT', 'ends_at is required', { messageVi: 'Cần ngày kết thúc' });
      const delegation = await identity.delegations.grant(callerOf(actorFrom(metadata)).accountId, {
        organisationId: request.organisationId,
        delegateMembershipId: request.delegateMembershipId,
        endsAt: request.endsAt,
      });
      return { delegation: delegationToProto(delegation, clock()) };
    },
    async revokeDelegation(request, { metadata }) {
      const delegation = await identity.delegations.revoke(
        callerOf(actorFrom(metadata)).accountId,
        request.delegationId,
      );
      return { delegation: delegationToProto(delegation, clock()) };
    },
    async listDelegations(request, { metadata }) {
      const delegations = await identity.delegations.list(
        callerOf(actorFrom(metadata)).accountId,
        request.organisationId,
      );
      const now = clock();
      return { delegations: delegations.map((d) => delegationToProto(d, now)) };
    },
    async listAuditEntries(request, { metadata }) {
      const limit = pageSize(request.page);
      const entries = await identity.memberships.auditLog(
        callerOf(actorFrom(metadata)),
        request.organisationId,
        request.page?.pageToken ?? '',
        limit,
      );
      return {
        entries: entries.map(auditToProto),
        page: { nextPageToken: entries.length === limit ? (entries.at(-1)?.id ?? '') : '', totalSize: 0 },
      };
    },
  };
  return bindService(IDENTITY_SERVICE_NAME, api.IdentityServiceService, handlers, log);
}
