// The labs in Chromium: every lab done by hand as a student does it (reading
// each step in the Labs panel, typing into the real shell, clicking the real
// panels), its goal unmet before and met after; "show me" doing whole labs
// and pointing at what changed; progress kept in IndexedDB across a reload,
// and the labs still working when IndexedDB refuses.
import { readdirSync } from 'node:fs';
import { expect, test } from 'playwright/test';
import { openDesktop } from './desktop-helpers.ts';
import { doStepByHand, goalMet, openLab, showLabs, showMeToTheEnd } from './labs-helpers.ts';

const LAB_IDS = readdirSync(new URL('../../labs/', import.meta.url)).filter((f) => /^\d+-.*\.md$/.test(f))
  .map((f) => f.replace(/\.md$/, '')).sort();

test('the lab list shows every lab, in order', async ({ page }) => {
  await openDesktop(page);
  await showLabs(page);
  await expect(page.locator('.lab-item')).toHaveCount(LAB_IDS.length);
  const ids = await page.locator('.lab-item').evaluateAll((items) => items.map((li) => li.getAttribute('data-lab')));
  expect(ids).toEqual(LAB_IDS);
  expect(ids.length).toBeGreaterThanOrEqual(10);
  await expect(page.getByTestId('labs-done')).toHaveText(`0 of ${LAB_IDS.length} done`);
});

for (const id of LAB_IDS) {
  test(`lab ${id}, done by hand: the goal is unmet before its steps and met after`, async ({ page }) => {
    test.setTimeout(150_000);
    await openDesktop(page);
    await openLab(page, id);
    expect(await goalMet(page), 'the goal before any step').toBe(false);
    const checked = await page.locator('.lab-step').evaluateAll((steps) => steps.map((s) => s.getAttribute('data-checked') === 'true'));
    const lastChecked = checked.lastIndexOf(true);
    for (let i = 0; i < checked.length; i++) {
      // Steps after the last checked one only look; the goal may be met before them.
      if (i <= lastChecked) expect(await goalMet(page), `the goal before step ${i} of ${checked.length}`).toBe(false);
      await doStepByHand(page, i);
    }
    await expect(page.getByTestId('lab-goal')).toHaveAttribute('data-met', 'true', { timeout: 20_000 });
    await expect(page.getByTestId('lab-complete')).toBeVisible();
  });
}

for (const id of ['03-endpoints', '06-revoke', '09-send-cap']) {
  test(`lab ${id}, done by "show me" alone`, async ({ page }) => {
    test.setTimeout(150_000);
    await openDesktop(page);
    await openLab(page, id);
    expect(await goalMet(page)).toBe(false);
    await showMeToTheEnd(page);
    await expect(page.getByTestId('lab-complete')).toBeVisible();
  });
}

test('"show me" types into the terminal, says what changed and points at it', async ({ page }) => {
  const shell = await openDesktop(page);
  await openLab(page, '03-endpoints');
  await page.getByTestId('show-me').click();
  await expect(page.getByTestId('lab-step-0')).toHaveAttribute('data-done', 'true');
  const changes = page.getByTestId('lab-changes');
  await expect(changes).toContainText(/endpoint (\d+) created, owned by pid \d+/);
  const endpoint = Number(/endpoint (\d+) created/.exec(await changes.innerText())![1]);
  const slot = Number(/pid \d+ slot (\d+): capability/.exec(await changes.innerText())![1]);
  expect(await page.evaluate(() => window.zos.screenText())).toContain(`created endpoint ${endpoint} in slot ${slot}`);
  await page.getByTestId('show-me').click(); // send
  await expect(page.getByTestId('lab-step-1')).toHaveAttribute('data-done', 'true');
  await page.getByTestId('show-me').click(); // look at the queue: shows the Capabilities panel, points at the endpoint
  const row = page.locator(`[data-endpoint="${endpoint}"]`);
  await expect(row).toHaveClass(/lab-spot/);
  await expect(row).toBeInViewport();
  await expect(page.getByTestId('lab-strip')).toContainText('step 4 of 5');
  expect((await page.evaluate((p) => window.zos.caps(p), shell)).some((c) => c.slot === slot)).toBe(true);
});

test('progress is kept in IndexedDB: a lab done stays done after a reload', async ({ page }) => {
  await openDesktop(page);
  await openLab(page, '03-endpoints');
  await showMeToTheEnd(page);
  await page.getByTestId('labs-back').click();
  await expect(page.getByTestId('labs-done')).toHaveText(`1 of ${LAB_IDS.length} done`);
  await expect(page.locator('.lab-item[data-lab="03-endpoints"]')).toHaveClass(/done/);
  await page.reload();
  await openDesktop(page);
  // The lab that was open is open again, as a new attempt on this boot.
  await expect(page.locator('[data-testid="lab-strip"]:visible, [data-testid="lab-title"]:visible').first()).toBeVisible();
  await showLabs(page);
  await expect(page.getByTestId('lab-title')).toHaveText('Endpoints, send and receive');
  expect(await goalMet(page), 'a new attempt on this boot').toBe(false);
  await page.getByTestId('labs-back').click();
  await expect(page.getByTestId('labs-done')).toHaveText(`1 of ${LAB_IDS.length} done`);
  await expect(page.locator('.lab-item[data-lab="03-endpoints"] .lab-state')).toHaveText('✓ done');
});

test('when IndexedDB refuses, the labs say progress is not saved and still work', async ({ page }) => {
  await page.addInitScript(() => {
    IDBFactory.prototype.open = function open(): IDBOpenDBRequest {
      throw new DOMException('IndexedDB is disabled here', 'SecurityError');
    };
  });
  await openDesktop(page);
  await showLabs(page);
  await expect(page.getByTestId('labs-store-problem')).toContainText('progress is not saved');
  await openLab(page, '01-processes');
  await page.getByTestId('show-me').click();
  await expect(page.getByTestId('lab-step-0')).toHaveAttribute('data-done', 'true');
});
