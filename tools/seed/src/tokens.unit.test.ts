import { checkTaxCode } from '@lienket/reference';
import { createVerifier } from '../../../services/gateway/src/auth';
import { Rng } from './prng';
import { newTaxCode } from './tax-code';
import { findDevSecret, signDevToken, TokenMinter } from './tokens';

const secret = 'a-development-secret-of-at-least-32-chars';

describe('development tokens', () => {
  it('are accepted by the gateway’s verifier with their role and binding', async () => {
    const verify = createVerifier({ devSecret: secret, issuer: 'lienket-dev', audience: 'lienket-api' });
    const minter = new TokenMinter({ secret });
    expect(await verify(`Bearer ${minter.enterprise('ent-42')}`)).toEqual({
      role: 'enterprise',
      enterpriseId: 'ent-42',
      provinceCode: '',
      subject: 'seed-enterprise-ent-42',
    });
    expect(await verify(`Bearer ${minter.officer('19')}`)).toMatchObject({
      role: 'province',
      provinceCode: '19',
    });
    expect(await verify(`Bearer ${minter.admin()}`)).toMatchObject({ role: 'admin' });
    expect(minter.admin()).toBe(minter.admin());
  });

  it('are refused when signed with another secret, or expired', async () => {
    const verify = createVerifier({ devSecret: secret, issuer: 'lienket-dev', audience: 'lienket-api' });
    const other = signDevToken({ sub: 'x', role: 'admin' }, { secret: `${secret}-other` });
    await expect(verify(`Bearer ${other}`)).rejects.toMatchObject({ kind: 'UNAUTHENTICATED' });
    const old = signDevToken(
      { sub: 'x', role: 'admin' },
      { secret, expiresIn: 60 },
      Date.now() / 1000 - 3600,
    );
    await expect(verify(`Bearer ${old}`)).rejects.toMatchObject({ kind: 'UNAUTHENTICATED' });
  });

  it('find the secret in AUTH_DEV_SECRET first', () => {
    expect(findDevSecret({ AUTH_DEV_SECRET: 's3cret' })).toBe('s3cret');
    expect(findDevSecret({ LIENKET_HOME: '/nonexistent/lienket-home' })).toBeUndefined();
  });
});

describe('tax codes', () => {
  it('are fresh and valid when drawn', () => {
    const rng = new Rng('tax');
    const taken = new Set<string>();
    for (let i = 0; i < 5_000; i++) {
      const code = newTaxCode(rng, taken);
      expect(checkTaxCode(code).ok).toBe(true);
    }
    expect(taken.size).toBe(5_000);
  });
});

describe('the PRNG', () => {
  it('repeats for a seed and forks independent streams', () => {
    const a = new Rng('x');
    const b = new Rng('x');
    const seqA = Array.from({ length: 50 }, () => a.next());
    expect(Array.from({ length: 50 }, () => b.next())).toEqual(seqA);
    expect(new Rng('y').next()).not.toBe(seqA[0]);
    expect(new Rng('x').fork('1').next()).not.toBe(new Rng('x').fork('2').next());
    for (const v of seqA) expect(v >= 0 && v < 1).toBe(true);
    const r = new Rng('ints');
    const seen = new Set(Array.from({ length: 500 }, () => r.int(1, 6)));
    expect([...seen].sort()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(new Rng('s').shuffle([1, 2, 3, 4, 5]).sort()).toEqual([1, 2, 3, 4, 5]);
  });
});
