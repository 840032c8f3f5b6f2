import { createServer } from 'node:net';
import { parseConfig } from '@lienket/platform';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { identityConfigSchema } from '../../../identity/src/config';
import { DEFAULT_DEMO_PASSWORD, demoLogins, seedDemoAccounts } from '../../../identity/src/seed';
import { startIdentity } from '../../../identity/src/service';
import { freePort } from '../../../identity/test/platform';
import { type Platform, startPlatform } from '../platform';
import { launchBrowser } from './portal-browser';
import { type Seed, seed } from './seed';

/**
 * A free port below Linux's ephemeral range (32768+): identity's gRPC port is chosen before the platform
 * starts (the gateway is told it), and a port from the ephemeral range would likely be taken meanwhile
 * by one of the many connections the platform opens.
 */
async function portOutsideEphemeralRange(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '0.0.0.0', () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error('no free port in 20000-32000');
}

/**
 * The platform with identity in-process beside it (the gateway verifying its tokens by JWKS, and the
 * development tokens the seed uses), the seed's demo data, identity's demo accounts and a chromium.
 */
export async function startSignedInPlatform(label: string) {
  const gatewayPort = await freePort();
  const identityPort = await freePort();
  const identityGrpcPort = await portOutsideEphemeralRange();
  const issuer = `http://127.0.0.1:${identityPort}`;
  const platform: Platform = await startPlatform(label, {
    HTTP_PORT: String(gatewayPort),
    AUTH_JWKS_URL: `${issuer}/jwks`,
    AUTH_ISSUER: issuer,
    IDENTITY_ADDR: `127.0.0.1:${identityGrpcPort}`,
  });
  const { infra, url } = platform;
  const config = parseConfig(identityConfigSchema, {
    GRPC_PORT: String(identityGrpcPort),
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
    PASSWORD_SCRYPT_LOG_N: '12',
    SIGN_IN_MAX_FAILURES_PER_ADDRESS: '1000',
  });
  const identity = await startIdentity(config, infra.log);
  let browser: Browser | undefined;
  const launching = launchBrowser().then((launched) => {
    browser = launched;
  });
  const [data] = await Promise.all([seed(url), launching]);
  await seedDemoAccounts(config, { password: DEFAULT_DEMO_PASSWORD, ifEmpty: true });
  return {
    platform,
    identity,
    identityConfig: config,
    url,
    issuer,
    data: data as Seed,
    browser: browser as Browser,
    async stop() {
      await browser?.close();
      await identity.stop();
      await platform.stop();
    },
  };
}

export type SignedInPlatform = Awaited<ReturnType<typeof startSignedInPlatform>>;

export type Width = {
  name: 'desktop' | 'phone';
  lang: 'vi' | 'en';
  viewport: { width: number; height: number };
};
export const DESKTOP_VI: Width = { name: 'desktop', lang: 'vi', viewport: { width: 1280, height: 900 } };
export const PHONE_EN: Width = { name: 'phone', lang: 'en', viewport: { width: 390, height: 844 } };

/** A browser context at `width` in its language; page errors and CSP refusals go to `problems`. */
export async function openAt(
  browser: Browser,
  width: Width,
  problems: string[],
  options: { bypassCSP?: boolean } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    ...options,
    viewport: width.viewport,
    ...(width.name === 'phone' ? { deviceScaleFactor: 2, isMobile: true, hasTouch: true } : {}),
    locale: width.lang === 'vi' ? 'vi-VN' : 'en-GB',
  });
  await context.addInitScript(`localStorage.setItem('lienket.lang', '${width.lang}')`);
  const page = await context.newPage();
  page.on('pageerror', (error) => problems.push(`${width.name} pageerror: ${error.message} (${page.url()})`));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text()))
      problems.push(`${width.name} csp: ${message.text()}`);
  });
  return { context, page };
}

/** Signs in from the portal's sign-in page through identity's (code + PKCE); `atProvider` sees its page. */
export async function signInThroughProvider(
  page: Page,
  url: string,
  login: string,
  options: { next?: string; atProvider?: (page: Page) => Promise<void> } = {},
) {
  await page.goto(`${url}/#/signin${options.next ? `?next=${options.next}` : ''}`);
  await page.getByTestId('sign-in').click();
  await page.waitForURL(/\/interaction\//);
  await options.atProvider?.(page);
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill(DEFAULT_DEMO_PASSWORD);
  await page.locator('form button[type="submit"]').click();
  await page.waitForURL((u) => u.origin === url && !u.pathname.startsWith('/auth/'));
  await page.locator('.who').waitFor();
}

/**
 * The page's heading is there and nothing in it says "loading" any more (a page still loading after 30 s
 * is taken as it is). Locator waits only: a string or function predicate (waitForFunction) is evaluated in
 * the page, which the portal's CSP refuses.
 */
export async function settled(page: Page) {
  await page.locator('#page-title').waitFor({ timeout: 30_000 });
  await page
    .locator('main [role="status"].muted')
    .first()
    .waitFor({ state: 'detached', timeout: 30_000 })
    .catch(() => undefined);
}

/** Waits until the element's text no longer shows a name still loading (…). */
export const nameLoaded = (page: Page, selector: string) =>
  page.locator(selector).filter({ hasNotText: '…' }).waitFor();

export { demoLogins };
