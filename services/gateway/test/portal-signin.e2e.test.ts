// People sign in as themselves: the whole platform with the identity service, the gateway verifying its
// tokens by JWKS (and the development tokens the seed uses), a real chromium. A cooperative signs up on
// identity's page, a province officer signs in through the authorization code flow (PKCE), the portal
// refreshes the token silently, and the officer verifies the cooperative; at desktop and phone widths.
import { parseConfig } from '@lienket/platform';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { identityConfigSchema } from '../../identity/src/config';
import { DEFAULT_DEMO_PASSWORD, demoLogins, seedDemoAccounts } from '../../identity/src/seed';
import { startIdentity } from '../../identity/src/service';
import { freePort } from '../../identity/test/platform';
import { validTaxCode } from '../../registry/test/fixtures';
import { inPage, launchBrowser, screenshot } from './browser/portal-browser';
import { seed } from './browser/seed';
import { http, type Platform, startPlatform, tokenFor } from './platform';

jest.setTimeout(180_000);

let platform: Platform;
let identity: Awaited<ReturnType<typeof startIdentity>>;
let url: string;
let issuer: string;
let browser: Browser;
const problems: string[] = [];

beforeAll(async () => {
  const gatewayPort = await freePort();
  const identityPort = await freePort();
  issuer = `http://127.0.0.1:${identityPort}`;
  platform = await startPlatform('portal-signin', {
    HTTP_PORT: String(gatewayPort),
    AUTH_JWKS_URL: `${issuer}/jwks`,
    AUTH_ISSUER: issuer,
  });
  url = platform.url;
  const { infra } = platform;
  const config = parseConfig(identityConfigSchema, {
    GRPC_PORT: '0',
    METRICS_PORT: '0',
    HTTP_PORT: String(identityPort),
    ISSUER: issuer,
    MONGO_URL: infra.mongoUrl,
    MONGO_DB: infra.databaseFor('identity'),
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    KAFKA_TOPIC_PREFIX: infra.topicPrefix,
    KAFKA_PARTITIONS: '1',
    RELAY_POLL_MS: '50',
    REGISTRY_ADDR: `127.0.0.1:${platform.registry.grpcPort}`,
    PORTAL_REDIRECT_URIS: `${url}/auth/callback`,
    PORTAL_POST_LOGOUT_URIS: `${url}/`,
    // Short-lived access tokens, so the silent refresh happens within the journey (a minute before expiry).
    ACCESS_TOKEN_TTL_S: '75',
    PASSWORD_SCRYPT_LOG_N: '12',
    SIGN_IN_MAX_FAILURES_PER_ADDRESS: '1000',
  });
  identity = await startIdentity(config, infra.log);
  const launching = launchBrowser().then((launched) => {
    browser = launched;
  });
  // The demo data through the API with development tokens (still accepted beside the JWKS), then identity's
  // demo accounts through its own use cases (the cooperative is signed up: none of the demo data's is one of 19).
  await Promise.all([seed(url), launching]);
  const seeded = await seedDemoAccounts(config, { password: DEFAULT_DEMO_PASSWORD, ifEmpty: true });
  expect(seeded?.map((a) => a.role)).toEqual([
    'ministry_admin',
    'province_admin',
    'province_officer',
    'analyst',
    'enterprise_owner',
  ]);
  expect(await seedDemoAccounts(config, { password: DEFAULT_DEMO_PASSWORD, ifEmpty: true })).toBeUndefined();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await identity?.stop();
  await platform?.stop();
});

afterEach(() => {
  expect(problems).toEqual([]);
});

type Width = { name: 'desktop' | 'phone'; lang: 'vi' | 'en'; viewport: { width: number; height: number } };
const DESKTOP: Width = { name: 'desktop', lang: 'vi', viewport: { width: 1280, height: 900 } };
const PHONE: Width = { name: 'phone', lang: 'en', viewport: { width: 390, height: 844 } };

async function open(width: Width): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: width.viewport,
    ...(width.name === 'phone' ? { deviceScaleFactor: 2, isMobile: true, hasTouch: true } : {}),
    locale: width.lang === 'vi' ? 'vi-VN' : 'en-GB',
  });
  await context.addInitScript(`localStorage.setItem('lienket.lang', '${width.lang}')`);
  const page = await context.newPage();
  page.on('pageerror', (error) => problems.push(`${width.name} pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text()))
      problems.push(`${width.name} csp: ${message.text()}`);
  });
  return { context, page };
}

/** On identity's sign-in page: the login and password, then back in the portal. */
async function signInAtProvider(page: Page, login: string, password: string) {
  await page.waitForURL(/\/interaction\//);
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill(password);
  await page.locator('form button[type="submit"]').click();
  await page.waitForURL((u) => u.origin === url && !u.pathname.startsWith('/auth/'));
  await page.locator('.who').waitFor();
}

const storedToken = (page: Page) =>
  inPage<string>(page, `JSON.parse(sessionStorage.getItem('lienket.token') || '{}').token || ''`);

async function noSidewaysScroll(page: Page) {
  const widths = await inPage<{ scroll: number; inner: number; wide: string[] }>(
    page,
    `({
      scroll: document.documentElement.scrollWidth,
      inner: window.innerWidth,
      wide: [...document.querySelectorAll('body *')]
        .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
        .slice(0, 5)
        .map((e) => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)),
    })`,
  );
  // The elements that stick out name the culprit when this fails.
  expect({ scroll: widths.scroll, wide: widths.scroll > widths.inner ? widths.wide : [] }).toEqual({
    scroll: Math.min(widths.scroll, widths.inner),
    wide: [],
  });
}

let serial = 820_000_000 + Math.floor(Math.random() * 50_000_000);

/** A cooperative of Thái Nguyên signs up on identity's page and lands, signed in, on its postings. */
async function signUpCooperative(page: Page, width: Width) {
  serial += 13;
  const name = `HTX Chè Tân Cương ${width.name} ${serial}`;
  const login = `htx.${width.name}.${serial}@example.vn`;
  const password = 'chè xanh Tân Cương thơm ngon';
  await page.goto(`${url}/#/register`);
  await page.locator('#page-title').waitFor();
  await screenshot(page, `signin-${width.name}-${width.lang}-register`);
  await page.getByTestId('register').click();
  await page.waitForURL(/\/interaction\//);
  await page.locator('a[href$="/sign-up"]').click();
  await page.locator('input[name="tax_code"]').fill(validTaxCode(serial));
  await page.locator('input[name="enterprise_name"]').fill(name);
  await page.locator('select[name="kind"]').selectOption('cooperative');
  await page.locator('input[name="primary_vsic"]').fill('1079');
  await page.locator('input[name="province_code"]').fill('19');
  await page.locator('input[name="display_name"]').fill('Nông Thị Hoa');
  await page.locator('input[name="contact_phone"]').fill('0912345678');
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill(password);
  await page.locator('form button[type="submit"]').click();
  await page.waitForURL(/notice=signed_up/).catch(async (error: Error) => {
    await screenshot(page, `signin-${width.name}-${width.lang}-signup-failed`);
    throw new Error(`${error.message}\n${page.url()}\n${await page.locator('body').textContent()}`);
  });
  await signInAtProvider(page, login, password);
  expect(new URL(page.url()).hash).toBe('#/my/postings');
  await page.waitForFunction(
    (n) =>
      (
        globalThis as unknown as {
          document: { querySelector(s: string): { textContent: string | null } | null };
        }
      ).document
        .querySelector('.who')
        ?.textContent?.includes(n),
    width.name === 'phone' ? name.slice(0, 8) : name,
  );
  await screenshot(page, `signin-${width.name}-${width.lang}-cooperative`);
  const found = await http<{
    enterprises?: { id: string; name: string; verification?: { status?: string } }[];
  }>(url, 'GET', `/v1/enterprises?province=19&text=${encodeURIComponent(String(serial))}`);
  const enterprise = found.body.enterprises?.find((e) => e.name === name);
  expect(enterprise?.verification?.status ?? 'VERIFICATION_STATUS_UNVERIFIED').toBe(
    'VERIFICATION_STATUS_UNVERIFIED',
  );
  // Sign out everywhere: identity's end-session page, then back to the portal, signed out.
  await page.locator('.account button').click();
  await page.locator('button[name="logout"]').click();
  await page.waitForURL(`${url}/`);
  await page.locator('.site-header a[href="#/signin"]').waitFor();
  return { name, id: enterprise?.id as string };
}

describe.each([DESKTOP, PHONE])('at $name width ($lang)', (width) => {
  it('a cooperative signs up, and the province officer signs in and verifies it', async () => {
    const { context, page } = await open(width);
    try {
      const cooperative = await signUpCooperative(page, width);
      expect(cooperative.id).toBeTruthy();

      // The officer signs in through the provider from the portal's sign-in page.
      await page.goto(`${url}/#/signin?next=/firms`);
      await page.getByTestId('sign-in').waitFor();
      await screenshot(page, `signin-${width.name}-${width.lang}-signin`);
      await page.getByTestId('sign-in').click();
      await signInAtProvider(page, demoLogins.provinceOfficer, DEFAULT_DEMO_PASSWORD);
      expect(new URL(page.url()).hash).toBe('#/firms');
      const header = await page.locator('.site-header').boundingBox();
      // A phone's header leaves the screen to the page (it took 371 of 844 px).
      if (width.name === 'phone') expect(header?.height ?? 0).toBeLessThan(140);

      // Silent refresh: the access token (75 s) is renewed a minute before it expires, without a page load.
      const first = await storedToken(page);
      await page.waitForFunction(
        (old) => {
          const text = (
            globalThis as unknown as { sessionStorage: { getItem(key: string): string | null } }
          ).sessionStorage.getItem('lienket.token');
          return Boolean(text) && JSON.parse(text as string).token !== old;
        },
        first,
        { timeout: 90_000 },
      );

      const row = page.locator(`li[data-firm="${cooperative.id}"]`);
      await row.waitFor();
      expect(await row.getAttribute('data-status')).toBe('unverified');
      await noSidewaysScroll(page);
      await screenshot(page, `signin-${width.name}-${width.lang}-firms-pending`);
      await row.getByRole('button', { name: width.lang === 'vi' ? 'Xác minh' : 'Verify' }).click();
      await page.locator('.notice-ok').waitFor();
      expect(await page.locator('.notice-ok').textContent()).toContain(cooperative.name);
      const after = await http<{ enterprise: { verification?: { status?: string; decidedBy?: string } } }>(
        url,
        'GET',
        `/v1/enterprises/${cooperative.id}`,
        { headers: { 'cache-control': 'no-cache' } },
      );
      expect(after.body.enterprise.verification?.status).toBe('VERIFICATION_STATUS_VERIFIED');

      // Verified: now among the verified, where it can be designated a lead firm.
      await page.goto(`${url}/#/firms?status=verified`);
      const verified = page.locator(`li[data-firm="${cooperative.id}"]`);
      await verified.waitFor();
      await verified
        .getByRole('button', { name: width.lang === 'vi' ? 'Chỉ định dẫn dắt' : 'Designate lead firm' })
        .click();
      await verified.locator('.badge-lead').waitFor();
      await screenshot(page, `signin-${width.name}-${width.lang}-firms-verified`);

      // Loaded: the search's results, the province's figures and its buyer × supplier heatmap.
      for (const [path, loaded] of [
        ['/#/search', '.results-count'],
        ['/#/province/19', '[data-testid="heatmap"]'],
      ] as const) {
        await page.goto(`${url}${path}`);
        await page.locator(loaded).first().waitFor({ timeout: 30_000 });
        await noSidewaysScroll(page);
        await screenshot(page, `signin-${width.name}-${width.lang}-${path.split('/')[2]}`);
      }
    } finally {
      await context.close();
    }
  });
});

describe('the gateway with a JWKS and a development secret', () => {
  it('accepts the development tokens beside the provider’s, and refuses an enterprise registering a firm', async () => {
    const cartons = await http<{ enterprises?: { id: string }[] }>(url, 'GET', '/v1/enterprises?province=19');
    const enterpriseId = cartons.body.enterprises?.[0]?.id as string;
    const enterpriseToken = await tokenFor({ sub: 'e', role: 'enterprise', enterprise_id: enterpriseId });
    const refused = await http(url, 'POST', '/v1/enterprises', {
      token: enterpriseToken,
      body: {
        taxCode: validTaxCode(serial + 1_000),
        name: 'Công ty Ma',
        kind: 'ENTERPRISE_KIND_ENTERPRISE',
        provinceCode: '19',
        primaryVsic: '1702',
        contact: { person: 'A', phone: '0912000000', email: 'a@example.vn' },
      },
    });
    expect(refused.status).toBe(403);
    const config = await (await fetch(`${url}/portal/config.json`)).json();
    expect(config).toEqual({ signIn: { issuer, clientId: 'lienket-portal', resource: 'urn:lienket:api' } });
    // The portal's page may fetch from the provider (code exchange, refresh), and only from there besides itself.
    const csp = (await fetch(`${url}/`)).headers.get('content-security-policy') ?? '';
    expect(csp).toContain(`connect-src 'self' ${issuer}`);
    expect((await fetch(`${url}/auth/callback?code=x&state=y`)).headers.get('content-type')).toContain(
      'text/html',
    );
  });
});
