import { defineConfig } from 'playwright/test';
import { findChromium, LAUNCH_ARGS } from './scripts/browser.mjs';

// Browser tests (test/browser) against the Vite dev server, in the Chromium
// that scripts/browser.mjs finds ($CHROME_PATH, /usr/bin/chromium, ...).
// `npm run test:browser` runs scripts/ensure-browser.mjs first, which installs
// one if there is none.

const PORT = Number(process.env.ZOS_TEST_PORT ?? 5174);
const BASE_URL = `http://127.0.0.1:${PORT}`;
const CI = !!process.env.CI;
// ZOS_SKIP_BUILD_APPS=1 skips rebuilding the WASM apps before serving.
const BUILD_APPS = process.env.ZOS_SKIP_BUILD_APPS ? '' : 'node scripts/build-apps.mjs && ';

export default defineConfig({
  testDir: 'test/browser',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results/browser',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  forbidOnly: CI,
  retries: CI ? 1 : 0,
  // Two cores: the dev server, the kernel page and its process workers share them.
  workers: CI ? 1 : 2,
  reporter: [['list'], ['junit', { outputFile: 'test-results/junit-browser.xml' }]],
  use: {
    baseURL: BASE_URL,
    browserName: 'chromium',
    headless: true,
    launchOptions: {
      executablePath: findChromium() ?? undefined,
      args: LAUNCH_ARGS,
    },
    viewport: { width: 1280, height: 800 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  webServer: {
    command: `${BUILD_APPS}npx vite --host 127.0.0.1 --port ${PORT} --strictPort`,
    url: BASE_URL,
    reuseExistingServer: !CI,
    timeout: 180_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
