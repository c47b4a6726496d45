#!/usr/bin/env node
// Takes the desktop's screenshots for the docs:
//   docs/screenshots/desktop.png    terminals + process panel
//   docs/screenshots/inspector.png  the capability inspector
//   docs/screenshots/logs.png       the CommitLog with its hash chain, verified
//   docs/screenshots/terminal-900.png  a 900×700 window: CJK and emoji typed
//                                   while a program prints, the search bar open
//   docs/screenshots/inspector-900.png the capability inspector at 900×700
//   docs/screenshots/editor.png     the editor beside a program it compiled, running
//   docs/screenshots/lab.png        a lab in progress: the revoke lab, its steps
//                                   done by "show me", what the last one changed
//   docs/screenshots/graph.png      the capability graph, a capability picked
//   docs/screenshots/timeline.png   the timeline on a past commit, with a diff
//
// CJK and emoji need fonts that have them (on Debian: fonts-noto-cjk,
// fonts-noto-color-emoji); without, they show as boxes of the right width.
//
//   node scripts/screenshots.mjs [--url http://127.0.0.1:5173] [--only desktop|small|lab|graph]
//
// Without --url it starts its own Vite dev server (vite.config.ts, which sends
// the COOP/COEP headers) on a free port and stops it afterwards. The apps must
// be built (npm run build:apps). Chromium comes from scripts/browser.mjs.

import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright';
import { findChromium, LAUNCH_ARGS } from './browser.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'docs', 'screenshots');
const urlArg = process.argv.indexOf('--url');
const onlyArg = process.argv.indexOf('--only');
/** Whether to take this group of screenshots (all of them without --only). */
const want = (group) => onlyArg < 0 || process.argv[onlyArg + 1] === group;
const log = (msg) => console.log(`[screenshots] ${msg}`);

if (!existsSync(join(root, 'apps', 'build', 'terminal.wasm'))) {
  console.error('[screenshots] apps/build/terminal.wasm is missing: run `npm run build:apps` first');
  process.exit(1);
}
const executablePath = findChromium();
if (!executablePath) {
  console.error('[screenshots] no Chromium found: run `node scripts/ensure-browser.mjs`');
  process.exit(1);
}

let server = null;
let url;
if (urlArg > 0) {
  url = process.argv[urlArg + 1];
} else {
  const { createServer } = await import('vite');
  server = await createServer({
    root, configFile: join(root, 'vite.config.ts'), logLevel: 'error',
    server: { host: '127.0.0.1', port: 5180, strictPort: false },
  });
  await server.listen();
  url = server.resolvedUrls.local[0];
}
log(`using ${url} and ${executablePath}`);

const browser = await chromium.launch({ executablePath, args: LAUNCH_ARGS });

/** A page with the desktop booted at `viewport`; run(line, expect) types a line into the first shell and waits for `expect` after it. */
async function openDesktop(viewport) {
  const page = await browser.newPage({ viewport, deviceScaleFactor: 1 });
  page.on('pageerror', (e) => console.error(`[screenshots] page error: ${e.message}`));
  await page.goto(url);
  await page.waitForFunction(() => window.zos !== undefined);
  await page.evaluate(() => window.zos.ready);
  const shell = await page.evaluate(() => window.zos.terminals()[0].pid);
  const run = async (line, expect) => {
    const before = await page.evaluate((p) => window.zos.consoleText(p).length, shell);
    await page.keyboard.type(line, { delay: 8 });
    await page.keyboard.press('Enter');
    await page.waitForFunction(([p, n, t]) => window.zos.consoleText(p).slice(n).includes(t), [shell, before, expect]);
  };
  return { page, shell, run };
}

try {
  if (want('desktop')) await desktopShots();
  if (want('small')) await smallWindowShots();
  if (want('lab')) await labShot();
  if (want('graph')) await graphShots();
} finally {
  await browser.close();
  await server?.close();
}

async function desktopShots() {
  const { page, shell, run } = await openDesktop({ width: 1440, height: 880 });
  const waitFor = (pid, text) => page.waitForFunction(([p, t]) => window.zos.consoleText(p).includes(t), [pid, text]);

  // A little session: look around, make an endpoint, share it, start a clock.
  await page.evaluate(() => window.zos.showPanel('processes'));
  await page.locator('.term-pane.active .xterm').click();
  await run('ps', 'terminal\n');
  await run('ep', 'created endpoint');
  await run('derive 3 r', 'derived slot');
  await run('grant 3 2 w', 'zos$ ');
  await run('spawn clock', 'spawned clock');
  const clock = await page.evaluate(() => Math.max(...window.zos.processes().map((p) => p.pid)));
  await waitFor(clock, 'tick 3');
  const hello = await page.evaluate(() => window.zos.spawn('hello'));
  await page.evaluate((p) => window.zos.waitForExit(p), hello);
  await page.evaluate(() => window.zos.openTerminal());
  await page.locator('.term-tab').first().click();
  await page.getByTestId(`proc-row-${clock}`).locator('td').nth(1).click();
  await page.locator('.term-pane.active .xterm').click();
  await page.keyboard.type('caps', { delay: 8 });
  await page.waitForTimeout(600);
  mkdirSync(outDir, { recursive: true });
  await page.screenshot({ path: join(outDir, 'desktop.png') });
  log('wrote docs/screenshots/desktop.png');

  await page.evaluate(() => window.zos.showPanel('capabilities'));
  await page.getByTestId(`cap-row-${shell}-3`).locator('td').first().click();
  await page.locator('.act-form').getByLabel('to pid').fill('2');
  await page.getByLabel('show pid').fill(String(shell)); // one CSpace, so endpoints and the tree show too
  await page.waitForTimeout(400);
  await page.screenshot({ path: join(outDir, 'inspector.png') });
  log('wrote docs/screenshots/inspector.png');

  await page.evaluate(() => window.zos.showPanel('logs'));
  await page.locator('[data-panel="logs"]').getByRole('button', { name: 'CommitLog' }).click();
  await page.getByTestId('verify-button').click();
  await page.waitForTimeout(400);
  await page.screenshot({ path: join(outDir, 'logs.png') });
  log('wrote docs/screenshots/logs.png');

  // The echo service and a client, both compiled in the editor; the service
  // runs in its tab beside the client's source.
  const compiled = { timeout: 180_000 };
  await page.evaluate(() => window.zos.openInEditor('echo-service'));
  const service = await page.evaluate(() => window.zos.editor.run());
  await page.waitForFunction((p) => window.zos.consoleText(p).includes('waiting for calls'), service.pid, compiled);
  const serviceTab = await page.evaluate(() => window.zos.terminals().find((t) => t.active).id);
  await page.evaluate(() => window.zos.openInEditor('echo-client'));
  for (let i = 0; i < 2; i++) {
    const client = await page.evaluate(() => window.zos.editor.run());
    await page.waitForFunction((p) => window.zos.consoleText(p).includes('echo answered'), client.pid, compiled);
  }
  await page.locator(`.term-tab[data-terminal-id="${serviceTab}"]`).click();
  await page.locator('.cm-line').filter({ hasText: 'const answer = call(' }).click({ position: { x: 4, y: 4 } });
  await page.waitForTimeout(600);
  await page.screenshot({ path: join(outDir, 'editor.png') });
  log('wrote docs/screenshots/editor.png');
}

async function smallWindowShots() {
  // A small window: wide characters in the terminal, the search bar, the inspector.
  const { page: small, shell: smallShell, run: typeLine } = await openDesktop({ width: 900, height: 700 });
  await small.evaluate(() => window.zos.showPanel('capabilities'));
  await small.locator('.term-pane.active .xterm').click();
  await typeLine('echo 漢字とかな、한글 😀🎉 ünïcödé', 'ünïcödé');
  await typeLine('ep', 'created endpoint');
  await typeLine('derive 3 r', 'derived slot');
  await typeLine('spawn clock', 'spawned clock');
  await small.waitForFunction(() => window.zos.screenText().includes('tick 3:'));
  await small.keyboard.type('echo 你好，世界 🌏 typed while the clock ticks', { delay: 8 });
  for (let i = 0; i < 6; i++) await small.keyboard.press('ArrowLeft');
  await small.waitForFunction(() => window.zos.screenText().includes('tick 5:'));
  await small.keyboard.press('Control+Shift+F');
  await small.keyboard.type('tick', { delay: 8 });
  await small.keyboard.press('Enter');
  await small.waitForTimeout(400);
  await small.screenshot({ path: join(outDir, 'terminal-900.png') });
  log('wrote docs/screenshots/terminal-900.png');

  await small.keyboard.press('Escape');
  await small.getByTestId(`cap-row-${smallShell}-4`).locator('td').first().click();
  await small.getByTestId(`cap-row-${smallShell}-4`).scrollIntoViewIfNeeded();
  await small.waitForTimeout(400);
  await small.screenshot({ path: join(outDir, 'inspector-900.png') });
  log('wrote docs/screenshots/inspector-900.png');
}

async function labShot() {
  // The revoke lab, done by "show me" up to the revoke, with what it changed.
  const { page } = await openDesktop({ width: 1280, height: 800 });
  await page.evaluate(() => window.zos.showPanel('labs'));
  await page.getByTestId('lab-open-06-revoke').click();
  for (let step = 0; step < 6; step++) {
    await page.evaluate(() => window.zos.showPanel('labs'));
    await page.getByTestId('show-me').click();
    await page.waitForSelector('.labs-panel[data-busy="false"]', { state: 'attached' });
  }
  await page.evaluate(() => window.zos.showPanel('labs'));
  await page.locator('.lab-step.next').scrollIntoViewIfNeeded();
  await page.waitForTimeout(400);
  mkdirSync(outDir, { recursive: true });
  await page.screenshot({ path: join(outDir, 'lab.png') });
  log('wrote docs/screenshots/lab.png');
}

async function graphShots() {
  // The capability graph and the timeline.
  const { page: g, shell: gShell, run: gRun } = await openDesktop({ width: 1440, height: 880 });
  await g.locator('.term-pane.active .xterm').click();
  await gRun('ep', 'created endpoint');
  await gRun('derive 3 r', 'derived slot');
  await gRun('grant 3 2 rw', 'zos$ ');
  const granted = await g.evaluate(() => window.zos.commits(1)[0].seq);
  await gRun('spawn clock', 'spawned clock');
  await gRun('derive 4 r', 'zos$ ');
  await g.evaluate(() => window.zos.graph.open());
  await g.waitForTimeout(1500);
  const picked = await g.evaluate((p) => window.zos.caps(p).find((c) => c.slot === 4).id, gShell);
  const box = await g.evaluate((k) => window.zos.graph.box(k), `c${picked}`);
  await g.mouse.click(box.click.x, box.click.y);
  await g.waitForTimeout(400);
  await g.screenshot({ path: join(outDir, 'graph.png') });
  log('wrote docs/screenshots/graph.png');

  await g.evaluate(() => window.zos.showPanel('capabilities'));
  await g.getByTestId('timeline-toggle').click();
  await g.getByTestId('timeline-seq').fill(String(granted));
  await g.getByTestId('timeline-seq').press('Enter');
  await g.locator('[data-testid="timeline"] summary', { hasText: 'Commits around' }).click();
  await g.getByTestId('diff-open').click();
  await g.getByTestId('diff-from').fill(String(granted - 2));
  await g.getByTestId('diff-to').fill(String(granted));
  await g.getByTestId('diff-run').click();
  await g.getByLabel('show pid').fill('2');
  await g.waitForTimeout(400);
  await g.screenshot({ path: join(outDir, 'timeline.png') });
  log('wrote docs/screenshots/timeline.png');
}
