// Traces in the page: a trace written by `zos run --trace` (the real CLI, in
// Node) opened from the Logs panel's file input is shown read-only, verified
// and replayed, in the Logs, the Capabilities panel and on the timeline; a
// hand-edited, truncated or wrong-version file is refused with the reason and
// changes nothing; and the page's own Export gives a trace and a signed
// receipt that the CLI's checks accept.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'playwright/test';
import type { Commit } from '../../kernel/commits.ts';
import { replay } from '../../kernel/replay.ts';
import { verifyReceipt } from '../../record/receipt.ts';
import { readTrace } from '../../record/trace.ts';
import { openDesktop, runCommand } from './desktop-helpers.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'zos-trace-'));
const tracePath = join(dir, 'shell-run.jsonl');

function replayHash(commits: readonly Commit[], seq: number): string {
  const r = replay(commits.slice(0, seq + 1));
  if (!r.ok) throw new Error(r.reason);
  return r.stateHash;
}

test.beforeAll(() => {
  // A shell that makes an endpoint, derives a read-only copy and tries to grant it (refused: no g).
  execFileSync(process.execPath, [join(ROOT, 'bin', 'zos.mjs'), 'run', 'terminal', '--input', 'ep', '--input', 'derive 3 r',
    '--input', 'grant 4 2 r', '--input', 'exit', '--trace', tracePath], { cwd: ROOT, env: { ...process.env, ZOS_CONFIG_DIR: dir }, stdio: 'ignore' });
});

test('a trace from zos run opens read-only: its logs, its capabilities, the timeline at its last commit; Back to live returns', async ({ page }) => {
  const run = readTrace(readFileSync(tracePath, 'utf8'));
  const shellPid = run.programs.find((p) => p.name === 'terminal')!.pid;
  await openDesktop(page);
  await page.evaluate(() => window.zos.showPanel('logs'));
  await page.getByTestId('trace-input').setInputFiles(tracePath);
  const note = page.getByTestId('trace-note');
  await expect(note).toBeVisible();
  await expect(note).toContainText(`Trace shell-run.jsonl, read-only: ${run.commits.length} commits from Genesis`);

  const shown = await page.evaluate(() => window.zos.timeline.shown());
  expect(shown).toMatchObject({ live: false, seq: run.commits.length - 1, stateHash: run.stateHash });

  // The Logs panel shows the trace's CommitLog, not the page's.
  await page.locator('.log-viewer .seg[data-mode="commits"]').click();
  await expect(page.locator('.log-viewer')).toContainText(`${run.commits.length} commits`);
  await page.getByTestId('verify-button').click();
  await expect(page.getByTestId('verify-result')).toContainText(`chain ok: ${run.commits.length} commits`);
  await expect(page.getByTestId('verify-result')).toContainText("replay matches the trace's state");

  // The Capabilities panel shows the trace's state: just after the shell derived its read-only copy, it holds it (the
  // shell has exited by the trace's last commit, and its capabilities went with it).
  // A derive is a grant to oneself.
  const derive = run.commits.find((c): c is Extract<Commit, { type: 'CapGranted' }> => c.type === 'CapGranted' && c.fields.to_pid === shellPid && c.fields.perms === 1)!;
  expect((await page.evaluate((seq) => window.zos.timeline.goTo(seq), derive.seq)).stateHash).toBe(replayHash(run.commits, derive.seq));
  await page.evaluate(() => window.zos.showPanel('capabilities'));
  await expect(page.getByTestId(`cap-row-${shellPid}-${derive.fields.to_slot}`)).toContainText('r--');
  await expect(page.locator('.panel[data-panel="capabilities"]').getByTestId('past-note')).toContainText('of trace shell-run.jsonl');

  await page.evaluate(() => window.zos.showPanel('logs'));
  await page.getByTestId('trace-close').click();
  await expect(note).toBeHidden();
  expect(await page.evaluate(() => window.zos.timeline.shown().live)).toBe(true);
});

test('a hand-edited, truncated or wrong-version trace is refused with the reason, and nothing changes', async ({ page }) => {
  const text = readFileSync(tracePath, 'utf8');
  const lines = text.trimEnd().split('\n');
  const at = lines.findLastIndex((l) => l.includes('"type":"CapInserted"'));
  expect(at).toBeGreaterThan(0);
  const seq = (JSON.parse(lines[at]!) as { seq: number }).seq;
  const edited = lines.slice();
  edited[at] = edited[at]!.replace(/"perms":\d+/, '"perms":3'); // a forger changes a capability's rights
  const cases: [string, string, RegExp][] = [
    ['edited.jsonl', `${edited.join('\n')}\n`, new RegExp(`commit ${seq}:`)],
    ['truncated.jsonl', `${lines.slice(0, -3).join('\n')}\n`, /truncated/],
    ['future.jsonl', `${[lines[0]!.replace('"version":1', '"version":9'), ...lines.slice(1)].join('\n')}\n`, /version 9/],
    ['not-a-trace.jsonl', 'hello\n', /not a JSON object/],
  ];
  const shell = await openDesktop(page);
  await runCommand(page, shell, 'ep');
  const before = await page.evaluate(() => window.zos.verify());
  await page.evaluate(() => window.zos.showPanel('logs'));
  for (const [name, body, reason] of cases) {
    const file = join(dir, name);
    writeFileSync(file, body);
    await page.getByTestId('trace-input').setInputFiles(file);
    await expect(page.locator('.toast')).toContainText(`${name} was not opened (nothing changed)`);
    await expect(page.locator('.toast')).toContainText(reason);
    expect(await page.evaluate(() => window.zos.timeline.shown().live)).toBe(true);
    await expect(page.getByTestId('trace-note')).toBeHidden();
  }
  const after = await page.evaluate(() => window.zos.verify());
  expect(after.ok).toBe(true);
  expect(after.commits).toBeGreaterThanOrEqual(before.commits);
});

test("the page's Export: a trace the CLI reads back to the page's state, and a receipt that verifies against it", async ({ page }) => {
  const shell = await openDesktop(page);
  await runCommand(page, shell, 'ep');
  await runCommand(page, shell, 'derive 3 r');
  await page.evaluate(() => window.zos.showPanel('logs'));
  const files: Record<string, string> = {};
  for (const kind of ['trace', 'chrome', 'receipt']) {
    const download = page.waitForEvent('download');
    await page.getByTestId('export-menu').click();
    await page.getByTestId(`export-${kind}`).click();
    const d = await download;
    const path = join(dir, d.suggestedFilename());
    await d.saveAs(path);
    files[kind] = readFileSync(path, 'utf8');
  }
  const run = readTrace(files.trace!);
  const live = await page.evaluate(() => window.zos.verify());
  expect(run.commits.length).toBeLessThanOrEqual(live.commits);
  expect(run.programs.map((p) => p.name)).toEqual(expect.arrayContaining(['init', 'permission', 'terminal']));
  expect(run.input.some((i) => i.pid === shell && i.text.includes('derive 3 r'))).toBe(true);
  const receipt = verifyReceipt(files.receipt!, run);
  expect(receipt.stateHash).toBe(run.stateHash);
  // One track (a thread of the "zos" process) per process of the run.
  const chrome = JSON.parse(files.chrome!) as { traceEvents: { ph: string; tid: number; name: string; args?: { name?: string } }[] };
  const tracks = chrome.traceEvents.filter((e) => e.ph === 'M' && e.name === 'thread_name').map((e) => e.args?.name);
  expect(tracks).toEqual(expect.arrayContaining(run.programs.map((p) => `${p.pid} ${p.name}`)));
});
