import { claimsForDelegation, claimsForMembership, type LienKetClaims } from '../domain/claims';
import { requireUsableDelegation } from '../domain/delegations';
import type { MembershipRole } from '../domain/model';
import { defaultThrottleRules, type ThrottleRules } from '../domain/throttle';
import { type IdentityContext, standingsOf } from './context';
import { makeDelegations } from './delegations';
import { makeInvitations } from './invitations';
import { makeMemberships, signOutEverywhere } from './memberships';
import type { EnterpriseRegistry } from './ports';
import { makeSignIn } from './sign-in';
import { makeSignUp } from './sign-up';

/** Which membership a token speaks for when the sign-in names none: the most responsible first. */
const precedence: MembershipRole[] = [
  'ministry_admin',
  'province_admin',
  'province_officer',
  'enterprise_owner',
  'enterprise_member',
  'commune_officer',
  'analyst',
  'sponsor_member',
];

/** Every use case of the identity service, over one context. */
export function makeIdentity(
  ctx: IdentityContext,
  deps: { registry: EnterpriseRegistry; throttle?: ThrottleRules },
) {
  const delegations = makeDelegations(ctx);

  /**
   * The claims of an access token for an account: under a delegation (checked at every issue, so
   * an ended or revoked one stops refreshes too), else under the named or the first organisation.
   */
  async function claimsFor(
    accountId: string,
    context: { organisationId: string; delegationId: string } | undefined,
  ): Promise<Partial<LienKetClaims>> {
    const account = await ctx.store.getAccount(accountId);
    if (!account || account.disabled) return {};
    if (context?.delegationId) {
      const delegation = requireUsableDelegation(
        await ctx.store.getDelegation(context.delegationId),
        accountId,
        ctx.clock(),
      );
      return claimsForDelegation(delegation, accountId);
    }
    const standings = await standingsOf(ctx, accountId);
    const chosen = context?.organisationId
      ? standings.find((s) => s.organisation.id === context.organisationId)
      : [...standings].sort(
          (a, b) => precedence.indexOf(a.membership.role) - precedence.indexOf(b.membership.role),
        )[0];
    return chosen ? claimsForMembership(chosen.membership, chosen.organisation) : {};
  }

  return {
    signIn: makeSignIn(ctx, deps.throttle ?? defaultThrottleRules),
    signUpEstablishment: makeSignUp(ctx, deps.registry),
    invitations: makeInvitations(ctx),
    delegations,
    memberships: makeMemberships(ctx),
    claimsFor,
    standingsOf: (accountId: string) => standingsOf(ctx, accountId),
    signOutEverywhere: (accountId: string) => signOutEverywhere(ctx, accountId),
    pruneAttempts: () =>
      ctx.store.pruneAttempts(ctx.clock(), (deps.throttle ?? defaultThrottleRules).perLogin),
    context: ctx,
  };
}

export type Identity = ReturnType<typeof makeIdentity>;
