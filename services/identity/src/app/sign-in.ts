import { loginKey, parseLogin } from '../domain/login';
import type { Account } from '../domain/model';
import { isLocked, type ThrottleRules, throttleKey } from '../domain/throttle';
import { audit, type IdentityContext } from './context';

export type SignInResult =
  | { ok: true; account: Account }
  /** `invalid` is the one answer for an unknown login and a wrong password alike. */
  | { ok: false; reason: 'invalid' | 'throttled' };

/**
 * Checks a login and password. An unknown login costs the same hash as a known one and gets the
 * same answer; failures count per login (known or not) and per address, in the store.
 */
export function makeSignIn(ctx: IdentityContext, rules: ThrottleRules) {
  return async function signIn(rawLogin: string, password: string, address: string): Promise<SignInResult> {
    const now = ctx.clock();
    const login = parseLogin(rawLogin);
    const loginCounterKey = throttleKey.login(
      login ? loginKey(login) : `raw:${rawLogin.trim().toLowerCase()}`,
    );
    const addressKey = throttleKey.address(address);
    const [byLogin, byAddress] = await Promise.all([
      ctx.store.getAttemptCounter(loginCounterKey),
      ctx.store.getAttemptCounter(addressKey),
    ]);
    if (isLocked(byLogin, now) || isLocked(byAddress, now)) {
      await audit(ctx, 'sign_in.throttled', {
        address,
        detail: isLocked(byLogin, now) ? 'login' : 'address',
      });
      return { ok: false, reason: 'throttled' };
    }
    const account = login ? await ctx.store.findAccountByLogin(loginKey(login)) : undefined;
    const matches = await ctx.hasher.verify(password, account?.passwordHash);
    if (!account || !matches || account.disabled) {
      await Promise.all([
        ctx.store.recordFailure(loginCounterKey, rules.perLogin, now),
        ctx.store.recordFailure(addressKey, rules.perAddress, now),
        audit(ctx, 'sign_in.failed', {
          actorAccountId: account?.id ?? '',
          address,
          detail: !account ? 'unknown_login' : account.disabled ? 'disabled' : 'wrong_password',
        }),
      ]);
      return { ok: false, reason: 'invalid' };
    }
    await ctx.store.clearAttempts(loginCounterKey);
    if (ctx.hasher.needsRehash(account.passwordHash))
      await ctx.store.setPasswordHash(account.id, await ctx.hasher.hash(password));
    await audit(ctx, 'sign_in.succeeded', { actorAccountId: account.id, address });
    return { ok: true, account };
  };
}
