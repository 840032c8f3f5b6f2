import { createHmac } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** Claims the gateway reads (see services/gateway/src/auth.ts). */
export interface DevClaims {
  sub: string;
  role: 'enterprise' | 'province' | 'analyst' | 'admin';
  enterprise_id?: string;
  province_code?: string;
}

export interface TokenOptions {
  /** The gateway's AUTH_DEV_SECRET. */
  secret: string;
  issuer?: string;
  audience?: string;
  /** Lifetime in seconds (default 12 h). */
  expiresIn?: number;
}

const base64url = (data: string | Buffer) => Buffer.from(data).toString('base64url');

/** An HS256 JWT as `issueDevToken` makes it, so the gateway's development verifier accepts it. */
export function signDevToken(
  claims: DevClaims,
  options: TokenOptions,
  nowSeconds = Date.now() / 1000,
): string {
  const iat = Math.floor(nowSeconds);
  const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const payload = base64url(
    JSON.stringify({
      ...claims,
      iss: options.issuer ?? 'lienket-dev',
      aud: options.audience ?? 'lienket-api',
      iat,
      exp: iat + (options.expiresIn ?? 12 * 3600),
    }),
  );
  const signature = createHmac('sha256', Buffer.from(options.secret, 'utf8'))
    .update(`${header}.${payload}`)
    .digest('base64url');
  return `${header}.${payload}.${signature}`;
}

/** The LienKet home, as infra/local/infra.mjs computes it. */
export function lienketHome(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.LIENKET_HOME ?? join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'lienket'));
}

/** The development secret `npm start` gives the gateway: AUTH_DEV_SECRET, else LIENKET_HOME/dev-auth-secret. */
export function findDevSecret(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.AUTH_DEV_SECRET) return env.AUTH_DEV_SECRET;
  const file = join(lienketHome(env), 'dev-auth-secret');
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
}

/** Mints and caches one token per subject. */
export class TokenMinter {
  private readonly cache = new Map<string, string>();

  constructor(private readonly options: TokenOptions) {}

  token(claims: DevClaims): string {
    let token = this.cache.get(claims.sub);
    if (!token) {
      token = signDevToken(claims, this.options);
      this.cache.set(claims.sub, token);
    }
    return token;
  }

  admin(): string {
    return this.token({ sub: 'seed-admin', role: 'admin' });
  }

  officer(province: string): string {
    return this.token({ sub: `seed-officer-${province}`, role: 'province', province_code: province });
  }

  enterprise(id: string): string {
    return this.token({ sub: `seed-enterprise-${id}`, role: 'enterprise', enterprise_id: id });
  }
}
