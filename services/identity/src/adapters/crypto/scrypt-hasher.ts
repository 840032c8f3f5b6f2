import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { PasswordHasher } from '../../app/ports';

export interface ScryptParameters {
  /** log2 of the cost N; 17 (128 MiB with r = 8) is OWASP's minimum for scrypt. */
  logN: number;
  r: number;
  p: number;
}

export const defaultScryptParameters: ScryptParameters = Object.freeze({ logN: 17, r: 8, p: 1 });
const KEY_LENGTH = 32;

const run = (password: string, salt: Buffer, { logN, r, p }: ScryptParameters) =>
  new Promise<Buffer>((resolve, reject) =>
    scrypt(
      password.normalize('NFC'),
      salt,
      KEY_LENGTH,
      // maxmem: 128 · N · r is what scrypt needs; twice that leaves room.
      { N: 2 ** logN, r, p, maxmem: 256 * 2 ** logN * r },
      (error, key) => (error ? reject(error) : resolve(key)),
    ),
  );

function parse(hash: string) {
  const [scheme, logN, r, p, salt, key] = hash.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return undefined;
  return {
    parameters: { logN: Number(logN), r: Number(r), p: Number(p) },
    salt: Buffer.from(salt, 'base64url'),
    key: Buffer.from(key, 'base64url'),
  };
}

/**
 * Passwords hashed with node's built-in scrypt (memory-hard; no native add-on to install). Stored as
 * `scrypt$logN$r$p$salt$key`, so parameters can grow and old hashes still verify.
 */
export function createScryptHasher(parameters: ScryptParameters = defaultScryptParameters): PasswordHasher {
  // An unknown login is checked against this hash, so it costs what a known one does.
  let decoy: Promise<string> | undefined;
  const hash = async (password: string) => {
    const salt = randomBytes(16);
    const key = await run(password, salt, parameters);
    const { logN, r, p } = parameters;
    return `scrypt$${logN}$${r}$${p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
  };
  return {
    hash,
    async verify(password, stored) {
      decoy ??= hash(randomBytes(16).toString('hex'));
      const parsed = parse(stored ?? (await decoy));
      if (!parsed) return false;
      const key = await run(password, parsed.salt, parsed.parameters);
      return stored !== undefined && key.length === parsed.key.length && timingSafeEqual(key, parsed.key);
    },
    needsRehash(stored) {
      const parsed = parse(stored);
      return !parsed || parsed.parameters.logN < parameters.logN || parsed.parameters.r < parameters.r;
    },
  };
}
