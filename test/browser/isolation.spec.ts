import { expect, test } from 'playwright/test';

// The whole design rests on SharedArrayBuffer + Atomics between the kernel
// (page) and process workers, which browsers allow only when the page is
// cross-origin isolated (COOP same-origin + COEP require-corp).

test('page is served with COOP/COEP headers', async ({ page }) => {
  const response = await page.goto('/');
  expect(response, 'no response for /').not.toBeNull();
  const headers = response!.headers();
  expect(headers['cross-origin-opener-policy']).toBe('same-origin');
  expect(headers['cross-origin-embedder-policy']).toBe('require-corp');
});

test('page is cross-origin isolated and has SharedArrayBuffer', async ({ page }) => {
  await page.goto('/');
  expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(true);
  expect(await page.evaluate(() => typeof SharedArrayBuffer)).toBe('function');
});

test('a module worker shares memory with the page through Atomics', async ({ page }) => {
  await page.goto('/');
  const result = await page.evaluate(async () => {
    const sab = new SharedArrayBuffer(4);
    const cell = new Int32Array(sab);
    const worker = new Worker('/test/browser/fixtures/isolation-worker.js', { type: 'module' });
    try {
      const reply = new Promise<{ crossOriginIsolated: boolean }>((resolve, reject) => {
        worker.onmessage = (e) => resolve(e.data);
        worker.onerror = (e) => reject(new Error(`worker error: ${e.message}`));
      });
      // The page's main thread may not Atomics.wait; waitAsync is how it sleeps.
      const woken = Atomics.waitAsync(cell, 0, 0, 10_000);
      worker.postMessage(sab);
      const wake = woken.async ? await woken.value : woken.value;
      return { ...(await reply), value: Atomics.load(cell, 0), wake };
    } finally {
      worker.terminate();
    }
  });
  expect(result).toEqual({ crossOriginIsolated: true, value: 42, wake: 'ok' });
});
