import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '@lienket/testkit';
import express from 'express';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { defaultPortalDir, mountPortal } from '../src/portal';
import {
  type FirstView,
  type Focused,
  firstViewTimings,
  focused,
  inPage,
  launchBrowser,
  saveArtifact,
  screenshot,
} from './browser/portal-browser';
import { type Seed, seed } from './browser/seed';
import { http, type Platform, startPlatform, tokenFor } from './platform';

// The whole platform, a seeded country and a real chromium: give each journey room.
jest.setTimeout(120_000);

const portalDir = defaultPortalDir();
if (!existsSync(join(portalDir, 'index.html')))
  throw new Error(`The portal is not built (${portalDir}): run \`npm run build -w @lienket/portal\` first`);

let platform: Platform;
let url: string;
let data: Seed;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  platform = await startPlatform('portal-e2e');
  url = platform.url;
  const launching = launchBrowser().then((launched) => {
    browser = launched;
    return launched;
  });
  [data] = await Promise.all([seed(url), launching]);
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN' });
  page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text()))
      pageErrors.push(`csp: ${message.text()}`);
  });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await platform?.stop();
});

/**
 * The figures the province page must show, computed from what the test itself seeded and posted: every seeded
 * need got a proposal (seeding waited for it); the need posted in the browser is for something nobody supplies.
 */
function expectedFor(province: string, posted: { province: string; fits: boolean }[]) {
  const inProvince = <T extends { province: string }>(items: T[]) =>
    items.filter((i) => i.province === province);
  const firms = Object.values(data.enterprises);
  return {
    openNeeds: inProvince(data.needs).length + inProvince(posted).length,
    openCapabilities: inProvince(data.capabilities).length,
    enterprises: inProvince(firms).length,
    unmetNeeds: inProvince(posted).filter((n) => !n.fits).length,
    leadFirms: firms.filter((e) => data.leadFirms.includes(e.id) && e.province === province).length,
    // The one established linkage: the Thái Nguyên carton maker buys bolts from Bắc Ninh.
    linkages: [data.enterprises.cartons.province, data.enterprises.bolts.province].includes(province) ? 1 : 0,
  };
}

const text = async (selector: string) => (await page.locator(selector).first().textContent())?.trim() ?? '';
const waitForText = (selector: string, expected: string | RegExp, timeout = 15_000) =>
  page.waitForFunction(
    ([s, e, isRegExp]) => {
      const found = (
        globalThis as unknown as { document: { querySelector(s: string): { textContent: string } | null } }
      ).document.querySelector(s)?.textContent;
      return found !== undefined && (isRegExp ? new RegExp(e).test(found ?? '') : (found ?? '').includes(e));
    },
    [
      selector,
      typeof expected === 'string' ? expected : expected.source,
      typeof expected !== 'string',
    ] as const,
    { timeout },
  );

async function signIn(token: string) {
  await page.goto(`${url}/#/signin`);
  await page.getByLabel('Mã truy cập (token)').fill(token);
  await page.getByRole('button', { name: 'Dùng mã này' }).click();
  await page.locator('.who').waitFor();
}

describe('the gateway serves the portal', () => {
  it('serves index.html at / without caching and hashed assets for a year, under the CSP', async () => {
    const index = await fetch(`${url}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toContain('text/html');
    expect(index.headers.get('cache-control')).toBe('no-cache');
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await index.text();
    expect(html).toContain('<html lang="vi">');
    expect(html).not.toMatch(/<script>(?!<\/script>)/); // no inline script: the CSP would refuse it
    const asset = html.match(/\/portal\/assets\/[^"]+\.js/)?.[0] as string;
    const script = await fetch(`${url}${asset}`);
    expect(script.status).toBe(200);
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await fetch(`${url}/portal/assets/missing-1234.js`)).status).toBe(404);
    expect((await fetch(`${url}/portal/anything/here`)).headers.get('content-type')).toContain('text/html');
    // Nothing of the API is shadowed.
    expect((await fetch(`${url}/healthz`)).headers.get('content-type')).toContain('application/json');
    expect((await fetch(`${url}/openapi.json`)).headers.get('content-type')).toContain('application/json');
    expect((await fetch(`${url}/v1/postings?kind=need`)).headers.get('content-type')).toContain(
      'application/json',
    );
    expect((await fetch(`${url}/docs`)).status).toBe(200);
  });

  it('explains how to build the portal when it is not built', async () => {
    const app = express();
    mountPortal(app, { dir: mkdtempSync(join(tmpdir(), 'portal-missing-')) });
    const server = app.listen(0);
    try {
      const address = server.address() as { port: number };
      const response = await fetch(`http://127.0.0.1:${address.port}/`);
      expect(response.status).toBe(503);
      expect(await response.text()).toContain('npm run build');
    } finally {
      server.close();
    }
  });
});

describe('the portal in chromium', () => {
  const postedNeeds: { title: string; province: string; fits: boolean }[] = [];

  it('records the first view’s paint and load times (a measurement for the README, not a limit)', async () => {
    // A warm-up load starts chromium's own processes; each measured load has a fresh context and an empty cache.
    const warm = await browser.newContext();
    await (await warm.newPage()).goto(`${url}/`);
    await warm.close();
    // The median of three loads, so one busy moment of a shared machine does not decide it.
    const loads: (FirstView & { resultsShown: number })[] = [];
    for (let i = 0; i < 3; i += 1) {
      const fresh = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN' });
      const view = await fresh.newPage();
      await view.goto(`${url}/`);
      const timings = await firstViewTimings(view);
      await view.getByRole('heading', { level: 2, name: /kết quả/ }).waitFor();
      loads.push({ ...timings, resultsShown: Math.round(await inPage<number>(view, 'performance.now()')) });
      if (i === 0) await screenshot(view, 'first-view');
      await fresh.close();
    }
    const median = (pick: (l: FirstView) => number) => loads.map(pick).sort((a, b) => a - b)[1] as number;
    const summary = {
      firstContentfulPaint: median((l) => l.firstContentfulPaint),
      domContentLoaded: median((l) => l.domContentLoaded),
      loads,
    };
    saveArtifact('first-view.json', summary);
    process.stdout.write(`[portal test] first view: ${JSON.stringify(summary)}\n`);
    // Timing belongs in a measurement, not an assertion (two shared cores): the page painted and loaded.
    expect(summary.firstContentfulPaint).toBeGreaterThan(0);
    expect(summary.domContentLoaded).toBeGreaterThan(0);
  });

  it('signs in with a pasted token and shows who is signed in', async () => {
    await signIn(data.enterprises.cartons.token);
    await waitForText('.who', 'Công ty Bao bì Thái Nguyên');
    // An enterprise's header names the firm; its role is read by screen readers, not shown as a badge.
    expect(await page.locator('.who .badge').count()).toBe(0);
    expect(await text('.who .sr-only')).toBe('Doanh nghiệp:');
    expect(await page.getByRole('link', { name: 'Tin của tôi' }).count()).toBe(1);
    // Kept for this tab only, marked as a pasted (developer) token: it neither refreshes nor ends a provider session.
    expect(await inPage<string>(page, "sessionStorage.getItem('lienket.token')")).toBe(
      JSON.stringify({ token: data.enterprises.cartons.token, via: 'developer' }),
    );
    await screenshot(page, 'signed-in');
  });

  it('searches needs with a province facet and the counts follow', async () => {
    await page.getByRole('link', { name: 'Tìm cơ hội' }).click();
    const allNeeds = data.needs.length;
    await waitForText('#results-title', `${allNeeds} kết quả`);
    const count = (facet: string, value: string) =>
      text(`[data-facet=${facet}] [data-value="${value}"] .facet-count`);
    expect(await count('province', '19')).toBe(String(data.needs.filter((n) => n.province === '19').length));
    expect(await count('region', 'RRD')).toBe(String(data.needs.filter((n) => n.province === '31').length));
    await screenshot(page, 'search-all-needs');

    await page.getByRole('checkbox', { name: /Thái Nguyên/ }).check();
    const inThaiNguyen = data.needs.filter((n) => n.province === '19');
    await waitForText('#results-title', `${inThaiNguyen.length} kết quả`);
    expect(page.url()).toContain('province=19');
    // Other facets count within the choice; the chosen facet keeps its other values to choose from.
    await page.locator('[data-facet=region] [data-value="RRD"]').waitFor({ state: 'detached' });
    expect(await count('region', 'NMM')).toBe(String(inThaiNguyen.length));
    expect(await count('province', '31')).toBe('1');
    const titles = await page.locator('.results h3').allTextContents();
    expect(titles.sort()).toEqual(inThaiNguyen.map((n) => n.title).sort());

    await page.getByLabel('Từ khoá').fill('kraft');
    await page.getByRole('button', { name: 'Tìm', exact: true }).click();
    await waitForText('#results-title', '1 kết quả');
    await screenshot(page, 'search-facet-and-text');
  });

  it('posts a need: field errors from the API in Vietnamese, then success', async () => {
    await page.getByRole('link', { name: 'Tin của tôi' }).click();
    await page.getByLabel('Tiêu đề').fill('ab');
    await page.getByRole('button', { name: 'Đăng tin' }).click();
    await page.getByTestId('form-errors').waitFor();
    // The form marks the fields the API named, with the API's own Vietnamese words.
    expect(await page.getByLabel('Tiêu đề').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('form input[name="hsCodes"]').getAttribute('aria-invalid')).toBe('true');
    expect(await text('.field-invalid .field-error')).not.toBe('');
    expect(await page.getByTestId('form-errors').textContent()).toContain(
      'Cần ít nhất một mã HS hoặc VSIC để đối tác tìm thấy',
    );
    await page.waitForFunction("document.activeElement?.dataset.testid === 'form-errors'");
    await screenshot(page, 'post-need-errors');

    // Wooden shop shelves: nobody in the seeded country makes them, so the need stays unmet.
    const title = 'Cần kệ gỗ trưng bày cửa hàng';
    await page.getByLabel('Tiêu đề').fill(title);
    await page.getByLabel('Loại nhu cầu').selectOption({ label: 'Thiết bị' });
    // The code picker offers a code typed in full; Enter chooses it.
    await page.locator('form input[name="hsCodes"]').fill('940360');
    await page.locator('[role="listbox"] [role="option"][data-code="940360"]').waitFor();
    await page.locator('form input[name="hsCodes"]').press('Enter');
    await page.locator('.code-chip[data-code="940360"]').waitFor();
    await page.getByLabel('Số lượng mỗi tháng').fill('40');
    await page.getByLabel('Đơn vị').fill('bộ');
    await page.getByRole('button', { name: 'Đăng tin' }).click();
    await waitForText('.notice-ok', `Đã đăng tin “${title}”.`);
    await page.locator('.my-posting h3', { hasText: title }).waitFor();
    postedNeeds.push({ title, province: '19', fits: false });
    const listed = await http<{ postings?: { need?: { title: string } }[] }>(
      url,
      'GET',
      `/v1/postings?kind=need&enterprise_id=${data.enterprises.cartons.id}`,
    );
    expect(listed.body.postings?.map((p) => p.need?.title)).toContain(title);
    await screenshot(page, 'post-need-success');
  });

  it('shows a proposal with its reasons and accepts it', async () => {
    await page.getByRole('link', { name: 'Đề xuất kết nối' }).click();
    const card = page.locator(`[data-proposal="${data.proposals.kraft}"]`);
    await card.waitFor();
    expect((await card.locator('.reason').textContent())?.trim()).not.toBe('');
    expect(await card.locator('table.components tbody tr').count()).toBeGreaterThan(0);
    await card.locator('h3', { hasText: data.needs[0]?.title as string }).waitFor();
    await screenshot(page, 'proposal-before');
    await card.getByRole('button', { name: 'Chấp nhận' }).click();
    await waitForText('.notice-ok', 'Bạn đã chấp nhận đề xuất.');
    await card.locator('.badge', { hasText: 'Một bên đã chấp nhận' }).waitFor();
    const after = await http<{ proposal: { status: string; buyerAcceptedAt?: string } }>(
      url,
      'GET',
      `/v1/proposals/${data.proposals.kraft}`,
      { token: data.admin },
    );
    expect(after.body.proposal.status).toBe('PROPOSAL_STATUS_ACCEPTED_BY_ONE');
    expect(after.body.proposal.buyerAcceptedAt).toBeDefined();
    await screenshot(page, 'proposal-accepted');
  });

  it('offers technology: filters, detail, interest, and the enterprise’s interests', async () => {
    await page.getByRole('link', { name: 'Chợ công nghệ' }).click();
    await page.getByRole('checkbox', { name: 'Sản xuất sạch hơn' }).check();
    await page.getByRole('button', { name: 'Lọc' }).click();
    await page.getByRole('link', { name: data.offer.title }).click();
    await page.getByRole('heading', { name: data.offer.title }).waitFor();
    await page
      .getByLabel('Lời nhắn cho bên chuyển giao')
      .fill('Chúng tôi muốn được chuyển giao cho xưởng mạ.');
    await page.getByRole('button', { name: 'Gửi quan tâm' }).click();
    await waitForText('.notice-ok', 'Đã gửi quan tâm.');
    await screenshot(page, 'tech-interest');
    await page.getByRole('link', { name: 'Quan tâm của tôi' }).click();
    await page.locator('.cards h3', { hasText: data.offer.title }).waitFor();
  });

  it('shows a province page whose figures equal the seeded data', async () => {
    await page.getByRole('button', { name: 'Đăng xuất' }).click();
    await signIn(await tokenFor({ sub: 'officer-19', role: 'province', province_code: '19' }));
    const expected = expectedFor('19', postedNeeds);
    // The insights read model follows the events: wait until it has caught up with everything seeded.
    type Summary = {
      postings?: { openNeeds?: number };
      unmetDemand?: { unmetNeeds?: number };
      linkages?: { linkages?: number };
      enterprises?: { registered?: number };
    };
    await waitFor(
      async () => {
        const s = (await http<Summary>(url, 'GET', '/v1/insights/provinces/19')).body;
        return (
          (s.postings?.openNeeds ?? 0) === expected.openNeeds &&
          (s.unmetDemand?.unmetNeeds ?? 0) === expected.unmetNeeds &&
          (s.linkages?.linkages ?? 0) === expected.linkages &&
          (s.enterprises?.registered ?? 0) === expected.enterprises
        );
      },
      { timeoutMs: 30_000, what: `the insights of province 19 to reach ${JSON.stringify(expected)}` },
    );
    await page.goto(`${url}/#/province/19`);
    await page.locator('[data-figure=open-needs]').waitFor({ timeout: 20_000 });
    const figure = (name: string) => text(`[data-figure=${name}]`);
    expect(await figure('open-needs')).toBe(String(expected.openNeeds));
    expect(await figure('open-capabilities')).toBe(String(expected.openCapabilities));
    expect(await figure('enterprises')).toBe(String(expected.enterprises));
    expect(await figure('unmet-needs')).toBe(String(expected.unmetNeeds));
    expect(await page.locator('[data-figure=lead-firms]').getAttribute('data-value')).toBe(
      String(expected.leadFirms),
    );
    expect(await text('.lead-firms')).toContain(data.enterprises.kraft.name);
    expect(await page.locator('[data-figure=linkages]').getAttribute('data-value')).toBe(
      String(expected.linkages),
    );
    expect(
      await page
        .locator(`.top-firms [data-enterprise="${data.enterprises.cartons.id}"]`)
        .getAttribute('data-linkages'),
    ).toBe('1');
    // Drawn: the heatmap cell and the tile map's flow between Thái Nguyên and Bắc Ninh.
    expect(await text('[data-cell="19>24"]')).toBe('1');
    expect(await page.locator('svg.tile-map rect').count()).toBe(34);
    expect(await page.locator('svg.tile-map path.flow[data-partner="24"]').count()).toBe(1);
    expect(await text('[data-partner="24"] td')).toBe('1');
    await screenshot(page, 'province-19');
  });

  it('switches to English, remembers it, and sets the lang attribute', async () => {
    await page.getByTestId('lang-switch').click();
    await page.getByRole('link', { name: 'Find opportunities' }).waitFor();
    expect(await inPage<string>(page, 'document.documentElement.lang')).toBe('en');
    expect(await page.getByText('Open needs').count()).toBeGreaterThan(0);
    await page.reload();
    await page.getByRole('link', { name: 'Find opportunities' }).waitFor();
    expect(await inPage<string>(page, 'document.documentElement.lang')).toBe('en');
    await page.locator('[data-figure=open-needs]').waitFor();
    expect(await page.locator('.figure dt').allTextContents()).toEqual(
      expect.arrayContaining(['Open needs', 'Open capabilities', 'Enterprises', 'Unmet demand']),
    );
    expect(await page.getByRole('heading', { name: 'Linkages between provinces' }).count()).toBe(1);
    await screenshot(page, 'province-19-english');
    await page.getByTestId('lang-switch').click();
    await page.getByRole('link', { name: 'Tìm cơ hội' }).waitFor();
  });

  it('shows an event published during the test on the live view, and resumes after a pause without gaps', async () => {
    await page.getByRole('link', { name: 'Sự kiện trực tiếp' }).click();
    await page.locator('[data-status=live]').waitFor({ timeout: 20_000 });
    const post = async (title: string) => {
      const bamboo = data.enterprises.bamboo;
      const r = await http(url, 'POST', '/v1/capabilities', {
        token: bamboo.token,
        body: {
          enterpriseId: bamboo.id,
          title,
          hsCodes: ['460219'],
          monthlyCapacity: { value: 300, unit: 'chiếc' },
        },
      });
      expect(r.status).toBe(201);
    };
    await post('Đèn mây tre trang trí');
    await page.locator('.event-title', { hasText: 'Đèn mây tre trang trí' }).waitFor({ timeout: 30_000 });
    await screenshot(page, 'live-event');

    await page.getByRole('button', { name: 'Tạm dừng' }).click();
    await page.locator('[data-status=paused]').waitFor();
    await post('Thảm cói Kim Sơn');
    await page.getByRole('button', { name: 'Tiếp tục' }).click();
    await page.locator('.event-title', { hasText: 'Thảm cói Kim Sơn' }).waitFor({ timeout: 30_000 });
    const titles = await page.locator('.event-title').allTextContents();
    expect(titles.indexOf('Thảm cói Kim Sơn')).toBeLessThan(titles.indexOf('Đèn mây tre trang trí')); // newest first
    await screenshot(page, 'live-event-resumed');
  });

  it('renders the search page on a phone without horizontal scrolling', async () => {
    const phone = await browser.newContext({
      viewport: { width: 360, height: 740 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: 'vi-VN',
    });
    const small = await phone.newPage();
    for (const path of ['/#/search', '/#/province/19', '/#/tech']) {
      await small.goto(`${url}${path}`);
      await small.locator('#page-title').waitFor();
      await small.waitForLoadState('networkidle');
      const widths = await inPage<{ scroll: number; inner: number }>(
        small,
        '({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth })',
      );
      expect(widths.scroll).toBeLessThanOrEqual(widths.inner);
    }
    await small.goto(`${url}/#/search`);
    await small.getByRole('heading', { level: 2, name: /kết quả/ }).waitFor();
    await screenshot(small, 'phone-search');
    await phone.close();
  });

  it('reaches the main controls with the keyboard alone, with visible focus', async () => {
    const keyboard = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN' });
    const kb = await keyboard.newPage();
    await kb.goto(`${url}/#/search`);
    await kb.getByRole('heading', { level: 2, name: /kết quả/ }).waitFor();
    const seen: Focused[] = [];
    for (let i = 0; i < 30; i += 1) {
      await kb.keyboard.press('Tab');
      seen.push(await focused(kb));
    }
    saveArtifact('keyboard-order.json', seen);
    const reached = (test: (f: Focused) => boolean, what: string) => {
      const hit = seen.find(test);
      if (!hit)
        throw new Error(`keyboard never reached ${what}: ${JSON.stringify(seen.map((f) => f.text || f.id))}`);
      expect(hit.visibleFocus).toBe(true);
    };
    reached((f) => f.tag === 'a' && f.text === 'Bỏ qua, đến nội dung chính', 'the skip link');
    // Its name is its visible word (the short "EN" is hidden on a wide screen).
    reached((f) => f.tag === 'button' && f.text.startsWith('English'), 'the language switch');
    reached((f) => f.tag === 'a' && f.text === 'Đăng nhập', 'sign in');
    reached((f) => f.tag === 'a' && f.href === '#/province', 'the navigation');
    reached((f) => f.type === 'radio' && f.text.includes('Nhu cầu'), 'the posting type');
    reached((f) => f.id === 'search-text', 'the search box');
    reached((f) => f.tag === 'button' && f.text === 'Tìm', 'the search button');
    reached((f) => f.type === 'checkbox' && f.text.includes('Thái Nguyên'), 'a facet');

    // Space on a focused facet filters, as a click does.
    const before = (await kb.locator('#results-title').textContent()) ?? '';
    for (let i = 0; i < 40 && !(await focused(kb)).text.includes('Hải Phòng'); i += 1)
      await kb.keyboard.press('Tab');
    await kb.keyboard.press('Space');
    await kb.waitForFunction(
      (b) =>
        (
          globalThis as unknown as { document: { querySelector(s: string): { textContent: string } | null } }
        ).document.querySelector('#results-title')?.textContent !== b,
      before,
    );
    expect(await kb.locator('#results-title').textContent()).toBe('1 kết quả');
    // The skip link, first of all, moves focus to the main content.
    await kb.reload();
    await kb.locator('#page-title').waitFor();
    await kb.keyboard.press('Tab');
    await kb.keyboard.press('Enter');
    expect(await inPage<string>(kb, 'document.activeElement.id')).toBe('main');
    await screenshot(kb, 'keyboard');
    await keyboard.close();
  });

  it('met no script error or CSP refusal on the way', () => {
    expect(pageErrors).toEqual([]);
  });
});
