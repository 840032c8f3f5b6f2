// The analyst's side of the portal, signed in as identity's seeded analyst through the real sign-in flow
// (authorization code + PKCE): a webhook subscription made on #/webhooks and pointed at a receiver this test
// runs, a test delivery and a real event arriving there signed and shown in the page's delivery log, and the
// live events with readable type names and the firms' names; at desktop (vi) and phone (en) widths, with
// screenshots of both languages at each.
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eventCatalogue } from '@lienket/contracts';
import { parseConfig } from '@lienket/platform';
import { eventGroups, labelledEventTypes } from '@lienket/reference';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { identityConfigSchema } from '../../identity/src/config';
import { DEFAULT_DEMO_PASSWORD, demoLogins, seedDemoAccounts } from '../../identity/src/seed';
import { startIdentity } from '../../identity/src/service';
import { freePort } from '../../identity/test/platform';
import { publicTopics } from '../src/events/public-events';
import { verifyWebhookSignature } from '../src/webhooks';
import { TEST_EVENT_TYPE } from '../src/webhooks/routes';
import { inPage, launchBrowser, screenshot } from './browser/portal-browser';
import { type Seed, seed } from './browser/seed';
import { http as api, type Platform, startPlatform } from './platform';

jest.setTimeout(180_000);

const NEED_POSTED = 'vn.lienket.registry.need.posted.v1';

let platform: Platform;
let identity: Awaited<ReturnType<typeof startIdentity>>;
let url: string;
let browser: Browser;
let data: Seed;
let server: http.Server;
let receiverUrl: string;
const received: { path: string; headers: IncomingHttpHeaders; body: string }[] = [];
const problems: string[] = [];

beforeAll(async () => {
  server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        path: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const gatewayPort = await freePort();
  const identityPort = await freePort();
  const issuer = `http://127.0.0.1:${identityPort}`;
  platform = await startPlatform('portal-analyst', {
    HTTP_PORT: String(gatewayPort),
    AUTH_JWKS_URL: `${issuer}/jwks`,
    AUTH_ISSUER: issuer,
    // The receiver listens on this machine's loopback.
    WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
    WEBHOOK_POLL_MS: '100',
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
    PASSWORD_SCRYPT_LOG_N: '12',
    SIGN_IN_MAX_FAILURES_PER_ADDRESS: '1000',
  });
  identity = await startIdentity(config, infra.log);
  const launching = launchBrowser().then((launched) => {
    browser = launched;
  });
  [data] = await Promise.all([seed(url), launching]);
  await seedDemoAccounts(config, { password: DEFAULT_DEMO_PASSWORD, ifEmpty: true });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await identity?.stop();
  await platform?.stop();
  await new Promise<void>((resolve) => {
    if (!server) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
});

afterEach(() => {
  expect(problems).toEqual([]);
});

describe('event labels', () => {
  it('name every public event type in both languages, and each group by its prefix', () => {
    const publicTypes = eventCatalogue.filter((d) => publicTopics.includes(d.topic)).map((d) => d.type);
    expect(publicTypes.length).toBeGreaterThan(40);
    expect(publicTypes.filter((t) => !labelledEventTypes.includes(t))).toEqual([]);
    expect(labelledEventTypes).toContain(TEST_EVENT_TYPE);
    for (const group of eventGroups)
      for (const type of group.types) {
        expect(type.type.startsWith(group.prefix)).toBe(true);
        expect(type.vi).not.toEqual(type.en);
      }
  });
});

type Width = { name: 'desktop' | 'phone'; lang: 'vi' | 'en'; viewport: { width: number; height: number } };
const DESKTOP: Width = { name: 'desktop', lang: 'vi', viewport: { width: 1280, height: 900 } };
const PHONE: Width = { name: 'phone', lang: 'en', viewport: { width: 390, height: 844 } };
const other = (lang: 'vi' | 'en') => (lang === 'vi' ? 'en' : 'vi');

// An id in the firms' line of an event (uuidv7 and friends) would be a raw id shown to a person.
const WATCH_RAW_IDS = `
  window.__rawIds = [];
  document.addEventListener('DOMContentLoaded', () => {
    new MutationObserver(() => {
      for (const line of document.querySelectorAll('.event-firms')) {
        const text = line.textContent || '';
        if (/[0-9a-f]{8}-[0-9a-f]{4}-|ent-[0-9a-z]/i.test(text)) window.__rawIds.push(text);
      }
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
`;

async function open(width: Width): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: width.viewport,
    ...(width.name === 'phone' ? { deviceScaleFactor: 2, isMobile: true, hasTouch: true } : {}),
    locale: width.lang === 'vi' ? 'vi-VN' : 'en-GB',
  });
  await context.addInitScript(`localStorage.setItem('lienket.lang', '${width.lang}')`);
  await context.addInitScript(WATCH_RAW_IDS);
  const page = await context.newPage();
  page.on('pageerror', (error) => problems.push(`${width.name} pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text()))
      problems.push(`${width.name} csp: ${message.text()}`);
  });
  return { context, page };
}

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
  expect({ scroll: widths.scroll, wide: widths.scroll > widths.inner ? widths.wide : [] }).toEqual({
    scroll: Math.min(widths.scroll, widths.inner),
    wide: [],
  });
}

/** Clicks the delivery log's reload until the delivery shows (the log reloads itself only while one is pending). */
async function deliveryShown(page: Page, card: ReturnType<Page['locator']>, selector: string) {
  const wanted = card.locator(selector);
  for (let round = 0; round < 60; round += 1) {
    if (await wanted.count()) return;
    await card.locator('.deliveries > button').click();
    if (
      await wanted.waitFor({ timeout: 1_000 }).then(
        () => true,
        () => false,
      )
    )
      return;
  }
  await screenshot(page, 'analyst-delivery-missing');
  throw new Error(`no ${selector} in the delivery log`);
}

async function switchLanguage(page: Page, to: 'vi' | 'en') {
  await page.getByTestId('lang-switch').click();
  await page.waitForFunction(
    (lang) =>
      (globalThis as unknown as { document: { documentElement: { lang: string } } }).document.documentElement
        .lang === lang,
    to,
  );
}

describe.each([DESKTOP, PHONE])('at $name width ($lang)', (width) => {
  it('the analyst signs in, subscribes a receiver, sees a test and a real event delivered, and reads the live events', async () => {
    const { context, page } = await open(width);
    const vi = width.lang === 'vi';
    const hookPath = `/hook/${width.name}`;
    const arrived = (type: string) =>
      received.filter((r) => r.path === hookPath && JSON.parse(r.body).type === type);
    try {
      // Signed in as the seeded analyst through identity's page, back on the webhooks page.
      await page.goto(`${url}/#/signin?next=/webhooks`);
      await page.getByTestId('sign-in').click();
      await page.waitForURL(/\/interaction\//);
      await page.locator('input[name="login"]').fill(demoLogins.analyst);
      await page.locator('input[name="password"]').fill(DEFAULT_DEMO_PASSWORD);
      await page.locator('form button[type="submit"]').click();
      await page.waitForURL((u) => u.origin === url && !u.pathname.startsWith('/auth/'));
      // On a phone the header may fold the account away: present, not necessarily shown.
      await page.locator('.who').waitFor({ state: 'attached' });
      expect(new URL(page.url()).hash).toBe('#/webhooks');
      // The role reads once: the header read "Nhà phân tích Nhà phân tích".
      const who = (await page.locator('.site-header').textContent()) ?? '';
      const role = vi ? 'Nhà phân tích' : 'Analyst';
      expect(who.split(role).length - 1).toBe(1);
      if (width.name === 'phone')
        expect((await page.locator('.site-header').boundingBox())?.height ?? 0).toBeLessThan(140);
      await page.locator('#webhook-new').waitFor();
      await screenshot(page, `analyst-${width.name}-${width.lang}-webhooks-empty`);

      // A target the API refuses: its message at the URL field, from the problem's field errors.
      const form = page.locator('form[aria-labelledby="webhook-new"]');
      await form.locator('input[name="target_url"]').fill('ftp://example.vn/hook');
      await form.locator('button[type="submit"]').click();
      const urlField = form.locator('.field', { has: page.locator('input[name="target_url"]') });
      await urlField.locator('.field-error').waitFor();
      expect(await form.locator('input[name="target_url"]').getAttribute('aria-invalid')).toBe('true');
      expect(await urlField.locator('.field-error').textContent()).not.toContain('body.target_url');
      await screenshot(page, `analyst-${width.name}-${width.lang}-webhooks-error`);

      // Created: needs of Thái Nguyên, to the receiver; the secret shown once.
      const description = vi ? 'Nhu cầu mới ở Thái Nguyên' : 'New needs in Thái Nguyên';
      await form.locator('input[name="target_url"]').fill(`${receiverUrl}${hookPath}`);
      await form.locator('input[name="description"]').fill(description);
      const needsSelector = 'input[name="type"][value="vn.lienket.registry.need."]';
      const needsBox = form.locator(needsSelector);
      expect(await form.locator('label', { has: page.locator(needsSelector) }).textContent()).toContain(
        vi ? 'Nhu cầu mới được đăng' : 'New need posted',
      );
      await needsBox.check();
      await form.locator('select[name="province"]').selectOption('19');
      await form.locator('button[type="submit"]').click();
      const secretBox = page.getByTestId('webhook-secret');
      await secretBox.waitFor();
      const secret = await page.locator('#webhook-secret').inputValue();
      expect(secret).toMatch(/^whsec_/);
      const card = page.locator('li.subscription', { hasText: description });
      await card.waitFor();
      const subscriptionId = (await card.getAttribute('data-subscription')) as string;
      expect(await card.textContent()).toContain(vi ? 'Nhu cầu' : 'Needs');
      expect(await card.textContent()).toContain('Thái Nguyên');
      await noSidewaysScroll(page);
      await screenshot(page, `analyst-${width.name}-${width.lang}-webhooks-created`);
      await secretBox.getByRole('button').click();

      // A test delivery: at the receiver, signed with the secret, and delivered in the page's log.
      await card.getByRole('button', { name: vi ? 'Gửi thử' : 'Send a test' }).click();
      await card
        .locator(`li.delivery[data-event-type="${TEST_EVENT_TYPE}"][data-status="delivered"]`)
        .waitFor({ timeout: 30_000 });
      const [test] = arrived(TEST_EVENT_TYPE);
      expect(test).toBeDefined();
      expect(verifyWebhookSignature(secret, test?.headers ?? {}, test?.body ?? '')).toBe(true);
      expect(JSON.parse(test?.body ?? '{}').data.subscriptionId).toBe(subscriptionId);
      expect(await card.locator('li.delivery').first().textContent()).toContain(
        vi ? 'Lần gửi thử' : 'Test delivery',
      );

      // A real event: the Thái Nguyên cartons firm posts a need; it reaches the receiver and the log.
      const cartons = data.enterprises.cartons;
      const posted = await api<{ need: { id: string } }>(url, 'POST', '/v1/needs', {
        token: cartons.token,
        body: {
          enterpriseId: cartons.id,
          title: `Cần thùng carton 5 lớp (${width.name})`,
          description: 'Thùng carton 5 lớp in logo, giao hằng tháng',
          category: 'NEED_CATEGORY_MATERIAL',
          hsCodes: ['481910'],
          quantityPerMonth: { value: 20_000, unit: 'chiếc' },
        },
      });
      expect(posted.status).toBe(201);
      await deliveryShown(
        page,
        card,
        `li.delivery[data-event-type="${NEED_POSTED}"][data-status="delivered"]`,
      );
      const needs = arrived(NEED_POSTED).map((r) => ({ r, event: JSON.parse(r.body) }));
      const need = needs.find(({ event }) => event.data.need.id === posted.body.need.id);
      expect(need).toBeDefined();
      expect(verifyWebhookSignature(secret, need?.r.headers ?? {}, need?.r.body ?? '')).toBe(true);
      expect(
        await card.locator(`li.delivery[data-event-type="${NEED_POSTED}"]`).first().textContent(),
      ).toContain(vi ? 'Nhu cầu mới được đăng' : 'New need posted');
      await noSidewaysScroll(page);
      await screenshot(page, `analyst-${width.name}-${width.lang}-webhooks-delivered`);
      await switchLanguage(page, other(width.lang));
      await card.locator(`li.delivery[data-event-type="${NEED_POSTED}"]`).first().waitFor();
      await noSidewaysScroll(page);
      await screenshot(page, `analyst-${width.name}-${other(width.lang)}-webhooks-delivered`);
      await switchLanguage(page, width.lang);

      // The live events: readable names and the firms by name, never a raw id; Apply keeps what matches.
      await page.goto(`${url}/#/events`);
      const needItem = page.locator(`li.event[data-type="${NEED_POSTED}"]`, {
        hasText: `Cần thùng carton 5 lớp (${width.name})`,
      });
      await needItem.waitFor({ timeout: 30_000 });
      expect(await needItem.locator('.event-label').textContent()).toBe(
        vi ? 'Nhu cầu mới được đăng' : 'New need posted',
      );
      await needItem.locator('.event-firm a', { hasText: cartons.name }).waitFor();
      const proposal = page
        .locator('li.event[data-type="vn.lienket.matchmaking.proposal.proposed.v1"]')
        .first();
      await proposal.waitFor({ timeout: 30_000 });
      await proposal.locator('.event-firm a').first().waitFor();
      expect(await proposal.locator('.event-firm-role').allTextContents()).toEqual(
        expect.arrayContaining([vi ? 'Bên mua: ' : 'Buyer: ', vi ? 'Bên cung ứng: ' : 'Supplier: ']),
      );
      await noSidewaysScroll(page);
      await screenshot(page, `analyst-${width.name}-${width.lang}-events`);

      const before = await page.locator('li.event').count();
      expect(before).toBeGreaterThan(1);
      // On a phone the filters are folded away below their heading, so the events come first.
      const filters = page.locator('details.event-filter-fields');
      expect((await filters.getAttribute('open')) !== null).toBe(width.name === 'desktop');
      if (width.name === 'phone') await filters.locator('summary').click();
      await page
        .locator('form[aria-labelledby="events-filters"] select')
        .first()
        .selectOption('vn.lienket.registry.need.');
      await page.locator('form[aria-labelledby="events-filters"] button[type="submit"]').click();
      await page.locator('.stream-status[data-status="live"]').waitFor({ timeout: 30_000 });
      await needItem.waitFor();
      const types = await page
        .locator('li.event')
        .evaluateAll((items) =>
          items.map((item) => (item as unknown as { dataset: { type: string } }).dataset.type),
        );
      expect(types.length).toBeGreaterThan(0);
      expect(types.filter((t) => !t.startsWith('vn.lienket.registry.need.'))).toEqual([]);
      await switchLanguage(page, other(width.lang));
      await needItem
        .locator('.event-label')
        .filter({ hasText: vi ? 'New need posted' : 'Nhu cầu mới được đăng' })
        .waitFor();
      await noSidewaysScroll(page);
      await screenshot(page, `analyst-${width.name}-${other(width.lang)}-events-filtered`);
      await switchLanguage(page, width.lang);
      expect(await inPage<string[]>(page, 'window.__rawIds')).toEqual([]);

      // Deleted from the page: gone from the list and from the API.
      await page.goto(`${url}/#/webhooks`);
      const again = page.locator(`li.subscription[data-subscription="${subscriptionId}"]`);
      await again.waitFor();
      await again.getByRole('button', { name: vi ? 'Xóa' : 'Delete', exact: true }).click();
      await again
        .getByRole('button', { name: vi ? 'Xóa hẳn đăng ký này' : 'Delete this subscription for good' })
        .click();
      await again.waitFor({ state: 'detached' });
      const token = await inPage<string>(
        page,
        `JSON.parse(sessionStorage.getItem('lienket.token') || '{}').token || ''`,
      );
      expect((await api(url, 'GET', `/v1/subscriptions/${subscriptionId}`, { token })).status).toBe(404);
    } finally {
      await context.close();
    }
  });
});
