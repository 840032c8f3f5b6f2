import { type Actor, AppError, anonymous } from '@lienket/platform';
import { createRemoteJWKSet, decodeProtectedHeader, type JWTPayload, jwtVerify, SignJWT } from 'jose';

export type Role = 'enterprise' | 'province' | 'analyst' | 'admin';
export const roles: readonly Role[] = ['enterprise', 'province', 'analyst', 'admin'];

/**
 * Claims LienKet reads from a bearer token: `sub`, `role` (or the first LienKet role in Keycloak's
 * `realm_access.roles`), `enterprise_id` for an enterprise, `province_code` for a province officer.
 */
export interface LienKetClaims extends JWTPayload {
  role?: string;
  enterprise_id?: string;
  province_code?: string;
  realm_access?: { roles?: string[] };
}

export interface AuthOptions {
  jwksUrl?: string | undefined;
  devSecret?: string | undefined;
  issuer: string;
  audience: string;
  /**
   * `iss` of development tokens: `issuer` when no JWKS is configured; beside a JWKS (whose tokens carry
   * the provider's issuer) `lienket-dev`, what `npm run token` and the seed sign with.
   */
  devIssuer?: string | undefined;
  /** How long a verified token is trusted without checking it again (never past its expiry); 0: always check. */
  cacheMs?: number;
  cacheEntries?: number;
}

const unauthenticated = (message: string, messageVi: string) =>
  new AppError('UNAUTHENTICATED', message, { code: 'INVALID_TOKEN', messageVi });

/** The development tokens' issuer when a JWKS is configured too (AuthOptions.devIssuer). */
export const DEV_ISSUER = 'lienket-dev';

/**
 * Verifies bearer tokens against a JWKS (any OIDC provider), a local development secret, or both: with
 * both, an HS256 token is a development token (checked with the secret and its own issuer) and any other
 * is checked against the JWKS, so the portal's signed-in people, the tests and the CLI all get in. A
 * deployment that sets only the JWKS accepts only its provider's tokens.
 */
export function createVerifier(options: AuthOptions) {
  const jwks = options.jwksUrl ? createRemoteJWKSet(new URL(options.jwksUrl)) : undefined;
  const secret = options.devSecret ? new TextEncoder().encode(options.devSecret) : undefined;
  const devIssuer = options.devIssuer ?? (jwks ? DEV_ISSUER : options.issuer);
  // Tokens already verified, until they expire (at most `cacheMs`): a client sends the same token
  // with every request, and checking its signature each time was a quarter of a cheap request's cost.
  // Only successes are kept; the oldest go first beyond `cacheEntries`.
  const verified = new Map<string, { actor: Actor; until: number }>();
  const cacheMs = options.cacheMs ?? 60_000;
  const cacheEntries = options.cacheEntries ?? 10_000;

  async function check(token: string): Promise<LienKetClaims> {
    let development = false;
    try {
      development = decodeProtectedHeader(token).alg === 'HS256';
    } catch {
      // not a JWS: refused below like any token that does not verify
    }
    if (development && secret) {
      const { payload } = await jwtVerify<LienKetClaims>(token, secret, {
        issuer: devIssuer,
        audience: options.audience,
        algorithms: ['HS256'],
      });
      return payload;
    }
    if (!jwks) throw new Error('no key for this token');
    const { payload } = await jwtVerify<LienKetClaims>(token, jwks, {
      issuer: options.issuer,
      audience: options.audience,
    });
    return payload;
  }

  return async function verify(authorization: string | undefined): Promise<Actor> {
    if (!authorization) return anonymous;
    const [scheme, token] = authorization.split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !token)
      throw unauthenticated('Use "Authorization: Bearer <token>"', 'Dùng "Authorization: Bearer <token>"');
    if (!jwks && !secret)
      throw unauthenticated('No token issuer is configured', 'Chưa cấu hình nơi cấp token');
    const now = Date.now();
    const known = verified.get(token);
    if (known && known.until > now) return known.actor;
    if (known) verified.delete(token);
    let payload: LienKetClaims;
    try {
      payload = await check(token);
    } catch (error) {
      const expired = (error as { code?: string }).code === 'ERR_JWT_EXPIRED';
      throw expired
        ? unauthenticated('The token has expired', 'Token đã hết hạn')
        : unauthenticated('The token is not valid for this API', 'Token không hợp lệ cho API này');
    }
    const actor = actorOf(payload);
    if (cacheMs > 0) {
      const expires = payload.exp === undefined ? Number.POSITIVE_INFINITY : payload.exp * 1000;
      verified.set(token, { actor, until: Math.min(now + cacheMs, expires) });
      if (verified.size > cacheEntries) verified.delete(verified.keys().next().value as string);
    }
    return actor;
  };
}

export function actorOf(claims: LienKetClaims): Actor {
  const role = (claims.role ?? claims.realm_access?.roles?.find((r) => roles.includes(r as Role))) as
    | Role
    | undefined;
  if (!role || !roles.includes(role))
    throw unauthenticated('The token names no LienKet role', 'Token không có vai trò LienKet');
  if (role === 'enterprise' && !claims.enterprise_id)
    throw unauthenticated('An enterprise token needs enterprise_id', 'Token doanh nghiệp cần enterprise_id');
  if (role === 'province' && !claims.province_code)
    throw unauthenticated('A province token needs province_code', 'Token cấp tỉnh cần province_code');
  return {
    role,
    enterpriseId: role === 'enterprise' ? (claims.enterprise_id ?? '') : '',
    provinceCode: role === 'province' ? (claims.province_code ?? '') : '',
    subject: claims.sub ?? '',
  };
}

/** Signs a development token (HS256) with the local secret. */
export async function issueDevToken(
  options: Pick<AuthOptions, 'issuer' | 'audience'> & { devSecret: string },
  claims: { sub: string; role: Role; enterprise_id?: string; province_code?: string },
  expiresIn = '12h',
): Promise<string> {
  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(options.issuer)
    .setAudience(options.audience)
    .setSubject(claims.sub)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(new TextEncoder().encode(options.devSecret));
}
