import type { INestApplication } from '@nestjs/common';
import type { StatusFrame } from '@sentinel-kit/redis/status-page';
import { SentinelTopology, waitFor, type RedisServerProcess } from '@sentinel-kit/testing';
import { SseClient } from '@sentinel-kit/test-support';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import request from 'supertest';
import { launchChromium, REFRESHING_SCREENSHOTS, SCREENSHOTS, textOf, watchedPage } from './headless-chromium';
import { startApi } from './start-api';

const TOKEN = 'status-token-secret-5c8d1e';

const addressOf = (node: RedisServerProcess) => `${node.host}:${node.port}`;
const urlOf = (app: INestApplication, path: string) =>
  `http://127.0.0.1:${((app.getHttpServer() as Server).address() as AddressInfo).port}${path}`;

/**
 * The status page in a real headless Chromium (Debian's, driven by playwright-core) against a real
 * Sentinel group: it shows the primary, follows a SIGKILL failover live without a reload or a
 * console error, and asks for the token when `HEALTH_DETAILS_TOKEN` is set.
 */
describe('the live status page in headless Chromium, on a Sentinel group', () => {
  let topology: SentinelTopology;
  let open: INestApplication;
  let guarded: INestApplication;
  let browser: Browser;

  const start = async (env: Record<string, string>) => {
    const app = await startApi({
      REDIS_SENTINEL_ENABLED: 'true',
      REDIS_SENTINELS: topology.sentinelList,
      REDIS_COMMAND_TIMEOUT_MS: '500',
      ...env,
    });
    await app.listen(0, '127.0.0.1');
    return app;
  };
  beforeAll(async () => {
    topology = await SentinelTopology.start({ downAfterMs: 2000, failoverTimeoutMs: 5000 });
    open = await start({});
    guarded = await start({ HEALTH_DETAILS_TOKEN: TOKEN, STATUS_MAX_STREAMS_PER_IP: '2' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await open?.close();
    await guarded?.close();
    await topology?.stop();
  });

  it('serves one self-contained document: inline script and style, allowed by hash, nothing from elsewhere', async () => {
    const response = await request(open.getHttpServer() as Server)
      .get('/status')
      .expect(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    const csp = response.headers['content-security-policy'];
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).toMatch(/connect-src 'self'/);
    // No script, style sheet, image or font loaded from anywhere: no src/href attribute, no CSS url() or @import.
    expect(response.text).not.toMatch(/\s(?:src|href)=|url\(|@import/);
  });

  it('shows the primary, then follows a SIGKILL failover live: the new primary, the timeline, the count at 1', async () => {
    const old = await topology.primary();
    const { page, problems, loads } = await watchedPage(browser);
    await page.goto(urlOf(open, '/status'));
    await waitFor(async () => (await textOf(page, '#primary-address')) === addressOf(old), {
      description: `the page to show the primary ${addressOf(old)}`,
    });
    expect(await textOf(page, '#failover-count')).toBe('0');
    expect(await textOf(page, '#circuit')).toBe('connected');
    expect(await textOf(page, '#feed')).toBe('live');
    expect(await page.locator('#sentinels tr').count()).toBe(3);
    expect(await page.locator('#replicas tr').count()).toBe(2);
    expect(await textOf(page, '#quorum')).toMatch(/^quorum ok/);
    // Some traffic for the chart (a slow first load, then cache hits); for the docs' screenshots,
    // 20 s of it, so that the chart has a line to show.
    const trafficUntil = Date.now() + (REFRESHING_SCREENSHOTS ? 20_000 : 0);
    await waitFor(
      async () => {
        for (let i = 0; i < 20; i += 1) await request(open.getHttpServer() as Server).get('/demo/cache/chart');
        return Date.now() >= trafficUntil && (await page.locator('#chart path').count()) === 2;
      },
      { description: 'the chart to draw p50 and p99', timeoutMs: 40_000 },
    );
    await page.screenshot({ path: join(SCREENSHOTS, 'status-page-before-failover.png'), fullPage: true });

    await old.kill();
    const promoted = await topology.waitForNewPrimary(old.port);
    await waitFor(async () => (await textOf(page, '#primary-address')) === addressOf(promoted), {
      description: `the page to show the new primary ${addressOf(promoted)}`,
      timeoutMs: 20_000,
    });
    await waitFor(
      async () => {
        const count = await textOf(page, '#failover-count');
        // Thrown, so that a timeout says what the page showed instead (a second failover: 2).
        if (count !== '1') throw new Error(`the page shows ${count}`);
        return true;
      },
      { description: 'the failover count to reach 1' },
    );
    const timeline = await page.locator('#failover-timeline li').allTextContents();
    expect(timeline).toHaveLength(1);
    expect(timeline[0]).toContain(`${addressOf(old)} \u2192 ${addressOf(promoted)}`);
    expect(timeline[0]).toMatch(/ took \d+\.\d s/);
    expect(await textOf(page, '#failover-last')).toMatch(/took \d+\.\d s/);
    expect(loads).toHaveLength(1);
    expect(problems).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'status-page-after-failover.png'), fullPage: true });
    await page.close();
  });

  it('does not look live when its feed falls silent', async () => {
    const { page, problems } = await watchedPage(browser);
    await page.clock.install();
    await page.goto(urlOf(open, '/status'));
    await waitFor(async () => (await textOf(page, '#feed')) === 'live', { description: 'the feed to be live' });
    // Every text the feed's badge shows, from now on.
    await page.evaluate(`(() => {
      const badge = document.getElementById('feed');
      window.badgeTexts = [];
      new MutationObserver(() => window.badgeTexts.push(badge.textContent)).observe(badge, { childList: true, subtree: true });
    })()`);
    // Six seconds pass on the page's clock without a frame (the server's frames come on real time).
    await page.clock.fastForward(6000);
    await waitFor(
      async () =>
        (await page.evaluate<string[]>('window.badgeTexts')).some((text) => /^no update for [5-7] s$/.test(text)),
      {
        description: 'the badge to say the feed is silent',
      },
    );
    await waitFor(async () => (await textOf(page, '#feed')) === 'live', {
      description: 'the next frame to make it live',
    });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('asks for the token when HEALTH_DETAILS_TOKEN is set, refuses a wrong one, and never shows it', async () => {
    const { page, problems } = await watchedPage(browser);
    await page.goto(urlOf(guarded, '/status'));
    await page.locator('#token-card').waitFor({ state: 'visible' });
    expect(await textOf(page, '#token-message')).toMatch(/needs the status token/);
    await page.screenshot({ path: join(SCREENSHOTS, 'status-page-token.png') });

    await page.fill('#token', 'wrong-token-0123456789');
    await page.click('button[type=submit]');
    await waitFor(async () => (await textOf(page, '#token-message')) === 'That token was refused.', {
      description: 'the wrong token to be refused',
    });
    await page.fill('#token', TOKEN);
    await page.click('button[type=submit]');
    const primary = await topology.primary();
    await waitFor(async () => (await textOf(page, '#primary-address')) === addressOf(primary), {
      description: 'the page to show the primary once the token is given',
    });
    expect(await page.locator('#token-card').isHidden()).toBe(true);
    expect(await page.content()).not.toContain(TOKEN);
    // The two refused feeds are the only console errors: Chromium reports every 401 it loads.
    expect(problems).toHaveLength(2);
    expect(problems.every((problem) => /401 \(Unauthorized\)/.test(problem))).toBe(true);
    await page.close();
  });

  it('sends the chart so far, then frames of the whole view, to a reader with the token; caps the feeds per client', async () => {
    const url = urlOf(guarded, '/status/stream');
    const withToken = { Authorization: `Bearer ${TOKEN}` };
    const refused = await fetch(url);
    expect(refused.status).toBe(401);
    // The app's decorator on the page's routes: every request counts against AUTH_RATE_LIMIT.
    expect(refused.headers.get('ratelimit-policy')).toMatch(/^"auth";q=30;/);
    // Two feeds, this client's share. The page of the test before may still hold a place for a
    // moment after it closed: retry until both are admitted.
    const feeds: SseClient[] = [];
    await waitFor(
      async () => {
        feeds.splice(0).forEach((feed) => feed.close());
        feeds.push(await SseClient.open(url, withToken), await SseClient.open(url, withToken));
        return feeds.every((feed) => feed.response.statusCode === 200);
      },
      { description: 'two feeds admitted' },
    );
    try {
      const [feed] = feeds;
      await feed.waitFor('a status frame and a chart point', (events) =>
        ['status', 'sample'].every((kind) => events.some((e) => e.event === kind)),
      );
      expect(feed.events[0].event).toBe('samples');
      const frame = feed.events.find((e) => e.event === 'status')!.data as StatusFrame;
      expect(frame.view.mode).toBe('sentinel');
      expect(frame.view.sentinels).toHaveLength(3);
      expect(frame.circuit.state).toBe('connected');

      const third = await fetch(url, { headers: withToken });
      expect(third.status).toBe(429);
      expect(third.headers.get('retry-after')).toBe('5');
      expect(await third.json()).toMatchObject({
        status: 429,
        detail: 'at most 2 event streams per client are open at once',
      });
    } finally {
      feeds.forEach((feed) => feed.close());
    }
  });
});
