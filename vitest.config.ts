import { defineConfig } from 'vitest/config';

// Unit, kernel and integration tests run in Node. Browser tests are
// Playwright's (test/browser, see playwright.config.ts), never vitest's.
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/kernel/**/*.test.ts', 'test/integration/**/*.test.ts', 'test/cli/**/*.test.ts'],
    exclude: ['test/browser/**', '**/node_modules/**', 'dist/**'],
    environment: 'node',
    // The tree may have no tests in a folder yet; that is not a failure.
    passWithNoTests: true,
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
