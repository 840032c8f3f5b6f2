// Development authentication: one local HS256 secret (created on first use under LIENKET_HOME)
// that the gateway verifies and `npm start` / `npm run token` sign with. Never used when the
// gateway is given AUTH_JWKS_URL (a real identity provider such as Keycloak).
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { settings } from '../local/infra.mjs';

const root = resolve(import.meta.dirname, '../..');

export function devSecret() {
  if (process.env.AUTH_DEV_SECRET) return process.env.AUTH_DEV_SECRET;
  const file = join(settings().home, 'dev-auth-secret');
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
  }
  return readFileSync(file, 'utf8').trim();
}

/** A signed development token (12 h) for a role; the gateway must be built. */
export async function devToken(claims) {
  const require = createRequire(join(root, 'services/gateway/package.json'));
  const { issueDevToken } = require(join(root, 'services/gateway/dist/auth.js'));
  return issueDevToken(
    {
      issuer: process.env.AUTH_ISSUER ?? 'lienket-dev',
      audience: process.env.AUTH_AUDIENCE ?? 'lienket-api',
      devSecret: devSecret(),
    },
    claims,
    '12h',
  );
}
