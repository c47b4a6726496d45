#!/usr/bin/env node
// Makes sure a Chromium is available for the browser tests, installing one if
// it must, and prints which one will be used.
//
// Looks in order at: $CHROME_PATH, /usr/bin/chromium, /usr/bin/chromium-browser,
// Playwright's own download. If none is there: as root with apt-get, runs
// `apt-get update && apt-get install -y chromium`; otherwise (or if that fails)
// `npx playwright install chromium`. Exits 1 with instructions if all fail.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromiumCandidates, findChromium } from './browser.mjs';

const log = (msg) => console.log(`[ensure-browser] ${msg}`);

function run(cmd, args, extraEnv = {}) {
  log(`$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...extraEnv } });
  if (r.error) log(`  failed to start: ${r.error.message}`);
  return r.status === 0;
}

function hasAptGet() {
  return ['/usr/bin/apt-get', '/bin/apt-get'].some((p) => existsSync(p));
}

function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function version(path) {
  const r = spawnSync(path, ['--version'], { encoding: 'utf8', timeout: 30_000 });
  if (r.status !== 0) return null;
  // Debian's /usr/bin/chromium is a shell wrapper that may print noise first.
  const line = (r.stdout || '').split('\n').find((l) => /chrom/i.test(l));
  return line ? line.trim() : (r.stdout || '').trim() || null;
}

function report(path) {
  const v = version(path);
  if (!v) {
    console.error(`[ensure-browser] ${path} exists but \`${path} --version\` failed; set CHROME_PATH to a working Chromium.`);
    process.exit(1);
  }
  log(`using ${path} (${v})`);
}

const env = process.env.CHROME_PATH;
if (env && !chromiumCandidates()[0]?.ok) {
  log(`CHROME_PATH=${env} is not an executable file; ignoring it`);
}

let path = findChromium();
if (path) {
  report(path);
  process.exit(0);
}

log('no Chromium found; trying to install one');
if (isRoot() && hasAptGet()) {
  const aptEnv = { DEBIAN_FRONTEND: 'noninteractive' };
  if (run('apt-get', ['update'], aptEnv) && run('apt-get', ['install', '-y', 'chromium'], aptEnv)) {
    path = findChromium();
  }
}
if (!path) {
  run('npx', ['--no-install', 'playwright', 'install', 'chromium']);
  path = findChromium();
}
if (path) {
  report(path);
  process.exit(0);
}

console.error(`
[ensure-browser] No Chromium found, and installing one failed.
  Looked at: $CHROME_PATH, /usr/bin/chromium, /usr/bin/chromium-browser, Playwright's browser cache.
  Install one, then run the tests again:
    Debian/Ubuntu:  sudo apt-get install -y chromium
    or:             npx playwright install chromium
  Or point CHROME_PATH at any Chromium or Chrome binary:
    CHROME_PATH=/path/to/chrome npm test
`);
process.exit(1);
