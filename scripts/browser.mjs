// One definition of "which Chromium do we drive, and how": used by
// playwright.config.ts, scripts/ensure-browser.mjs, benchmarks and
// screenshot scripts. No side effects on import.

import { accessSync, constants, statSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * Flags every Chromium launch of this project uses. The network here is
 * closed: without the background-networking flags Chromium keeps trying (and
 * failing) to reach Google's hosts. --no-sandbox because CI runs as root.
 */
export const LAUNCH_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Paths tried after CHROME_PATH, in order. */
export const SYSTEM_CHROMIUM_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** True when `path` is an existing, executable regular file. */
export function isExecutable(path) {
  if (!path) return false;
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The browser Playwright itself installed (`npx playwright install chromium`), or null. */
export function playwrightChromiumPath() {
  try {
    const require = createRequire(import.meta.url);
    const { chromium } = require('playwright');
    const path = chromium.executablePath();
    return isExecutable(path) ? path : null;
  } catch {
    return null;
  }
}

/**
 * Every place looked at, in order, with whether a browser is there.
 * @returns {{ source: string, path: string | null, ok: boolean }[]}
 */
export function chromiumCandidates() {
  const out = [];
  const env = process.env.CHROME_PATH;
  if (env) out.push({ source: 'CHROME_PATH', path: env, ok: isExecutable(env) });
  for (const p of SYSTEM_CHROMIUM_PATHS) out.push({ source: 'system', path: p, ok: isExecutable(p) });
  const pw = playwrightChromiumPath();
  out.push({ source: 'playwright', path: pw, ok: pw !== null });
  return out;
}

/**
 * The Chromium to use: $CHROME_PATH, /usr/bin/chromium, /usr/bin/chromium-browser,
 * then Playwright's own download. Returns the path, or null if there is none.
 * @returns {string | null}
 */
export function findChromium() {
  const hit = chromiumCandidates().find((c) => c.ok);
  return hit ? hit.path : null;
}
