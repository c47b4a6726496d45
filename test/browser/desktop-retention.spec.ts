// The page keeps only a tail of the CommitLog in memory: older commits are
// saved to IndexedDB before the kernel drops them, so the live chain still
// verifies (from its checkpoint) and the saved boot still verifies and
// replays from Genesis after a reload.

import { expect, test } from 'playwright/test';
import { assemble, ZOS_IMPORTS } from '../fixtures/wat.ts';
import { openDesktop } from './desktop-helpers.ts';

/** SENDs `n` messages to its own endpoint (slot 0), taking each back with a non-blocking RECEIVE: a commit each. */
const selfSender = (n: number): Promise<Uint8Array> => assemble(`(module ${ZOS_IMPORTS} (memory (export "memory") 1)
  (func (export "_start") (local $i i32)
    (loop $l
      (drop (call $syscall (i32.const 0x40) (i32.const 0) (i32.const 1) (i32.const 0)))
      (drop (call $syscall (i32.const 0x41) (i32.const 0) (i32.const 0) (i32.const 0)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const ${n}))))))`);

test('a long run spills older commits to IndexedDB, and the saved boot still verifies across checkpoints', async ({ page }) => {
  test.setTimeout(180_000);
  await openDesktop(page);
  await page.evaluate(() => window.zos.flush());
  // Hold IndexedDB's commit store with a transaction kept busy, so no save lands during the run:
  // the kernel drops its oldest commits from memory before they could have been saved the usual way.
  await page.evaluate(() => new Promise<void>((started) => {
    const req = indexedDB.open('zos');
    req.onsuccess = () => {
      const store = req.result.transaction('commits', 'readwrite').objectStore('commits');
      let held = true;
      (window as unknown as { release(): void }).release = () => { held = false; };
      const keepBusy = (): void => { if (held) store.get([-1, -1]).onsuccess = keepBusy; };
      keepBusy();
      started();
    };
  }));
  const binary = Array.from(await selfSender(40_000));
  await page.evaluate(async (bytes) => {
    const pid = await window.zos.spawn(new Uint8Array(bytes));
    await window.zos.waitForExit(pid, 150_000);
  }, binary);
  await page.evaluate(() => (window as unknown as { release(): void }).release());
  const log = await page.evaluate(() => window.zos.commitLog());
  expect(log.count).toBeGreaterThan(40_000);
  expect(log.firstKept).toBeGreaterThan(0); // the oldest commits left memory
  expect(log.count - log.firstKept).toBeLessThanOrEqual(30_000);
  const live = await page.evaluate(() => window.zos.verify());
  expect(live).toMatchObject({ ok: true, replayMatches: true, commits: log.count });

  await page.evaluate(() => window.zos.flush());
  const boot = (await page.evaluate(() => window.zos.bootId))!;
  const count = (await page.evaluate(() => window.zos.commitLog())).count;
  const savedHash = await page.evaluate(() => window.zos.stateHash());
  await page.reload();
  await page.evaluate(() => window.zos.ready);
  const report = (await page.evaluate(() => window.zos.boots())).find((r) => r.id === boot)!;
  expect(report.problems).toEqual([]);
  expect(report.chain.ok).toBe(true);
  expect(report.commits).toBe(count); // every commit saved, from Genesis, the dropped ones included
  expect(report.replay).toMatchObject({ ok: true, matchesSaved: true, stateHash: savedHash });
});
