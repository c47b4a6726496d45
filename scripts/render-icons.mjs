#!/usr/bin/env node
// Renders the app's PNG icons (the web manifest and index.html name them)
// from the SVG sources in public/icons, with the Chromium of scripts/browser.mjs:
//   zos.svg          -> zos-192.png, zos-512.png, apple-touch-icon.png (180)
//   zos-maskable.svg -> zos-maskable-512.png
//
//   node scripts/render-icons.mjs
//
// The PNGs are committed; run this again after changing an SVG.

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright';
import { findChromium, LAUNCH_ARGS } from './browser.mjs';

const icons = join(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'icons');
const renders = [
  ['zos.svg', 'zos-192.png', 192],
  ['zos.svg', 'zos-512.png', 512],
  ['zos.svg', 'apple-touch-icon.png', 180],
  ['zos-maskable.svg', 'zos-maskable-512.png', 512],
];

const executablePath = findChromium();
if (!executablePath) {
  console.error('[render-icons] no Chromium found: run `node scripts/ensure-browser.mjs`');
  process.exit(1);
}
const browser = await chromium.launch({ executablePath, args: LAUNCH_ARGS });
try {
  for (const [source, target, size] of renders) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    const svg = readFileSync(join(icons, source), 'utf8');
    await page.setContent(`<html><body style="margin:0;background:transparent">
      <img width="${size}" height="${size}" style="display:block" src="data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}"></body></html>`);
    await page.locator('img').evaluate((img) => img.decode());
    await page.screenshot({ path: join(icons, target), omitBackground: true });
    await page.close();
    console.log(`[render-icons] ${source} -> ${target} (${size}×${size})`);
  }
} finally {
  await browser.close();
}
