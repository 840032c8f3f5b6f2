import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromiumArgs, chromiumVersion, ensureChromium } from '@lienket/testkit';
import { type Browser, chromium, type Page } from 'playwright-core';

/** Screenshots and timings of the browser tests (gitignored). */
export const ARTIFACTS = resolve(__dirname, '..', '..', '..', '..', 'test-artifacts', 'portal');

export async function launchBrowser(): Promise<Browser> {
  const executablePath = ensureChromium();
  process.stdout.write(`[portal test] ${chromiumVersion(executablePath)}\n`);
  return chromium.launch({ executablePath, args: [...chromiumArgs], headless: true });
}

let shots = 0;
/** A full-page screenshot named after the journey, numbered in the order taken. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  shots += 1;
  const path = join(ARTIFACTS, `${String(shots).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

export function saveArtifact(name: string, content: unknown): void {
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(join(ARTIFACTS, name), `${JSON.stringify(content, null, 2)}\n`);
}

/** Runs an expression in the page (a string, so the tests compile without the DOM types). */
export const inPage = <T>(page: Page, expression: string): Promise<T> =>
  page.evaluate(expression) as Promise<T>;

export interface FirstView {
  /** Navigation start to DOMContentLoaded end, ms. */
  domContentLoaded: number;
  /** Navigation start to the load event end, ms. */
  load: number;
  /** Navigation start to first contentful paint, ms. */
  firstContentfulPaint: number;
  /** Bytes transferred for the document and its scripts and styles. */
  transferred: number;
}

/** The browser's own timings of the page's navigation (Navigation Timing and Paint Timing). */
export async function firstViewTimings(page: Page): Promise<FirstView> {
  await page.waitForFunction("performance.getEntriesByName('first-contentful-paint').length > 0", undefined, {
    timeout: 10_000,
  });
  await page.waitForFunction("performance.getEntriesByType('navigation')[0]?.loadEventEnd > 0", undefined, {
    timeout: 10_000,
  });
  return inPage<FirstView>(
    page,
    `(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      const paint = performance.getEntriesByName('first-contentful-paint')[0];
      const resources = performance.getEntriesByType('resource');
      return {
        domContentLoaded: Math.round(nav.domContentLoadedEventEnd),
        load: Math.round(nav.loadEventEnd),
        firstContentfulPaint: Math.round(paint.startTime),
        transferred: nav.transferSize + resources.reduce((sum, r) => sum + (r.transferSize || 0), 0),
      };
    })()`,
  );
}

/** What has keyboard focus: tag, type, name and whether its focus is visibly drawn. */
export interface Focused {
  tag: string;
  type: string;
  id: string;
  text: string;
  href: string;
  visibleFocus: boolean;
}

export const focused = (page: Page) =>
  inPage<Focused>(
    page,
    `(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return { tag: 'body', type: '', id: '', text: '', href: '', visibleFocus: false };
      const style = getComputedStyle(el);
      const label = el.labels && el.labels[0] ? el.labels[0].textContent : '';
      return {
        tag: el.tagName.toLowerCase(),
        type: el.getAttribute('type') || '',
        id: el.id || '',
        text: (el.getAttribute('aria-label') || label || el.textContent || '').trim().slice(0, 80),
        href: el.getAttribute('href') || '',
        visibleFocus: el.matches(':focus-visible') && style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
      };
    })()`,
  );
