import { SignJWT } from 'jose';
import { createVerifier, issueDevToken } from './auth';

const devSecret = 'a-development-secret-of-32-characters!';
const options = { issuer: 'lienket-dev', audience: 'lienket-api', devSecret };

describe('the bearer token verifier', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('reads the actor from a valid token, and the same actor again from its cache', async () => {
    const verify = createVerifier(options);
    const token = await issueDevToken(options, { sub: 'u1', role: 'enterprise', enterprise_id: 'e1' });
    const first = await verify(`Bearer ${token}`);
    expect(first).toEqual({ role: 'enterprise', enterpriseId: 'e1', provinceCode: '', subject: 'u1' });
    expect(await verify(`Bearer ${token}`)).toEqual(first);
  });

  it('refuses a cached token once it has expired', async () => {
    jest.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z'), doNotFake: ['nextTick', 'setImmediate'] });
    const verify = createVerifier({ ...options, cacheMs: 3_600_000 });
    const token = await issueDevToken(options, { sub: 'u1', role: 'analyst' }, '2m');
    expect((await verify(`Bearer ${token}`)).role).toBe('analyst');
    jest.setSystemTime(new Date('2026-01-01T00:01:59Z'));
    expect((await verify(`Bearer ${token}`)).role).toBe('analyst');
    jest.setSystemTime(new Date('2026-01-01T00:02:01Z'));
    await expect(verify(`Bearer ${token}`)).rejects.toThrow('The token has expired');
  });

  it('never caches a refusal: a forged token is refused every time', async () => {
    const verify = createVerifier(options);
    const forged = await new SignJWT({ role: 'admin' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(options.issuer)
      .setAudience(options.audience)
      .setSubject('mallory')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('another-secret-of-32-characters-long!!'));
    await expect(verify(`Bearer ${forged}`)).rejects.toThrow('The token is not valid for this API');
    await expect(verify(`Bearer ${forged}`)).rejects.toThrow('The token is not valid for this API');
  });

  it('keeps at most cacheEntries tokens', async () => {
    const verify = createVerifier({ ...options, cacheEntries: 2 });
    const tokens = await Promise.all(
      ['a', 'b', 'c'].map((sub) => issueDevToken(options, { sub, role: 'analyst' })),
    );
    for (const token of tokens) await verify(`Bearer ${token}`);
    // Still verified correctly after the oldest was dropped.
    expect((await verify(`Bearer ${tokens[0]}`)).subject).toBe('a');
  });
});
