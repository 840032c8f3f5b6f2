import { AppError } from '@lienket/platform';
import { requireMayAssign } from '../domain/invitations';
import type { MembershipRole, Organisation } from '../domain/model';
import { newOrganisation, type OrganisationInput } from '../domain/organisations';
import { audit, Events, event, type IdentityContext, standingsOf } from './context';
import { kindToProto, membershipToProto, roleToProto } from './to-proto';

/** Callers the gateway forwards: an account (its `sub`) with the gateway's role. */
export interface Caller {
  accountId: string;
  /** LienKet services and platform admins (dev tokens) may bootstrap organisations. */
  trusted: boolean;
}

const denied = () =>
  new AppError('PERMISSION_DENIED', 'Not an administrator of this organisation', {
    messageVi: 'Bạn không quản trị tổ chức này',
  });

export function makeMemberships(ctx: IdentityContext) {
  async function isAdministratorOf(caller: Caller, organisation: Organisation) {
    if (caller.trusted) return true;
    const standings = await standingsOf(ctx, caller.accountId);
    return standings.some(
      (s) =>
        (s.organisation.id === organisation.id &&
          ['province_admin', 'ministry_admin', 'enterprise_owner'].includes(s.membership.role)) ||
        s.membership.role === 'ministry_admin',
    );
  }

  async function createOrganisation(caller: Caller, input: OrganisationInput) {
    const standings = await standingsOf(ctx, caller.accountId);
    const ministry = standings.some((s) => s.membership.role === 'ministry_admin');
    if (!caller.trusted && !ministry) throw denied();
    if (input.kind === 'enterprise' && !caller.trusted)
      throw new AppError('PERMISSION_DENIED', 'Enterprises join through sign-up', {
        messageVi: 'Doanh nghiệp tham gia bằng cách tự đăng ký',
      });
    const id = input.kind === 'enterprise' ? `enterprise:${input.enterpriseId}` : ctx.newId();
    return ctx.store.upsertOrganisation(newOrganisation(input, id, ctx.clock()));
  }

  async function accountsOf(caller: Caller, organisationId: string, after: string, limit: number) {
    const organisation = await ctx.store.getOrganisation(organisationId);
    if (!organisation)
      throw new AppError('NOT_FOUND', 'No such organisation', { messageVi: 'Không tìm thấy tổ chức' });
    if (!(await isAdministratorOf(caller, organisation))) throw denied();
    const memberships = await ctx.store.membershipsOfOrganisation(organisationId, after, limit);
    const accounts = new Map(
      (await ctx.store.getAccounts(memberships.map((m) => m.accountId))).map((a) => [a.id, a]),
    );
    return memberships.flatMap((m) => {
      const account = accounts.get(m.accountId);
      return account ? [{ account, membership: m }] : [];
    });
  }

  async function changeRole(caller: Caller, membershipId: string, role: MembershipRole) {
    const membership = await ctx.store.getMembership(membershipId);
    const organisation = membership && (await ctx.store.getOrganisation(membership.organisationId));
    if (!membership || !organisation)
      throw new AppError('NOT_FOUND', 'No such membership', { messageVi: 'Không có thành viên này' });
    if (membership.accountId === caller.accountId)
      throw new AppError('PERMISSION_DENIED', 'You cannot change your own role', {
        messageVi: 'Không thể tự đổi vai trò của mình',
      });
    const standings = await standingsOf(ctx, caller.accountId);
    // Both the old and the new role must be the caller's to give.
    if (!caller.trusted) {
      requireMayAssign(standings, organisation, membership.role);
      requireMayAssign(standings, organisation, role);
    }
    const changed = { ...membership, role };
    const ok = await ctx.store.changeRole(membership.id, membership.role, role, [
      event(
        ctx,
        Events.membershipChanged,
        {
          membership: membershipToProto(changed),
          organisationKind: kindToProto(organisation.kind),
          provinceCode: organisation.provinceCode,
          enterpriseId: organisation.enterpriseId,
          previousRole: roleToProto(membership.role),
          changedBy: caller.accountId,
        },
        organisation.id,
      ),
    ]);
    if (!ok)
      throw new AppError('FAILED_PRECONDITION', 'The role changed meanwhile; reload', {
        messageVi: 'Vai trò vừa được đổi; hãy tải lại',
      });
    ctx.afterWrite?.();
    await audit(ctx, 'role.changed', {
      actorAccountId: caller.accountId,
      subjectAccountId: membership.accountId,
      organisationId: organisation.id,
      detail: `${membership.role}→${role}`,
    });
    return changed;
  }

  async function me(accountId: string) {
    const account = await ctx.store.getAccount(accountId);
    if (!account) throw new AppError('NOT_FOUND', 'No such account', { messageVi: 'Không có tài khoản này' });
    return { account, standings: await standingsOf(ctx, accountId) };
  }

  async function auditLog(caller: Caller, organisationId: string, before: string, limit: number) {
    if (!organisationId) {
      if (
        !caller.trusted &&
        !(await standingsOf(ctx, caller.accountId)).some((s) => s.membership.role === 'ministry_admin')
      )
        throw denied();
      return ctx.store.listAudit({}, before, limit);
    }
    const organisation = await ctx.store.getOrganisation(organisationId);
    if (!organisation || !(await isAdministratorOf(caller, organisation))) throw denied();
    return ctx.store.listAudit({ organisationId }, before, limit);
  }

  return { createOrganisation, accountsOf, changeRole, me, auditLog, isAdministratorOf };
}

export async function signOutEverywhere(ctx: IdentityContext, accountId: string) {
  await ctx.store.markSessionsRevoked(accountId, ctx.clock());
  await audit(ctx, 'sign_out.everywhere', { actorAccountId: accountId });
}
