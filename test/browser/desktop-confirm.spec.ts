// Acts from the panels that break the system ask first and say what will
// break; Cancel changes nothing, going ahead does what it said; acts that
// break nothing of the system's are not asked about.
import { expect, test } from 'playwright/test';
import { openDesktop, waitForConsole } from './desktop-helpers.ts';

test('revoking init`s endpoint from the Capabilities panel asks first, and Cancel changes nothing', async ({ page }) => {
  const shell = await openDesktop(page);
  await page.evaluate(() => window.zos.showPanel('capabilities'));
  const before = await page.evaluate(() => window.zos.stateHash());
  await page.getByTestId('revoke-1-0').click();
  const dialog = page.getByTestId('confirm-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText("Revoke pid 1's slot 0 and everything derived from it? This breaks the system.");
  await expect(dialog).toContainText("Every process's slot 2 goes");
  await expect(dialog).toContainText('no one can reach init to spawn a program or to look up or register a service');
  await expect(dialog).toContainText('Init loses its own endpoint (slot 0)');
  await expect(page.getByTestId('confirm-cancel')).toBeFocused();
  await page.getByTestId('confirm-cancel').click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId('inspector-result')).toHaveText('Cancelled: nothing was changed.');
  expect(await page.evaluate(() => window.zos.stateHash())).toBe(before);
  expect((await page.evaluate((p) => window.zos.caps(p), shell)).some((c) => c.slot === 2)).toBe(true);
});

test('going ahead does what the dialog said: the shell loses slot 2 and is told', async ({ page }) => {
  const shell = await openDesktop(page);
  await page.evaluate(() => window.zos.showPanel('capabilities'));
  await page.getByTestId('revoke-1-0').click();
  await page.getByTestId('confirm-ok').click();
  await waitForConsole(page, shell, /\[revoked\] slot 2/);
  expect((await page.evaluate((p) => window.zos.caps(p), shell)).some((c) => c.slot === 2)).toBe(false);
  expect(await page.evaluate(() => window.zos.caps(1).length)).toBe(0);
});

test('killing PID 1 or 2 from the Processes panel asks first; Escape cancels', async ({ page }) => {
  await openDesktop(page);
  await page.evaluate(() => window.zos.showPanel('processes'));
  await page.getByTestId('kill-1').click();
  const dialog = page.getByTestId('confirm-dialog');
  await expect(dialog).toContainText('Kill PID 1 (init)? This breaks the system.');
  await expect(dialog).toContainText('nothing can start it again');
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await page.getByTestId('kill-2').click();
  await expect(dialog).toContainText('Kill PID 2 (the permission service)?');
  await page.getByTestId('confirm-cancel').click();
  const alive = await page.evaluate(() => window.zos.processes().filter((p) => p.pid === 1 || p.pid === 2).map((p) => p.status));
  expect(alive).toEqual(['alive', 'alive']);
});

test('an act that breaks nothing of the system`s is not asked about', async ({ page }) => {
  await openDesktop(page);
  const clock = await page.evaluate(() => window.zos.spawn('clock'));
  await page.evaluate(() => window.zos.showPanel('processes'));
  await page.getByTestId(`kill-${clock}`).click();
  await expect.poll(() => page.evaluate((p) => window.zos.processes().find((x) => x.pid === p)?.status, clock)).toBe('faulted');
  await expect(page.getByTestId('confirm-dialog')).toHaveCount(0);
});
