import { AppError } from '@lienket/platform';
import { claimsForDelegation } from '../domain/claims';
import { grantDelegation, requireMayRevoke, requireUsableDelegation } from '../domain/delegations';
import type { Delegation } from '../domain/model';
import { audit, Events, event, type IdentityContext, standingsOf } from './context';
import { delegationToProto } from './to-proto';

const missing = () =>
  new AppError('NOT_FOUND', 'No such delegation', {
    messageVi: 'Không có ủy quyền này',
    code: 'NO_DELEGATION',
  });

export function makeDelegations(ctx: IdentityContext) {
  async function grant(
    callerId: string,
    input: { organisationId: string; delegateMembershipId: string; endsAt: Date },
  ) {
    const enterprise = await ctx.store.getOrganisation(input.organisationId);
    const owner = (await standingsOf(ctx, callerId)).find((s) => s.organisation.id === input.organisationId);
    const delegate = await ctx.store.getMembership(input.delegateMembershipId);
    const delegateOrganisation = delegate && (await ctx.store.getOrganisation(delegate.organisationId));
    if (!enterprise || !owner)
      throw new AppError('PERMISSION_DENIED', 'Only an owner of the establishment may delegate', {
        code: 'NOT_OWNER',
        messageVi: 'Chỉ chủ cơ sở mới được ủy quyền',
      });
    if (!delegate || !delegateOrganisation)
      throw new AppError('NOT_FOUND', 'No such officer', { messageVi: 'Không tìm thấy cán bộ này' });
    const now = ctx.clock();
    const delegation = grantDelegation(
      {
        id: ctx.newId(),
        owner: owner.membership,
        enterprise,
        delegate,
        delegateOrganisation,
        endsAt: input.endsAt,
      },
      now,
    );
    await ctx.store.insertDelegation(delegation, [
      event(
        ctx,
        Events.delegationGranted,
        { delegation: delegationToProto(delegation, now) },
        delegation.enterpriseId,
      ),
    ]);
    ctx.afterWrite?.();
    await audit(ctx, 'delegation.granted', {
      actorAccountId: callerId,
      subjectAccountId: delegation.delegateAccountId,
      organisationId: enterprise.id,
      onBehalfOf: delegation.enterpriseId,
      detail: `until ${delegation.endsAt.toISOString()}`,
    });
    return delegation;
  }

  async function revoke(callerId: string, delegationId: string): Promise<Delegation> {
    const delegation = await ctx.store.getDelegation(delegationId);
    if (!delegation) throw missing();
    const owner = (await standingsOf(ctx, callerId)).some(
      (s) => s.organisation.id === delegation.organisationId && s.membership.role === 'enterprise_owner',
    );
    requireMayRevoke(delegation, callerId, owner);
    const now = ctx.clock();
    const revoked = await ctx.store.revokeDelegation(delegation.id, callerId, now, [
      event(
        ctx,
        Events.delegationRevoked,
        {
          delegationId: delegation.id,
          enterpriseId: delegation.enterpriseId,
          revokedBy: callerId,
          revokedAt: now,
        },
        delegation.enterpriseId,
      ),
    ]);
    if (!revoked) return delegation;
    ctx.afterWrite?.();
    await audit(ctx, 'delegation.revoked', {
      actorAccountId: callerId,
      subjectAccountId: delegation.delegateAccountId,
      organisationId: delegation.organisationId,
      onBehalfOf: delegation.enterpriseId,
    });
    return { ...delegation, revokedAt: now, revokedBy: callerId };
  }

  /** An establishment's delegations for its members; without an organisation, those granted to the caller. */
  async function list(callerId: string, organisationId: string) {
    if (!organisationId) return ctx.store.delegationsOfDelegate(callerId);
    const member = (await standingsOf(ctx, callerId)).some((s) => s.organisation.id === organisationId);
    if (!member)
      throw new AppError('PERMISSION_DENIED', 'Not a member of this establishment', {
        messageVi: 'Bạn không thuộc cơ sở này',
      });
    return ctx.store.delegationsOfOrganisation(organisationId);
  }

  /**
   * The claims of a token for an officer acting under a delegation, checked now (ended, revoked
   * and someone else's delegations are refused); each use is audited with "on behalf of".
   */
  async function actAs(officerId: string, delegationId: string) {
    const now = ctx.clock();
    const delegation = requireUsableDelegation(await ctx.store.getDelegation(delegationId), officerId, now);
    await audit(ctx, 'delegation.used', {
      actorAccountId: officerId,
      subjectAccountId: delegation.grantedBy,
      organisationId: delegation.organisationId,
      onBehalfOf: delegation.enterpriseId,
    });
    return claimsForDelegation(delegation, officerId);
  }

  return { grant, revoke, list, actAs };
}
