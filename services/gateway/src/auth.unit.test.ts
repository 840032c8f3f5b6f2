import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { createVerifier, DEV_ISSUER, issueDevToken } from './auth';

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

  describe('with a JWKS and a development secret both configured', () => {
    const issuer = 'http://127.0.0.1:8090';
    let server: Server;
    let jwksUrl: string;
    let privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

    beforeAll(async () => {
      const pair = await generateKeyPair('RS256');
      privateKey = pair.privateKey;
      const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
      server = createServer((_request, response) => {
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify({ keys: [jwk] }));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    const providerToken = (claims: Record<string, unknown>, tokenIssuer = issuer) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .setIssuer(tokenIssuer)
        .setAudience('lienket-api')
        .setSubject('account-1')
        .setExpirationTime('5m')
        .sign(privateKey);

    it("accepts the provider's tokens and the development tokens, each under its own issuer", async () => {
      const verify = createVerifier({ jwksUrl, devSecret, issuer, audience: 'lienket-api' });
      const fromProvider = await providerToken({ role: 'province', province_code: '19' });
      expect(await verify(`Bearer ${fromProvider}`)).toMatchObject({ role: 'province', provinceCode: '19' });
      const dev = await issueDevToken({ ...options, issuer: DEV_ISSUER }, { sub: 'cli', role: 'analyst' });
      expect(await verify(`Bearer ${dev}`)).toMatchObject({ role: 'analyst', subject: 'cli' });
    });

    it('refuses a development token under the provider’s issuer and a provider token under another', async () => {
      const verify = createVerifier({ jwksUrl, devSecret, issuer, audience: 'lienket-api' });
      const devAsProvider = await issueDevToken({ ...options, issuer }, { sub: 'x', role: 'admin' });
      await expect(verify(`Bearer ${devAsProvider}`)).rejects.toThrow('The token is not valid for this API');
      const elsewhere = await providerToken({ role: 'admin' }, 'https://elsewhere.example');
      await expect(verify(`Bearer ${elsewhere}`)).rejects.toThrow('The token is not valid for this API');
    });

    it('refuses development tokens when only the JWKS is configured', async () => {
      const verify = createVerifier({ jwksUrl, issuer, audience: 'lienket-api' });
      const dev = await issueDevToken({ ...options, issuer: DEV_ISSUER }, { sub: 'cli', role: 'admin' });
      await expect(verify(`Bearer ${dev}`)).rejects.toThrow('The token is not valid for this API');
      const fromProvider = await providerToken({ role: 'analyst' });
      expect((await verify(`Bearer ${fromProvider}`)).role).toBe('analyst');
    });
  });
});
