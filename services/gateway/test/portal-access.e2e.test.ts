// The officer side of access (issue 17), signed in through identity: the province centre's administrator
// invites an officer from the portal and sees the invitation pending; an establishment sees the delegation
// it granted and revokes it, the officer sees the one it holds. Screenshots of the officer's pages at
// 1280 and 390 px in both languages (test-artifacts/portal).
import { identityServiceV1 as ids } from '@lienket/contracts';
import { actorMetadata, createGrpcClient } from '@lienket/platform';
import type { Page } from 'playwright-core';
import { inPage, screenshot } from './browser/portal-browser';
import {
  DESKTOP_VI,
  demoLogins,
  nameLoaded,
  openAt,
  PHONE_EN,
  type SignedInPlatform,
  settled,
  signInThroughProvider,
  startSignedInPlatform,
  type Width,
} from './browser/signed-in-platform';

jest.setTimeout(240_000);

let env: SignedInPlatform;
const problems: string[] = [];

beforeAll(async () => {
  env = await startSignedInPlatform('portal-access');
}, 300_000);

afterAll(async () => {
  await env?.stop();
});

afterEach(() => {
  const seen = problems.splice(0);
  expect(seen).toEqual([]);
});

/** The claims of the signed-in tab's access token. */
const claimsOf = (page: Page) =>
  inPage<{ sub: string; org_id: string; enterprise_id?: string }>(
    page,
    `JSON.parse(atob(JSON.parse(sessionStorage.getItem('lienket.token')).token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')))`,
  );

async function noSidewaysScroll(page: Page) {
  const widths = await inPage<{ scroll: number; inner: number }>(
    page,
    `({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth })`,
  );
  expect(widths.scroll).toBeLessThanOrEqual(widths.inner);
}

it('a province administrator invites an officer and sees the invitation pending', async () => {
  const { context, page } = await openAt(env.browser, DESKTOP_VI, problems);
  try {
    await signInThroughProvider(page, env.url, demoLogins.provinceAdmin, { next: '/access' });
    expect(new URL(page.url()).hash).toBe('#/access');
    // The header names the centre, not the role twice.
    expect(await page.locator('.who-name .who-long').textContent()).toBe('Trung tâm Khuyến công Thái Nguyên');
    const form = page.getByTestId('invite');
    await form.locator('input[name="invitedLogin"]').fill('canbo.moi@example.vn');
    await form.locator('select[name="role"]').selectOption('MEMBERSHIP_ROLE_PROVINCE_OFFICER');
    await form.locator('button[type="submit"]').click();
    const link = await page.getByTestId('invitation-link').textContent();
    expect(link).toMatch(new RegExp(`^${env.issuer}/invitations/[A-Za-z0-9_-]{43}$`));
    const row = page.locator('tr[data-invitation]');
    await row.first().waitFor();
    expect(await row.count()).toBe(1);
    expect(await row.first().locator('th').textContent()).toContain('@example.vn');
    expect(await row.first().textContent()).toContain('Cán bộ khuyến công tỉnh');
    // The link opens identity's acceptance page.
    const accept = await fetch(link as string);
    expect(accept.status).toBe(200);
    await screenshot(page, 'access-desktop-vi-admin-invited');
    // Revoked, it is no longer pending.
    await row.first().getByRole('button', { name: 'Thu hồi' }).click();
    await page.getByText('Không có lời mời nào đang chờ.').waitFor();
  } finally {
    await context.close();
  }
});

it('an establishment sees and revokes the delegation it granted; the officer sees the one it holds', async () => {
  // The cooperative's owner and the officer, signed in; the owner grants through identity's API.
  const owner = await openAt(env.browser, DESKTOP_VI, problems);
  const officer = await openAt(env.browser, DESKTOP_VI, problems);
  const identity = createGrpcClient(ids.IdentityServiceService, `127.0.0.1:${env.identityConfig.GRPC_PORT}`);
  try {
    await signInThroughProvider(owner.page, env.url, demoLogins.cooperative, { next: '/access' });
    await signInThroughProvider(officer.page, env.url, demoLogins.provinceOfficer, { next: '/access' });
    const ownerClaims = await claimsOf(owner.page);
    const officerClaims = await claimsOf(officer.page);
    const me = await identity.getMe(
      {},
      {
        metadata: actorMetadata({
          role: 'province',
          subject: officerClaims.sub,
          enterpriseId: '',
          provinceCode: '19',
        }),
      },
    );
    const membership = me.account?.memberships.find((m) => m.organisationId === officerClaims.org_id);
    expect(membership).toBeDefined();
    const granted = await identity.grantDelegation(
      {
        organisationId: ownerClaims.org_id,
        delegateMembershipId: membership?.membershipId ?? '',
        endsAt: new Date(Date.now() + 30 * 86_400_000),
      },
      {
        metadata: actorMetadata({
          role: 'enterprise',
          subject: ownerClaims.sub,
          enterpriseId: ownerClaims.enterprise_id ?? '',
          provinceCode: '19',
        }),
      },
    );
    const id = granted.delegation?.delegationId as string;

    // The officer holds it, named by the establishment's name.
    await officer.page.reload();
    const held = officer.page.locator(`li[data-delegation="${id}"]`);
    await held.waitFor();
    expect(await held.getAttribute('data-active')).toBe('true');
    await nameLoaded(officer.page, `li[data-delegation="${id}"] strong`);
    await screenshot(officer.page, 'access-desktop-vi-officer-holds');

    // The establishment sees it and revokes it.
    await owner.page.reload();
    const row = owner.page.locator(`li[data-delegation="${id}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-active')).toBe('true');
    await row.getByRole('button', { name: 'Thu hồi ủy quyền' }).click();
    await owner.page.locator(`li[data-delegation="${id}"][data-active="false"]`).waitFor();
    await officer.page.reload();
    await officer.page.locator(`li[data-delegation="${id}"][data-active="false"]`).waitFor();
  } finally {
    identity.close();
    await owner.context.close();
    await officer.context.close();
  }
});

describe.each([
  DESKTOP_VI,
  PHONE_EN,
  { ...DESKTOP_VI, lang: 'en' as const },
  { ...PHONE_EN, lang: 'vi' as const },
])('the officer’s pages at $name width ($lang)', (width: Width) => {
  it('fit the screen: a short header, no sideways scroll, heatmap names whole', async () => {
    const { context, page } = await openAt(env.browser, width, problems);
    try {
      await signInThroughProvider(page, env.url, demoLogins.provinceOfficer, { next: '/province/19' });
      const header = await page.locator('.site-header').boundingBox();
      if (width.name === 'phone') expect(header?.height ?? 0).toBeLessThan(140);
      for (const path of ['/province/19', '/firms', '/access', '/my/proposals']) {
        await page.goto(`${env.url}/#${path}`);
        await settled(page);
        await noSidewaysScroll(page);
        if (path === '/province/19') {
          await page.getByTestId('unmet-needs').waitFor();
          // A heatmap's province names break between words, never letter by letter: no header cell
          // is taller than three lines of its text.
          const tallest = await inPage<number>(
            page,
            `Math.max(0, ...[...document.querySelectorAll('[data-testid="heatmap"] th')].map((th) => th.getBoundingClientRect().height / (parseFloat(getComputedStyle(th).lineHeight) || parseFloat(getComputedStyle(th).fontSize) * 1.3)))`,
          );
          expect(tallest).toBeLessThanOrEqual(3.5);
        }
        await screenshot(page, `officer-${width.name}-${width.lang}-${path.replace(/\//g, '-').slice(1)}`);
      }
    } finally {
      await context.close();
    }
  });
});
