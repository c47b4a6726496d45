import { expect, test, type Page } from 'playwright/test';
import { focusTerminal, openDesktop, typeLine, waitForConsole } from './desktop-helpers.ts';

/** Runs a little, saves, and returns this boot's id and commit count. */
async function runAndSave(page: Page): Promise<{ boot: number; commits: number }> {
  const shell = await openDesktop(page);
  await focusTerminal(page);
  await typeLine(page, 'ep');
  await waitForConsole(page, shell, 'created endpoint');
  await page.evaluate(() => window.zos.spawn('hello').then((p) => window.zos.waitForExit(p)));
  await page.evaluate(() => window.zos.flush());
  const boot = (await page.evaluate(() => window.zos.bootId))!;
  expect(boot).toBeGreaterThan(0);
  return { boot, commits: await page.evaluate(() => window.zos.commits(1_000_000).length) };
}

/** Rewrites the stored commit chunks of a boot in the page, through raw IndexedDB. */
async function editCommits(page: Page, boot: number, edit: string): Promise<void> {
  await page.evaluate(async ([bootId, source]) => {
    const change = new Function('chunk', source) as (chunk: { first: number; items: unknown[] }) => boolean;
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open('zos');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    const tx = db.transaction('commits', 'readwrite');
    const store = tx.objectStore('commits');
    const chunks = await new Promise<{ first: number; items: unknown[] }[]>((resolve, reject) => {
      const req = store.index('boot').getAll(bootId);
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    for (const chunk of chunks) if (change(chunk)) store.put(chunk);
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
    db.close();
  }, [boot, edit] as const);
}

async function reloadDesktop(page: Page): Promise<void> {
  await page.reload();
  await page.evaluate(() => window.zos.ready);
}

test('a reload lists the previous boot, verifies its chain and replays its state', async ({ page }) => {
  const { boot, commits } = await runAndSave(page);
  const savedHash = await page.evaluate(() => window.zos.stateHash());
  await reloadDesktop(page);
  expect(await page.evaluate(() => window.zos.bootId)).not.toBe(boot);

  const reports = await page.evaluate(() => window.zos.boots());
  const report = reports.find((r) => r.id === boot)!;
  expect(report).toBeTruthy();
  expect(report.chain.ok).toBe(true);
  expect(report.commits).toBeGreaterThanOrEqual(commits);
  expect(report.problems).toEqual([]);
  expect(report.replay).toMatchObject({ ok: true, matchesSaved: true });
  if (report.commits === commits) expect(report.replay.stateHash).toBe(savedHash);
  expect(report.processes.map((p) => p.name)).toEqual(expect.arrayContaining(['supervisor', 'init', 'permission', 'terminal', 'hello']));
  expect(report.processes.find((p) => p.name === 'hello')).toMatchObject({ status: 'exited', exitCode: 0 });

  await page.evaluate(() => window.zos.showPanel('boots'));
  const card = page.getByTestId(`boot-${boot}`);
  await expect(card.getByTestId('boot-chain')).toContainText('✓ chain verified');
  await expect(card.getByTestId('boot-replay')).toContainText('= the state saved with the log');
  await card.getByText(/Process table of the replayed state/).click();
  await expect(card.locator('table')).toContainText('permission');
});

test('a tampered commit in IndexedDB is reported with the first bad seq', async ({ page }) => {
  const { boot } = await runAndSave(page);
  // Change the time of commit 5 (and a later one): the chain breaks first at 5.
  await editCommits(page, boot, `
    let changed = false;
    for (const seq of [5, 9]) {
      const i = seq - chunk.first;
      if (i >= 0 && i < chunk.items.length) { chunk.items[i].time += 1; changed = true; }
    }
    return changed;`);
  await reloadDesktop(page);
  const report = (await page.evaluate(() => window.zos.boots())).find((r) => r.id === boot)!;
  expect(report.chain).toMatchObject({ ok: false, badSeq: 5 });
  expect((report.chain as { reason: string }).reason).toContain('tampered');

  await page.evaluate(() => window.zos.showPanel('boots'));
  await expect(page.getByTestId(`boot-${boot}`).getByTestId('boot-chain')).toContainText('chain broken at seq 5');
});

test('corrupt records are reported, and the page goes on', async ({ page }) => {
  const { boot } = await runAndSave(page);
  // Commit 3 stops being a commit; a chunk of garbage and a broken boot record appear.
  await editCommits(page, boot, `
    const i = 3 - chunk.first;
    if (i < 0 || i >= chunk.items.length) return false;
    chunk.items[i] = { seq: 'three', hash: 42 };
    return true;`);
  await page.evaluate(async (bootId) => {
    const db = await new Promise<IDBDatabase>((resolve) => {
      const req = indexedDB.open('zos');
      req.onsuccess = () => resolve(req.result);
    });
    const tx = db.transaction(['commits', 'boots'], 'readwrite');
    tx.objectStore('commits').put({ boot: bootId, first: 1_000_000, items: 'not a list' });
    tx.objectStore('boots').put({ id: bootId + 500, startedAt: 'yesterday' });
    await new Promise((resolve) => { tx.oncomplete = resolve; });
    db.close();
  }, boot);
  await reloadDesktop(page);

  const reports = await page.evaluate(() => window.zos.boots());
  const report = reports.find((r) => r.id === boot)!;
  expect(report.chain).toMatchObject({ ok: false, badSeq: 3 });
  expect(report.problems.join('\n')).toMatch(/commit record 3 .*is corrupt/);
  expect(report.problems.join('\n')).toMatch(/a commit chunk of boot \d+ is corrupt/);
  const bogus = reports.find((r) => r.id === boot + 500)!;
  expect(bogus.problems.join('\n')).toMatch(/boot record \d+ is corrupt/);

  await page.evaluate(() => window.zos.showPanel('boots'));
  await expect(page.getByTestId(`boot-${boot}`).getByTestId('boot-problems')).toContainText('is corrupt');
  // Still a working desktop.
  const shell = (await page.evaluate(() => window.zos.terminals()))[0]!.pid!;
  await waitForConsole(page, shell, 'zos$ ');
  await focusTerminal(page);
  await typeLine(page, 'echo fine');
  await waitForConsole(page, shell, 'fine\n');
});
