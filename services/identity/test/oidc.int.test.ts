import { registryServiceV1 as registryApi, registryV1 } from '@lienket/contracts';
import { type Actor, actorMetadata, createGrpcClient } from '@lienket/platform';
import { openTestInfra, type TestInfra, waitFor } from '@lienket/testkit';
import { createVerifier } from '../../gateway/src/auth';
import { validTaxCode } from '../../registry/test/fixtures';
import { oidcModel } from '../src/adapters/oidc/mongo-adapter';
import { Browser, formAction, inputValue } from './browser';
import {
  ANALYST_CLIENT,
  authorize,
  PORTAL,
  pkce,
  REDIRECT,
  signIn,
  signUp,
  startPlatform,
  tokenRequest,
} from './platform';

let infra: TestInfra;
let platform: Awaited<ReturnType<typeof startPlatform>>;
let verify: ReturnType<typeof createVerifier>;

beforeAll(async () => {
  infra = await openTestInfra('identity-oidc');
  // Per-address limits are exercised in identity.int.test.ts with addresses of their own; here
  // every request comes from 127.0.0.1.
  platform = await startPlatform(infra, {
    SIGN_IN_MAX_FAILURES_PER_LOGIN: '3',
    SIGN_IN_MAX_FAILURES_PER_ADDRESS: '1000',
  });
  verify = createVerifier({
    jwksUrl: `${platform.issuer}/jwks`,
    issuer: platform.issuer,
    audience: 'lienket-api',
    cacheMs: 0,
  });
});

afterAll(async () => {
  await platform?.stop();
  await infra?.close();
});

let serial = 700_000_000 + Math.floor(Math.random() * 90_000_000);
const password = 'chè tân cương ngon lắm';

function establishment(login: string) {
  serial += 11;
  return {
    tax_code: validTaxCode(serial),
    kind: 'cooperative',
    primary_vsic: '0127',
    enterprise_name: `HTX Chè Tân Cương ${serial}`,
    province_code: '19',
    display_name: 'Trần Thị Bình',
    contact_phone: '0987654321',
    login,
    password,
  };
}

/** Signs up an establishment in a fresh browser and returns its sign-in page afterwards. */
async function signedUp(login: string) {
  const browser = new Browser(platform.issuer);
  const { challenge } = pkce();
  const start = await authorize(browser, challenge);
  const fields = establishment(login);
  const after = await signUp(browser, start.body, fields);
  return { browser, after, fields };
}

/** The whole code flow for a signed-up login: the code and its verifier. */
async function codeFor(
  login: string,
  extra: Record<string, string> = {},
  browser = new Browser(platform.issuer),
) {
  const { verifier, challenge } = pkce();
  const start = await authorize(browser, challenge, extra);
  const done = await signIn(browser, start.body, login, password);
  const redirect = new URL(done.url);
  return { browser, verifier, redirect, state: start.state, code: redirect.searchParams.get('code') ?? '' };
}

const exchange = (code: string, verifier: string) =>
  tokenRequest(platform.issuer, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: REDIRECT,
    client_id: PORTAL,
    code_verifier: verifier,
  });

const refresh = (refreshToken: string) =>
  tokenRequest(platform.issuer, {
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    client_id: PORTAL,
  });

describe('sign-up of an establishment', () => {
  it('creates exactly that enterprise in the registry, unverified, and binds it to the account', async () => {
    const fields = establishment('hoptac.xa@example.vn');
    const browser = new Browser(platform.issuer);
    const start = await authorize(browser, pkce().challenge);
    const after = await signUp(browser, start.body, fields);
    expect(after.body).toContain('tài khoản đã sẵn sàng');
    expect(after.response.status).toBe(200);

    const account = await platform.identity.identity.context.store.findAccountByLogin(
      'email:hoptac.xa@example.vn',
    );
    const [standing] = await platform.identity.identity.standingsOf(account?.id ?? '');
    expect(standing?.membership.role).toBe('enterprise_owner');
    const registry = createGrpcClient(
      registryApi.RegistryServiceService,
      `127.0.0.1:${platform.registry.grpcPort}`,
    );
    const admin: Actor = { role: 'admin', enterpriseId: '', provinceCode: '', subject: 'test-admin' };
    const { enterprise } = await registry.getEnterprise(
      { enterpriseId: standing?.organisation.enterpriseId ?? '' },
      { metadata: actorMetadata(admin) },
    );
    registry.close();
    expect(enterprise).toMatchObject({ taxCode: fields.tax_code, name: fields.enterprise_name });
    expect(enterprise?.province?.code).toBe('19');
    expect(enterprise?.verification?.status).toBe(
      registryV1.VerificationStatus.VERIFICATION_STATUS_UNVERIFIED,
    );
  });

  it('answers a taken login exactly as a new one, and registers nothing for it', async () => {
    await signedUp('taken@example.vn');
    const again = establishment('taken@example.vn');
    const browser = new Browser(platform.issuer);
    const start = await authorize(browser, pkce().challenge);
    const after = await signUp(browser, start.body, again);
    const fresh = await signedUp('fresh@example.vn');
    const notice = (body: string) => /<p class="notice"[\s\S]*?<\/p>/.exec(body)?.[0];
    expect(after.response.status).toBe(fresh.after.response.status);
    expect(notice(after.body)).toBeDefined();
    expect(notice(after.body)).toBe(notice(fresh.after.body));
    const registered = (taxCode: string) =>
      platform.registry.db.collection('enterprises').countDocuments({ taxCode });
    expect(await registered(again.tax_code)).toBe(0);
    expect(await registered(fresh.fields.tax_code)).toBe(1);
  });
});

describe('authorization code with PKCE', () => {
  beforeAll(async () => {
    await signedUp('pkce@example.vn');
  });

  it('refuses a wrong code_verifier and gives the right one a JWT the gateway accepts', async () => {
    const { code, verifier, state, redirect } = await codeFor('pkce@example.vn');
    expect(redirect.origin + redirect.pathname).toBe(REDIRECT);
    // The state comes back unchanged, for the portal to compare with the one it sent.
    expect(redirect.searchParams.get('state')).toBe(state);

    const wrong = await exchange(code, pkce().verifier);
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toBe('invalid_grant');

    const { code: second, verifier: secondVerifier } = await codeFor('pkce@example.vn');
    const right = await exchange(second, secondVerifier);
    expect(right.status).toBe(200);
    expect(right.body.token_type).toBe('Bearer');
    const actor = await verify(`Bearer ${right.body.access_token}`);
    expect(actor.role).toBe('enterprise');
    expect(actor.enterpriseId).toMatch(/./);
    // A code is used once.
    expect((await exchange(second, secondVerifier)).status).toBe(400);
    expect(verifier).not.toBe(secondVerifier);
  });

  it('refuses an authorization request without PKCE', async () => {
    const browser = new Browser(platform.issuer);
    const query = new URLSearchParams({
      client_id: PORTAL,
      redirect_uri: REDIRECT,
      response_type: 'code',
      scope: 'openid',
      state: 'x',
    });
    const answer = await browser.request(`/auth?${query}`);
    const location = new URL(answer.headers.get('location') ?? '', platform.issuer);
    expect(location.searchParams.get('error')).toBe('invalid_request');
  });

  it('refreshes silently with rotation: a used refresh token is refused', async () => {
    const { code, verifier } = await codeFor('pkce@example.vn');
    const first = await exchange(code, verifier);
    expect(first.body.refresh_token).toMatch(/./);
    const second = await refresh(first.body.refresh_token as string);
    expect(second.status).toBe(200);
    expect(second.body.refresh_token).not.toBe(first.body.refresh_token);
    expect((await verify(`Bearer ${second.body.access_token}`)).role).toBe('enterprise');
    const reused = await refresh(first.body.refresh_token as string);
    expect(reused.body.error).toBe('invalid_grant');
  });
});

describe('forged requests', () => {
  beforeAll(async () => {
    await signedUp('forged@example.vn');
  });

  it('refuses a sign-in form posted from another site, without its anti-forgery field, or without the interaction cookie', async () => {
    const browser = new Browser(platform.issuer);
    const start = await authorize(browser, pkce().challenge);
    const action = formAction(start.body);
    const csrf = inputValue(start.body, 'csrf');
    const login = { login: 'forged@example.vn', password };

    const crossSite = await browser.request(action, {
      form: { csrf, ...login },
      headers: { origin: 'https://evil.example' },
    });
    expect(crossSite.status).toBe(403);

    const noToken = await browser.request(action, { form: { csrf: 'forged', ...login } });
    expect(noToken.status).toBe(400);

    const otherBrowser = new Browser(platform.issuer);
    const noCookie = await otherBrowser.request(action, { form: { csrf, ...login } });
    expect(noCookie.status).toBe(400);

    // The genuine form still works afterwards.
    const genuine = await signIn(browser, start.body, login.login, login.password);
    expect(new URL(genuine.url).searchParams.get('code')).toMatch(/./);
  });

  it('refuses a redirect_uri that is not registered', async () => {
    const browser = new Browser(platform.issuer);
    const answer = await authorize(browser, pkce().challenge, { redirect_uri: 'https://evil.example/cb' });
    expect(answer.response.status).toBe(400);
    expect(answer.body).not.toContain('evil.example/cb?code');
  });
});

describe('no account enumeration over the sign-in page', () => {
  beforeAll(async () => {
    await signedUp('known@example.vn');
  });

  it('answers an unknown login and a wrong password alike', async () => {
    const errorOf = async (login: string) => {
      const browser = new Browser(platform.issuer);
      const start = await authorize(browser, pkce().challenge);
      const answer = await browser.request(formAction(start.body), {
        form: { csrf: inputValue(start.body, 'csrf'), login, password: 'not the password at all' },
      });
      const body = await answer.text();
      return { status: answer.status, error: /<p class="error"[\s\S]*?<\/p>/.exec(body)?.[0] };
    };
    const unknown = await errorOf('nobody@example.vn');
    const wrong = await errorOf('known@example.vn');
    expect(unknown.status).toBe(401);
    expect(unknown).toEqual(wrong);
  });

  it('locks a login after its limit of failures, even for the right password, and says so alike for unknown logins', async () => {
    const attempt = async (login: string, pw: string) => {
      const browser = new Browser(platform.issuer);
      const start = await authorize(browser, pkce().challenge);
      return browser.request(formAction(start.body), {
        form: { csrf: inputValue(start.body, 'csrf'), login, password: pw },
      });
    };
    await signedUp('locked@example.vn');
    for (let i = 0; i < 3; i++)
      expect((await attempt('locked@example.vn', 'wrong password here')).status).toBe(401);
    expect((await attempt('locked@example.vn', password)).status).toBe(429);
    for (let i = 0; i < 3; i++) await attempt('ghost@example.vn', 'wrong password here');
    expect((await attempt('ghost@example.vn', password)).status).toBe(429);
  });
});

describe('tokens for programs and signing out', () => {
  it('gives an analysts’ API client an analyst token for the API by client credentials', async () => {
    const answer = await tokenRequest(
      platform.issuer,
      { grant_type: 'client_credentials', scope: 'api', resource: 'urn:lienket:api' },
      `${ANALYST_CLIENT.id}:${ANALYST_CLIENT.secret}`,
    );
    expect(answer.status).toBe(200);
    expect((await verify(`Bearer ${answer.body.access_token}`)).role).toBe('analyst');
    const refused = await tokenRequest(
      platform.issuer,
      { grant_type: 'client_credentials', scope: 'api' },
      `${ANALYST_CLIENT.id}:wrong-secret-0123456789`,
    );
    expect(refused.status).toBe(401);
  });

  it('signs out everywhere: ending one session revokes the refresh tokens of the account’s other sessions', async () => {
    await signedUp('everywhere@example.vn');
    const laptop = await codeFor('everywhere@example.vn');
    const phone = await codeFor('everywhere@example.vn');
    const phoneTokens = await exchange(phone.code, phone.verifier);
    await exchange(laptop.code, laptop.verifier);
    expect(phoneTokens.body.refresh_token).toMatch(/./);

    const end = await laptop.browser.follow(
      await laptop.browser.request(
        `/session/end?client_id=${PORTAL}&post_logout_redirect_uri=${encodeURIComponent('http://127.0.0.1:8080/')}`,
      ),
    );
    const xsrf = inputValue(end.body, 'xsrf');
    const confirmed = await laptop.browser.request('/session/end/confirm', { form: { xsrf, logout: 'yes' } });
    expect(confirmed.headers.get('location')).toBe('http://127.0.0.1:8080/');

    const account = await platform.identity.identity.context.store.findAccountByLogin(
      'email:everywhere@example.vn',
    );
    await waitFor(
      async () =>
        (await oidcModel(platform.identity.connection, 'RefreshToken').countDocuments({
          accountId: account?.id,
        })) === 0,
      { what: 'the account’s refresh tokens to be revoked' },
    );
    expect((await refresh(phoneTokens.body.refresh_token as string)).body.error).toBe('invalid_grant');
  });
});
