// The built site (`vite build`, as `npm run build` makes it) on a plain
// static host: scripts/serve-static.mjs sends files only, no isolation
// headers, under a subpath. The site's service worker must make the page
// cross-origin isolated (one reload on the first visit), keep it working
// offline, switch builds only between visits, and explain what it cannot do.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, expect, test, type BrowserContext, type Page } from 'playwright/test';
import { build } from 'vite';
import { findChromium, LAUNCH_ARGS } from '../../scripts/browser.mjs';
import { serveStatic } from '../../scripts/serve-static.mjs';
import { focusTerminal, openDesktop, typeLine, waitForConsole, waitForDesktop } from './desktop-helpers.ts';

const OUT = fileURLToPath(new URL('../../test-results/static-host/', import.meta.url));
const SITE_A = `${OUT}a`;
const SITE_B = `${OUT}b`;

/** The production build, labelled `version` (what ZOS_VERSION does for `npm run build`). */
async function buildSite(outDir: string, version: string): Promise<void> {
  await build({
    logLevel: 'error',
    define: { __ZOS_VERSION__: JSON.stringify(version) },
    build: { outDir, emptyOutDir: true },
  });
}


test.beforeAll(async () => {
  test.setTimeout(120_000);
  await buildSite(SITE_A, 'static-a');
});

/** Main-frame loads of the page, to count reloads. */
function countLoads(page: Page): { count: number } {
  const loads = { count: 0 };
  page.on('load', () => { loads.count += 1; });
  return loads;
}

const site = (page: Page) => page.evaluate(() => window.zos.site());

/** Empties the browser's HTTP cache, which would otherwise answer for a host that is gone. */
async function clearHttpCache(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.clearBrowserCache');
  await cdp.detach();
}

test('a static host without isolation headers, under a subpath: one reload, isolated, ps works; then offline it boots and runs a program', async ({ page, context }) => {
  test.setTimeout(240_000); // two boots, a wait for the editor's files, and an offline compile
  const host = await serveStatic({ dir: SITE_A, base: '/a/b/' });
  const loads = countLoads(page);
  const warnings: string[] = [];
  page.on('console', (m) => { if (m.type() === 'warning' || m.type() === 'error') warnings.push(m.text()); });
  page.on('pageerror', (e) => warnings.push(e.message));
  try {
    const first = await page.request.get(host.url);
    expect(first.headers()['cross-origin-opener-policy'], 'the host sends no isolation headers').toBeUndefined();
    expect(first.headers()['cross-origin-embedder-policy']).toBeUndefined();

    const shell = await openDesktop(page, host.url);
    expect(loads.count, 'the first visit reloads exactly once').toBe(2);
    expect(page.url()).toBe(host.url);
    expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(true);
    expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toBe(`${host.url}service-worker.js`);
    await expect(page.getByTestId('site-status')).toHaveText('offline ready');
    expect(await site(page)).toMatchObject({ worker: 'ready', version: 'static-a', update: null, updatedFrom: null });
    // After the boot the worker stores the editor and its compilers in the background.
    await expect.poll(() => page.evaluate(async () => {
      const name = (await caches.keys()).find((n) => n.startsWith('zos-later-'));
      return name ? (await (await caches.open(name)).keys()).length : 0;
    }), { timeout: 60_000 }).toBe(6);

    await focusTerminal(page);
    await typeLine(page, 'ps');
    const out = await waitForConsole(page, shell, /PID\s+NAME[\s\S]*terminal\n/);
    expect(out).toMatch(/\n\s+1\s+init\n/);
    expect(out).toMatch(new RegExp(`\\n\\s+${shell}\\s+terminal\\n`));

    // A hard reload bypasses the service worker: it costs one more reload, no more.
    const cdp = await context.newCDPSession(page);
    await Promise.all([page.waitForEvent('load'), cdp.send('Page.reload', { ignoreCache: true })]);
    await expect.poll(() => loads.count).toBe(4);
    await waitForDesktop(page);
    expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(true);
  } finally {
    await host.close();
  }

  // The host is gone, the browser offline, and its HTTP cache empty: every
  // file must come from the service worker's copy.
  await clearHttpCache(page);
  await context.setOffline(true);
  try {
    await page.reload();
    const shell = await waitForDesktop(page);
    expect(loads.count, 'a later visit: no reload').toBe(5);
    expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(true);
    await focusTerminal(page);
    await typeLine(page, 'spawn hello');
    const child = Number((await waitForConsole(page, shell, /spawned hello as pid (\d+)/)).match(/spawned hello as pid (\d+)/)![1]);
    await expect.poll(() => page.evaluate(() => window.zos.screenText())).toContain(`Hello from zos! I am pid ${child}`);
    // The earlier boots, checked in the verification worker (a second worker script of the build).
    const reports = await page.evaluate(() => window.zos.boots());
    expect(reports.length, "the two boots before this one").toBe(2);
    expect(reports.every((r) => r.chain.ok)).toBe(true);
    // The editor, its compiler and its worker come from the stored copy too.
    await page.evaluate(() => window.zos.openInEditor('hello'));
    const run = await page.evaluate(() => window.zos.editor.run());
    expect(run.pid).toBeGreaterThan(2);
    await expect.poll(() => page.evaluate((pid) => window.zos.consoleText(pid), run.pid)).toContain(`I am pid ${run.pid}`);
    expect(warnings, 'no worker or file failed to load').toEqual([]);
    // And it was offline indeed: what is not in the build does not arrive.
    expect(await page.evaluate(() => fetch('./not-in-the-build').then((r) => r.status, (e: Error) => e.name))).toBe('TypeError');
  } finally {
    await context.setOffline(false);
  }
});

test('a server that sends the headers itself: no reload, and the site is stored for offline use after the boot', async ({ page }) => {
  const host = await serveStatic({ dir: SITE_A, base: '/zos/', headers: { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' } });
  try {
    const loads = countLoads(page);
    await openDesktop(page, host.url);
    expect(loads.count, 'no reload').toBe(1);
    expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(true);
    await expect(page.getByTestId('site-status')).toHaveText('offline ready');
    // The stored responses keep the server's own headers: the worker adds nothing.
    const stored = await page.evaluate(async () => {
      const response = await fetch(location.href);
      return [response.headers.get('cross-origin-embedder-policy'), response.headers.get('cache-control')];
    });
    expect(stored).toEqual(['require-corp', 'public,max-age=600']);
  } finally {
    await host.close();
  }
});

test('it can be installed as an app: Chromium finds its manifest and icons, and no installability error', async () => {
  const host = await serveStatic({ dir: SITE_A, base: '/zos/' });
  // Playwright's usual contexts are incognito, where nothing installs: a real profile.
  const profile = await mkdtemp(join(tmpdir(), 'zos-profile-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: findChromium() ?? undefined, args: LAUNCH_ARGS });
  try {
    const page = context.pages()[0] ?? await context.newPage();
    await openDesktop(page, host.url);
    const cdp = await context.newCDPSession(page);
    const manifest = await cdp.send('Page.getAppManifest');
    expect(manifest.url).toBe(`${host.url}manifest.webmanifest`);
    expect(manifest.errors).toEqual([]);
    expect((await cdp.send('Page.getInstallabilityErrors')).installabilityErrors).toEqual([]);
    const icons = await page.evaluate(async () => {
      const m = await (await fetch('./manifest.webmanifest')).json() as { icons: { src: string }[] };
      return Promise.all(m.icons.map(async (i) => [i.src, (await fetch(i.src)).headers.get('content-type')]));
    });
    expect(icons).toEqual([
      ['icons/zos.svg', 'image/svg+xml'], ['icons/zos-192.png', 'image/png'],
      ['icons/zos-512.png', 'image/png'], ['icons/zos-maskable-512.png', 'image/png'],
    ]);
  } finally {
    await context.close();
    await host.close();
    await rm(profile, { recursive: true, force: true });
  }
});

test('a new build is downloaded during a visit, said so, and started on the next visit', async ({ page }) => {
  await buildSite(SITE_B, 'static-b');
  const host = await serveStatic({ dir: SITE_A, base: '/zos/' });
  try {
    await openDesktop(page, host.url);
    await expect(page.getByTestId('site-status')).toHaveText('offline ready');
    const a = await site(page);
    expect(a.version).toBe('static-a');

    host.setDir(SITE_B); // the deploy
    await page.reload();
    await waitForDesktop(page);
    // This visit still runs build A, whole: the new one waits.
    const banner = page.getByTestId('site-banner');
    await expect(banner).toContainText('zos static-b');
    await expect(banner).toContainText('has been downloaded');
    await expect(banner).toContainText(`This page keeps running build ${a.build}`);
    const during = await site(page);
    expect(during).toMatchObject({ version: 'static-a', build: a.build, update: { version: 'static-b' } });
    expect(during.update!.build).not.toBe(a.build);

    // The next visit switches before booting, and says from what.
    await page.reload();
    await page.waitForFunction(() => window.zos?.site().version === 'static-b');
    await waitForDesktop(page);
    await expect(banner).toContainText(`zos was updated: this is static-b, build ${during.update!.build} (it was build ${a.build})`);
    expect(await site(page)).toMatchObject({ worker: 'ready', version: 'static-b', build: during.update!.build, update: null });
    expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(true);
  } finally {
    await host.close();
  }
});

test('a stored copy that lacks a file says so; clearing it brings the whole site back', async ({ page, context }) => {
  const host = await serveStatic({ dir: SITE_A, base: '/zos/' });
  await openDesktop(page, host.url);
  await expect(page.getByTestId('site-status')).toHaveText('offline ready');
  // Lose one program from the stored copy (as a cleared or half-written cache would).
  const dropped = await page.evaluate(async () => {
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const request of await cache.keys()) {
        if (/hello-[^/]*\.wasm/.test(request.url)) { await cache.delete(request); return request.url; }
      }
    }
    return null;
  });
  expect(dropped).toContain('hello');
  await host.close();
  await clearHttpCache(page);
  await context.setOffline(true);
  try {
    await page.reload();
    const banner = page.getByTestId('site-banner');
    await expect(banner).toContainText('A file of zos could not be loaded');
    await expect(banner).toContainText('The site cannot be reached (offline, or the host is down), and the copy of zos stored in this browser lacks that file');
    await expect(page.getByTestId('boot-status')).toHaveText('boot failed');
  } finally {
    await context.setOffline(false);
  }
  // Back online, the same host again: clearing the stored copy is a first visit again.
  const again = await serveStatic({ dir: SITE_A, base: '/zos/', port: Number(new URL(host.url).port) });
  try {
    const loads = countLoads(page);
    await page.getByTestId('site-banner').getByRole('button', { name: 'Clear the stored copy and reload' }).click();
    const shell = await waitForDesktop(page);
    expect(loads.count, 'the reload, then the first visit\'s one').toBe(2);
    await expect(page.getByTestId('site-status')).toHaveText('offline ready');
    await focusTerminal(page);
    await typeLine(page, 'spawn hello');
    await waitForConsole(page, shell, /spawned hello as pid (\d+)/);
  } finally {
    await again.close();
  }
});

test.describe('browsers that cannot run the service worker say why', () => {
  async function open(context: BrowserContext, script: string): Promise<Page> {
    await context.addInitScript(script);
    return context.newPage();
  }

  test('no service workers (as in a Firefox private window)', async ({ context }) => {
    const host = await serveStatic({ dir: SITE_A, base: '/zos/' });
    try {
      // The browser as such a window is: no navigator.serviceWorker at all.
      const page = await open(context, 'delete Navigator.prototype.serviceWorker;');
      await page.goto(host.url);
      await expect(page.getByTestId('isolation-error')).toBeVisible();
      await expect(page.getByTestId('service-worker-problem')).toContainText('this browser offers no service workers');
      expect(await site(page)).toMatchObject({ worker: 'unsupported' });
    } finally {
      await host.close();
    }
  });

  test('storage refused (a private window or blocked site data)', async ({ context }) => {
    const host = await serveStatic({ dir: SITE_A, base: '/zos/' });
    try {
      // What Chromium answers when site data is blocked for the site.
      const page = await open(context, `ServiceWorkerContainer.prototype.register = () => Promise.reject(
        new DOMException('Failed to register a ServiceWorker: The user denied permission to use Service Worker.', 'SecurityError'));`);
      await page.goto(host.url);
      const why = page.getByTestId('service-worker-problem');
      await expect(why).toContainText('the browser refused it (“Failed to register a ServiceWorker: The user denied permission to use Service Worker.”)');
      await expect(why).toContainText('A private window, or a setting that blocks site data');
      await expect(page.getByTestId('missing-headers')).toHaveText(
        'Cross-Origin-Opener-Policy: same-origin\nCross-Origin-Embedder-Policy: require-corp');
    } finally {
      await host.close();
    }
  });
});
