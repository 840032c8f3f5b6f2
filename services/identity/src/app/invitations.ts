import { createHash, randomBytes } from 'node:crypto';
import { identityV1 } from '@lienket/contracts';
import { AppError } from '@lienket/platform';
import { validateAccountInput } from '../domain/accounts';
import { issueInvitation, requireMayAssign, requireUsableInvitation } from '../domain/invitations';
import { parseLogin } from '../domain/login';
import type { Account, Membership, MembershipRole } from '../domain/model';
import { audit, Events, event, type IdentityContext, standingsOf } from './context';
import { kindToProto, membershipToProto } from './to-proto';

/** Links carry 32 random bytes; the store keeps only their SHA-256. */
export const hashLinkToken = (token: string) => createHash('sha256').update(token).digest('base64url');

const notFound = () =>
  new AppError('NOT_FOUND', 'No such organisation', {
    messageVi: 'Không tìm thấy tổ chức',
    code: 'NO_ORGANISATION',
  });

export function makeInvitations(ctx: IdentityContext) {
  async function issue(
    callerId: string,
    input: { organisationId: string; role: MembershipRole; invitedLogin: string; validDays?: number },
  ) {
    const target = await ctx.store.getOrganisation(input.organisationId);
    if (!target) throw notFound();
    const invitedLogin = parseLogin(input.invitedLogin);
    if (!invitedLogin)
      throw new AppError('INVALID_ARGUMENT', 'Enter the invitee’s email or mobile number', {
        code: 'INVALID_LOGIN',
        messageVi: 'Nhập email hoặc số điện thoại của người được mời',
      });
    const token = randomBytes(32).toString('base64url');
    const invitation = issueInvitation(
      await standingsOf(ctx, callerId),
      {
        id: ctx.newId(),
        target,
        role: input.role,
        invitedLogin,
        tokenHash: hashLinkToken(token),
        ...(input.validDays ? { validDays: input.validDays } : {}),
      },
      ctx.clock(),
    );
    await ctx.store.insertInvitation(invitation);
    await audit(ctx, 'invitation.issued', {
      actorAccountId: callerId,
      organisationId: target.id,
      detail: input.role,
    });
    return { invitation, token };
  }

  async function list(callerId: string, organisationId: string) {
    const target = await ctx.store.getOrganisation(organisationId);
    if (!target) throw notFound();
    const standings = await standingsOf(ctx, callerId);
    // Whoever may invite into the organisation sees its invitations.
    const roles: MembershipRole[] = [
      'province_officer',
      'province_admin',
      'commune_officer',
      'enterprise_member',
      'analyst',
    ];
    if (
      !roles.some((role) => {
        try {
          requireMayAssign(standings, target, role);
          return true;
        } catch {
          return false;
        }
      })
    )
      throw new AppError('PERMISSION_DENIED', 'Not an administrator of this organisation', {
        messageVi: 'Bạn không quản trị tổ chức này',
      });
    return ctx.store.invitationsOf(organisationId);
  }

  async function revoke(callerId: string, invitationId: string) {
    const invitation = await ctx.store.getInvitation(invitationId);
    const target = invitation && (await ctx.store.getOrganisation(invitation.organisationId));
    if (!invitation || !target)
      throw new AppError('NOT_FOUND', 'No such invitation', { messageVi: 'Không có lời mời này' });
    requireMayAssign(await standingsOf(ctx, callerId), target, invitation.role);
    if (!(await ctx.store.closeInvitation(invitation.id, 'revoked', callerId, ctx.clock())))
      throw new AppError('FAILED_PRECONDITION', 'The invitation is no longer pending', {
        messageVi: 'Lời mời không còn chờ chấp nhận',
      });
    return { ...invitation, status: 'revoked' as const };
  }

  /**
   * Uses a link once: a signed-in caller gets the role on their own account; otherwise a new
   * account is made from `account`. The conditional close is what makes the link single-use.
   */
  async function accept(
    token: string,
    who: { callerId: string } | { account: { login: string; displayName: string; password: string } },
  ): Promise<{ membership: Membership; account: Account }> {
    const now = ctx.clock();
    const invitation = requireUsableInvitation(
      await ctx.store.findInvitationByTokenHash(hashLinkToken(token)),
      now,
    );
    const organisation = await ctx.store.getOrganisation(invitation.organisationId);
    if (!organisation) throw notFound();
    let account: Account | undefined;
    let created = false;
    if ('callerId' in who) account = await ctx.store.getAccount(who.callerId);
    else {
      const valid = validateAccountInput(who.account);
      account = {
        id: ctx.newId(),
        login: valid.login,
        displayName: valid.displayName,
        passwordHash: await ctx.hasher.hash(valid.password),
        createdAt: now,
        disabled: false,
      };
    }
    if (!account)
      throw new AppError('UNAUTHENTICATED', 'Sign in again', { messageVi: 'Vui lòng đăng nhập lại' });
    if (!(await ctx.store.closeInvitation(invitation.id, 'accepted', account.id, now)))
      requireUsableInvitation(undefined, now);
    if (!('callerId' in who)) {
      try {
        await ctx.store.insertAccount(account, []);
        created = true;
      } catch (error) {
        // The link is spent either way; a taken login gets the generic validation answer.
        if (error instanceof AppError && error.code === 'LOGIN_TAKEN')
          throw new AppError(
            'FAILED_PRECONDITION',
            'Could not create the account: sign in, then open the link again',
            {
              code: 'ACCOUNT_NOT_CREATED',
              messageVi: 'Không tạo được tài khoản: hãy đăng nhập rồi mở lại liên kết',
            },
          );
        throw error;
      }
    }
    const membership: Membership = {
      id: `${account.id}:${organisation.id}`,
      accountId: account.id,
      organisationId: organisation.id,
      role: invitation.role,
      createdAt: now,
      grantedBy: invitation.issuedBy,
    };
    const events = [
      event(
        ctx,
        Events.membershipChanged,
        {
          membership: membershipToProto(membership),
          organisationKind: kindToProto(organisation.kind),
          provinceCode: organisation.provinceCode,
          enterpriseId: organisation.enterpriseId,
          previousRole: identityV1.MembershipRole.MEMBERSHIP_ROLE_UNSPECIFIED,
          changedBy: invitation.issuedBy,
        },
        organisation.id,
      ),
    ];
    if (created)
      events.unshift(
        event(
          ctx,
          Events.accountRegistered,
          {
            accountId: account.id,
            registeredAt: now,
            organisationId: organisation.id,
            enterpriseId: organisation.enterpriseId,
          },
          account.id,
        ),
      );
    await ctx.store.insertMembership(membership, events);
    ctx.afterWrite?.();
    await audit(ctx, 'invitation.accepted', {
      actorAccountId: account.id,
      subjectAccountId: invitation.issuedBy,
      organisationId: organisation.id,
      detail: invitation.role,
    });
    return { membership, account };
  }

  return { issue, list, revoke, accept };
}
