import { identityV1 } from '@lienket/contracts';
import { AppError } from '@lienket/platform';
import { type EstablishmentSignUpInput, validateEstablishmentSignUp } from '../domain/accounts';
import { loginKey } from '../domain/login';
import type { Account, Membership, Organisation } from '../domain/model';
import { audit, Events, event, type IdentityContext } from './context';
import type { EnterpriseRegistry } from './ports';
import { kindToProto, membershipToProto } from './to-proto';

/**
 * `created` and `login_taken` are deliberately one answer to the person signing up ("if these
 * details are new, your account is ready: sign in"), so sign-up never tells whether a login exists.
 */
export type SignUpResult =
  | { outcome: 'created'; accountId: string; enterpriseId: string }
  | { outcome: 'login_taken' };

export const enterpriseOrganisationId = (enterpriseId: string) => `enterprise:${enterpriseId}`;

/**
 * An establishment signs up: its owner's account, then exactly that enterprise in the registry
 * (unverified; identity calls as a LienKet service), then the enterprise's organisation and the
 * owner's membership. No transactions: the account is written first (it claims the login) and is
 * deleted again when the registry refuses; the membership write carries AccountRegistered and
 * MembershipChanged, so no event announces an account that did not finish signing up.
 */
export function makeSignUp(ctx: IdentityContext, registry: EnterpriseRegistry) {
  return async function signUpEstablishment(
    input: EstablishmentSignUpInput,
    address: string,
  ): Promise<SignUpResult> {
    const valid = validateEstablishmentSignUp(input);
    // Hashed before the login is looked up, so a taken login costs what a new one does.
    const passwordHash = await ctx.hasher.hash(valid.password);
    const now = ctx.clock();
    if (await ctx.store.findAccountByLogin(loginKey(valid.login))) {
      await audit(ctx, 'account.registered', { address, detail: 'login_taken' });
      return { outcome: 'login_taken' };
    }
    const account: Account = {
      id: ctx.newId(),
      login: valid.login,
      displayName: valid.displayName,
      passwordHash,
      createdAt: now,
      disabled: false,
    };
    try {
      await ctx.store.insertAccount(account, []);
    } catch (error) {
      if (error instanceof AppError && error.code === 'LOGIN_TAKEN') return { outcome: 'login_taken' };
      throw error;
    }
    let registered: { enterpriseId: string; provinceCode: string };
    try {
      registered = await registry.registerEnterprise({
        taxCode: valid.taxCode,
        kind: valid.kind,
        primaryVsic: valid.primaryVsic,
        name: valid.enterpriseName,
        provinceCode: valid.legacyProvinceCode || valid.provinceCode,
        contactPerson: valid.displayName,
        contactPhone: valid.contactPhone,
        contactEmail: valid.contactEmail,
        subject: account.id,
      });
    } catch (error) {
      await ctx.store.deleteAccount(account.id);
      throw error;
    }
    const organisation: Organisation = await ctx.store.upsertOrganisation({
      id: enterpriseOrganisationId(registered.enterpriseId),
      kind: 'enterprise',
      name: valid.enterpriseName,
      provinceCode: registered.provinceCode,
      enterpriseId: registered.enterpriseId,
      createdAt: now,
    });
    const membership: Membership = {
      id: `${account.id}:${organisation.id}`,
      accountId: account.id,
      organisationId: organisation.id,
      role: 'enterprise_owner',
      createdAt: now,
      grantedBy: '',
    };
    await ctx.store.insertMembership(membership, [
      event(
        ctx,
        Events.accountRegistered,
        {
          accountId: account.id,
          registeredAt: now,
          organisationId: organisation.id,
          enterpriseId: registered.enterpriseId,
        },
        account.id,
      ),
      event(
        ctx,
        Events.membershipChanged,
        {
          membership: membershipToProto(membership),
          organisationKind: kindToProto('enterprise'),
          provinceCode: organisation.provinceCode,
          enterpriseId: organisation.enterpriseId,
          previousRole: identityV1.MembershipRole.MEMBERSHIP_ROLE_UNSPECIFIED,
          changedBy: account.id,
        },
        organisation.id,
      ),
    ]);
    ctx.afterWrite?.();
    await audit(ctx, 'account.registered', {
      actorAccountId: account.id,
      organisationId: organisation.id,
      address,
      onBehalfOf: registered.enterpriseId,
    });
    return { outcome: 'created', accountId: account.id, enterpriseId: registered.enterpriseId };
  };
}
