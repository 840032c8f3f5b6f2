// Accessibility: axe-core scans every portal page, signed out and signed in (through identity) as each
// seeded role, at desktop width in Vietnamese and at phone width in English; no serious or critical
// violation may remain. A new page joins the scan by one line in PAGES.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { inPage, saveArtifact } from './browser/portal-browser';
import type { Seed } from './browser/seed';
import {
  DESKTOP_VI,
  demoLogins,
  openAt,
  PHONE_EN,
  type SignedInPlatform,
  settled,
  signInThroughProvider,
  startSignedInPlatform,
  type Width,
} from './browser/signed-in-platform';

jest.setTimeout(300_000);

/** Every page of the portal: its path (from the seeded data where it names one) and what shows it loaded. */
const PAGES: readonly { name: string; path: (data: Seed) => string }[] = [
  { name: 'search', path: () => '/search' },
  { name: 'search-results', path: () => '/search?q=bao%20b%C3%AC' },
  { name: 'province', path: () => '/province' },
  { name: 'province-19', path: () => '/province/19' },
  { name: 'enterprise', path: (data) => `/enterprise/${data.enterprises.cartons.id}` },
  { name: 'firms', path: () => '/firms' },
  { name: 'my-postings', path: () => '/my/postings' },
  { name: 'my-proposals', path: () => '/my/proposals' },
  { name: 'tech', path: () => '/tech' },
  { name: 'events', path: () => '/events' },
  { name: 'webhooks', path: () => '/webhooks' },
  { name: 'programme', path: () => '/programme' },
  { name: 'programme-propose', path: () => '/programme/propose' },
  { name: 'programme-sites', path: () => '/programme/sites' },
  { name: 'access', path: () => '/access' },
  { name: 'register', path: () => '/register' },
  { name: 'signin', path: () => '/signin' },
  { name: 'not-found', path: () => '/nowhere' },
];

/** Who looks: nobody, then each seeded role (identity's demo accounts), at the widths given. */
const SESSIONS: readonly { name: string; login?: string; widths: readonly Width[] }[] = [
  { name: 'signed-out', widths: [DESKTOP_VI, PHONE_EN] },
  { name: 'province-officer', login: demoLogins.provinceOfficer, widths: [DESKTOP_VI, PHONE_EN] },
  { name: 'province-admin', login: demoLogins.provinceAdmin, widths: [DESKTOP_VI] },
  { name: 'enterprise-owner', login: demoLogins.cooperative, widths: [DESKTOP_VI] },
  { name: 'analyst', login: demoLogins.analyst, widths: [DESKTOP_VI] },
  { name: 'ministry-admin', login: demoLogins.ministryAdmin, widths: [DESKTOP_VI] },
];

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

interface Violation {
  id: string;
  impact: string;
  help: string;
  nodes: string[];
}

/** axe-core in the page, evaluated through the devtools protocol. */
async function scan(page: Page): Promise<Violation[]> {
  if (!(await inPage<boolean>(page, `typeof window.axe === 'object'`))) await page.evaluate(AXE_SOURCE);
  return inPage<Violation[]>(
    page,
    `axe.run(document, { resultTypes: ['violations'] }).then((r) =>
      r.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => ({
          id: v.id,
          impact: v.impact,
          help: v.help,
          nodes: v.nodes.slice(0, 4).map((n) => n.target.join(' ') + ' :: ' + (n.failureSummary || '').replace(/\\s+/g, ' ').slice(0, 200)),
        })))`,
  );
}

let env: SignedInPlatform;
const problems: string[] = [];
const found: Record<string, Violation[]> = {};

beforeAll(async () => {
  env = await startSignedInPlatform('portal-a11y');
}, 300_000);

afterAll(async () => {
  saveArtifact('a11y-violations.json', found);
  await env?.stop();
});

describe.each(SESSIONS)('$name', (session) => {
  it.each(session.widths.map((w) => ({ ...w, label: `${w.name} ${w.lang}` })))(
    'every page has no serious or critical axe violation ($label)',
    async (width) => {
      // axe-core evaluates strings (new Function), which the portal's CSP refuses: the CSP is off here,
      // and the other browser tests hold the portal to it.
      const { context, page } = await openAt(env.browser, width, problems, { bypassCSP: true });
      const here: Record<string, Violation[]> = {};
      const record = (name: string, violations: Violation[]) => {
        if (violations.length) here[`${session.name} ${width.name}-${width.lang} ${name}`] = violations;
      };
      try {
        if (session.login) {
          await signInThroughProvider(page, env.url, session.login, {
            atProvider: async (p) => record('identity-sign-in', await scan(p)),
          });
        }
        for (const item of PAGES) {
          await page.goto(`${env.url}/#${item.path(env.data)}`);
          await settled(page);
          record(item.name, await scan(page));
        }
      } finally {
        await context.close();
      }
      Object.assign(found, here);
      expect(here).toEqual({});
      expect(problems).toEqual([]);
    },
  );
});
