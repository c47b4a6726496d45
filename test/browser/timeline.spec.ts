// The timeline in Chromium: every panel shows the state at the commit
// picked, and that state is the one a fresh replay of the CommitLog gives
// (its state hash), at random commits, live and for a saved boot read back
// from the real IndexedDB after a reload; stepping with the keyboard, the
// request behind a commit, a diff, acts turned off in the past, and Live.
import { expect, test, type Page } from 'playwright/test';
import type { Commit } from '../../kernel/commits.ts';
import { replay } from '../../kernel/replay.ts';
import { openDesktop, runCommand as run } from './desktop-helpers.ts';

/** A little history with every kind of change: endpoints, derive, grant, revoke, delete, spawn, exit, kill. */
async function history(page: Page, shell: number): Promise<void> {
  for (const line of ['ep', 'derive 3 r', 'grant 3 2 rw', 'derive 4 r', 'revoke 3', 'ep', 'delete 5', 'spawn hello']) await run(page, shell, line);
  const clock = await page.evaluate(() => window.zos.spawn('clock'));
  await page.evaluate(() => window.zos.spawn('hello'));
  await page.evaluate((pid) => window.zos.kill(pid), clock);
  await expect.poll(() => page.evaluate(() => window.zos.processes().filter((p) => p.status !== 'alive').length)).toBeGreaterThanOrEqual(3);
}

function replayHash(commits: readonly Commit[], seq: number): string {
  const r = replay(commits.slice(0, seq + 1));
  if (!r.ok) throw new Error(r.reason);
  return r.stateHash;
}

/** Seqs spread over [first, last] from a fixed seed, with both ends. */
function pick(first: number, last: number, n: number): number[] {
  let x = 12345;
  const out = new Set([first, last]);
  while (out.size < n) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    out.add(first + (x % (last - first + 1)));
  }
  return [...out];
}

/** Goes to a commit the way a user does: its number in the timeline's box, then Enter. */
async function goTo(page: Page, seq: number): Promise<void> {
  const box = page.getByTestId('timeline-seq');
  await box.fill(String(seq));
  await box.press('Enter');
  await expect(page.getByTestId('timeline-commit')).toContainText(`commit #${seq} `);
}

/** What the panels show now: the timeline's state hash, the process table's pids, the inspector's capabilities. */
async function shownOnPage(page: Page) {
  const hash = await page.getByTestId('timeline-hash').getAttribute('data-hash');
  await page.evaluate(() => window.zos.showPanel('processes'));
  const pids = await page.locator('[data-testid="process-table"] tbody tr:not([hidden])').evaluateAll((rows) => rows.map((r) => Number((r as HTMLElement).dataset.pid)).sort((a, b) => a - b));
  await page.evaluate(() => window.zos.showPanel('capabilities'));
  const caps = await page.locator('[data-testid^="cap-row-"]').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.cap!).sort());
  return { hash, pids, caps };
}

/** The same things, from a fresh replay in Node. */
function expected(commits: readonly Commit[], seq: number) {
  const r = replay(commits.slice(0, seq + 1));
  if (!r.ok) throw new Error(r.reason);
  const procs = [...r.state.procs.values()];
  return {
    hash: r.stateHash,
    pids: procs.map((p) => p.pid).sort((a, b) => a - b),
    caps: procs.filter((p) => p.status === 'alive' && p.pid !== 0)
      .flatMap((p) => [...p.cspace.values()].map((c) => `${p.pid}:${c.slot}`)).sort(),
  };
}

test('the state every panel shows at random commits is a fresh replay to that commit', async ({ page }) => {
  test.setTimeout(120_000);
  const shell = await openDesktop(page);
  await history(page, shell);
  const commits = await page.evaluate(() => window.zos.commits(1_000_000));
  expect(commits[0]!.seq).toBe(0);
  await page.getByTestId('timeline-toggle').click();
  await expect(page.getByTestId('timeline')).toBeVisible();
  for (const seq of pick(0, commits.length - 1, 14)) {
    await goTo(page, seq);
    expect(await shownOnPage(page), `commit ${seq}`).toEqual(expected(commits, seq));
  }
  // And the live state is the replay of the whole log.
  await page.getByTestId('timeline-live').click();
  expect(await page.evaluate(() => window.zos.timeline.shown())).toMatchObject({ live: true });
  expect(await page.evaluate(() => window.zos.stateHash())).toBe(replayHash(await page.evaluate(() => window.zos.commits(1_000_000)), Infinity));
});

test('steps with the keyboard, names the request behind a commit, diffs two commits, turns acts off in the past, and returns to live', async ({ page }) => {
  const shell = await openDesktop(page);
  await run(page, shell, 'ep');
  const beforeDerive = await page.evaluate(() => window.zos.commits(1)[0]!.seq);
  await run(page, shell, 'derive 3 r');
  const last = await page.evaluate(() => window.zos.commits(1)[0]!.seq);
  const derived = await page.evaluate((p) => window.zos.caps(p).find((c) => c.slot === 4)!, shell);

  await page.getByTestId('timeline-toggle').click();
  await page.getByTestId('timeline-commit').click(); // the keyboard leaves the terminal
  const seq = async () => (await page.evaluate(() => window.zos.timeline.shown())).seq;
  await page.keyboard.press('ArrowLeft');
  expect(await seq()).toBe(last - 1);
  await expect(page.getByTestId('timeline-seq')).toHaveValue(String(last - 1));
  await page.keyboard.press('Shift+ArrowLeft');
  expect(await seq()).toBe(last - 11);
  await page.keyboard.press('ArrowRight');
  expect(await seq()).toBe(last - 10);
  await page.keyboard.press('Home');
  expect(await seq()).toBe(0);
  await expect(page.getByTestId('timeline-commit')).toContainText('Genesis');
  await page.keyboard.press('End');
  expect(await seq()).toBe(last);

  // The newest commit is the derive: what it did, and the shell's request behind it.
  await expect(page.getByTestId('timeline-commit')).toContainText(`pid ${shell} derived slot 4 from its slot 3: capability #${derived.id} with r--`);
  await expect(page.getByTestId('timeline-cause')).toContainText(`pid ${shell} CAP_DERIVE`);

  // In the past, nothing acts: the inspector's and the process panel's buttons are off, and each says why.
  await page.evaluate(() => window.zos.showPanel('capabilities'));
  const inspector = page.locator('.panel[data-panel="capabilities"]');
  await expect(inspector.getByTestId('past-note')).toBeVisible();
  await expect(inspector.getByRole('button', { name: 'Grant' })).toBeDisabled();
  await expect(page.getByTestId(`revoke-${shell}-4`)).toBeDisabled();
  await page.evaluate(() => window.zos.showPanel('processes'));
  await expect(page.getByTestId(`kill-${shell}`)).toBeDisabled();
  await expect(page.locator('.panel[data-panel="processes"]').getByRole('button', { name: 'Spawn' })).toBeDisabled();

  // A diff: from just before the derive to the newest commit.
  await page.getByTestId('diff-open').click();
  await page.getByTestId('diff-from').fill(String(beforeDerive));
  await page.getByTestId('diff-to').fill(String(last));
  await page.getByTestId('diff-run').click();
  await expect(page.getByTestId('diff-summary')).toContainText('1 capabilities added, 0 removed');
  await expect(page.getByTestId('diff-result')).toContainText(`+ capability #${derived.id} pid ${shell} slot 4 r-- derived from #`);
  // A commit that is not in the log is refused with a sentence, and nothing moves.
  await page.getByTestId('timeline-seq').fill('99999');
  await page.getByTestId('timeline-seq').press('Enter');
  await expect(page.getByTestId('timeline-note')).toContainText(`There is no commit 99999: this log has commits 0 to ${last}`);
  expect(await seq()).toBe(last);

  // Escape: live again, and the acts are back.
  await page.getByTestId('timeline-commit').click();
  await page.keyboard.press('ArrowLeft');
  expect(await seq()).toBe(last - 1);
  await page.keyboard.press('Escape');
  expect(await page.evaluate(() => window.zos.timeline.shown().live)).toBe(true);
  await expect(page.getByTestId(`kill-${shell}`)).toBeEnabled();
  await expect(page.locator('.panel[data-panel="processes"]').getByTestId('past-note')).toBeHidden();
});

test('a saved boot, read back from IndexedDB after a reload, shows the state of a fresh replay at random commits', async ({ page }) => {
  test.setTimeout(120_000);
  const shell = await openDesktop(page);
  await history(page, shell);
  await page.evaluate(() => window.zos.flush());
  const bootId = (await page.evaluate(() => window.zos.bootId))!;
  const commits = await page.evaluate(() => window.zos.commits(1_000_000));

  await page.reload();
  await page.waitForFunction(() => window.zos !== undefined);
  await page.evaluate(() => window.zos.ready);
  await page.evaluate(() => window.zos.showPanel('boots'));
  await page.getByTestId(`travel-boot-${bootId}`).click();
  await expect(page.getByTestId('timeline-commit')).toContainText(`boot #${bootId}`);
  const shown = await page.evaluate(() => window.zos.timeline.shown());
  expect(shown).toMatchObject({ live: false, boot: bootId, first: 0 });
  expect(shown.last).toBeGreaterThanOrEqual(commits.length - 1); // everything saved (the shell may have run on a little)
  const saved = commits.slice(0, shown.last + 1);
  for (const seq of pick(0, saved.length - 1, 10)) {
    await goTo(page, seq);
    expect(await shownOnPage(page), `boot #${bootId} commit ${seq}`).toEqual(expected(saved, seq));
  }
  await expect(page.locator('.panel[data-panel="capabilities"]').getByTestId('past-note')).toContainText(`saved boot #${bootId}`);
  await page.getByTestId('timeline-live').click();
  expect(await page.evaluate(() => window.zos.timeline.shown())).toMatchObject({ live: true, boot: null });
});
