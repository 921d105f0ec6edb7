import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's `chromium` package, which `.ci/run` installs; Playwright never downloads a browser here. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Where the browser tests save their screenshots (made on first use): `STATUS_SCREENSHOTS_DIR=docs/images`
 * refreshes the ones docs/operations.md shows; otherwise `test-output/status-page` (not committed).
 */
export const SCREENSHOTS =
  process.env.STATUS_SCREENSHOTS_DIR ?? join(__dirname, '..', '..', '..', 'test-output', 'status-page');

/** Whether this run makes the docs' screenshots (then worth a few more seconds of traffic). */
export const REFRESHING_SCREENSHOTS = process.env.STATUS_SCREENSHOTS_DIR !== undefined;

/** Headless Chromium as root, without GPU, and without its own calls home (this machine's network is closed). */
export function launchChromium(): Promise<Browser> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A page, with every console error and uncaught exception it reports, and every full load. */
export interface WatchedPage {
  page: Page;
  problems: string[];
  loads: string[];
}

/** A new 1280×860 page that records its console errors, uncaught exceptions and loads. */
export async function watchedPage(browser: Browser): Promise<WatchedPage> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  const problems: string[] = [];
  const loads: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('load', () => loads.push(page.url()));
  return { page, problems, loads };
}

/** The text of the first element `selector` matches, waiting at most a second for it. */
export function textOf(page: Page, selector: string): Promise<string | null> {
  return page.locator(selector).first().textContent({ timeout: 1000 });
}
