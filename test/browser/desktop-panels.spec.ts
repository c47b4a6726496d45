import { expect, test } from 'playwright/test';
import { focusTerminal, openDesktop, typeLine, waitForConsole, waitForScreen } from './desktop-helpers.ts';

const SYS_CONSOLE_WRITE = 0x07;
const SYS_CAP_GRANT = 0x30;

test('the process panel lists every process, live, and its kill button kills', async ({ page }) => {
  const shell = await openDesktop(page);
  await page.evaluate(() => window.zos.showPanel('processes'));
  const table = page.getByTestId('process-table');
  await expect(table.getByTestId('proc-row-1')).toContainText('init');
  await expect(table.getByTestId(`proc-row-${shell}`)).toContainText('terminal');

  const clock = await page.evaluate(() => window.zos.spawn('clock'));
  const row = table.getByTestId(`proc-row-${clock}`);
  await expect(row).toContainText('clock');
  await expect(row).toContainText(/running|waiting/);
  // Refreshed live: the syscall count grows as the clock ticks.
  const syscalls = async () => Number((await row.locator('td').nth(5).textContent())!.replace(/,/g, ''));
  const before = await syscalls();
  await expect.poll(syscalls, { timeout: 5000 }).toBeGreaterThan(before);

  // Its output, for a process that has no terminal.
  await row.locator('td').nth(1).click();
  await expect(page.getByTestId('process-output')).toContainText('tick 1:');

  await page.getByTestId(`kill-${clock}`).click();
  const info = await page.evaluate((p) => window.zos.waitForExit(p), clock);
  expect(info).toMatchObject({ status: 'faulted', fault: { reason: 'killed' } });
  await expect(row).toContainText('faulted');
  await expect(row).toContainText('killed');
  await expect(page.getByTestId(`kill-${clock}`)).toBeDisabled();
});

test('the inspector shows capabilities; a revoke there is reported by the affected shell', async ({ page }) => {
  const shell = await openDesktop(page);
  await page.evaluate(() => window.zos.showPanel('capabilities'));
  const cspace = page.getByTestId(`cspace-${shell}`);
  await expect(cspace).toContainText(`pid ${shell}`);
  // Every shell starts with its endpoint (0), its input endpoint (1), write-only to init (2).
  await expect(cspace.getByTestId(`cap-row-${shell}-0`)).toContainText('rwg');
  await expect(cspace.getByTestId(`cap-row-${shell}-1`)).toContainText('rwg');
  await expect(cspace.getByTestId(`cap-row-${shell}-2`)).toContainText('-w-');
  await expect(cspace.getByTestId(`cap-row-${shell}-2`)).toContainText('endpoint 1');
  const endpoints = page.getByTestId('endpoint-table');
  await expect(endpoints.locator('tr[data-endpoint="1"]')).toContainText(`${shell}:2`);
  await expect(page.getByTestId('derivation-tree')).toContainText(`pid ${shell} (terminal) slot 2`);

  // Slot 2 is the shell's only way to reach init: the panel says so and asks first (system-impact.ts).
  await page.getByTestId(`revoke-${shell}-2`).click();
  await expect(page.getByTestId('confirm-dialog')).toContainText(`PID ${shell} loses slot 2, the only way to reach init`);
  await page.getByTestId('confirm-ok').click();
  await expect(page.getByTestId('inspector-result')).toHaveText(`revoke pid ${shell} slot 2: E_OK`);
  await waitForConsole(page, shell, '[revoked] slot 2 (type Endpoint, object 1, reason: explicit)');
  await waitForScreen(page, '[revoked] slot 2');
  await expect(cspace.getByTestId(`cap-row-${shell}-2`)).toHaveCount(0);
  expect(await page.evaluate((p) => window.zos.caps(p).map((c) => c.slot).sort(), shell)).toEqual([0, 1]);
  // It went through the CommitLog like any other change, and the chain still verifies.
  const verify = await page.evaluate(() => window.zos.verify());
  expect(verify).toMatchObject({ ok: true, replayMatches: true });
});

test('inspector grant, derive and revoke act for a process and land in the SysLog as by 0', async ({ page }) => {
  const shell = await openDesktop(page);
  await page.evaluate(() => window.zos.showPanel('capabilities'));
  const form = page.locator('.act-form');
  await page.getByTestId(`cap-row-${shell}-0`).locator('td').first().click(); // picks pid and slot
  await expect(form.getByLabel('pid', { exact: true })).toHaveValue(String(shell));
  await expect(form.getByLabel('slot', { exact: true })).toHaveValue('0');

  // Grant the shell's own endpoint to the permission service, read+write.
  await form.getByLabel('to pid').fill('2');
  await form.getByRole('button', { name: 'Grant', exact: true }).click();
  await expect(page.getByTestId('inspector-result')).toHaveText(new RegExp(`^CAP_GRANT for pid ${shell}: slot \\d+$`));
  const granted = await page.evaluate((p) => window.zos.caps(2).find((c) => c.type === 1 && c.perms === 3 && window.zos.caps(p).some((d) => d.id === c.parent)), shell);
  expect(granted).toBeTruthy();

  // Derive a read-only copy in the shell.
  await form.getByRole('button', { name: 'Derive', exact: true }).click();
  await expect(page.getByTestId('inspector-result')).toHaveText(new RegExp(`^CAP_DERIVE for pid ${shell}: slot \\d+$`));

  // Revoke derived: both copies go; the permission service is told (the panel asks first: it is a system
  // process losing a capability), the shell keeps slot 0.
  await form.getByRole('button', { name: 'Revoke derived' }).click();
  await expect(page.getByTestId('confirm-dialog')).toContainText('The permission service loses slot');
  await page.getByTestId('confirm-ok').click();
  await expect(page.getByTestId('inspector-result')).toHaveText(`CAP_REVOKE for pid ${shell}: E_OK`);
  expect(await page.evaluate((id) => window.zos.caps().some((c) => c.id === id), granted!.id)).toBe(false);
  expect(await page.evaluate((p) => window.zos.caps(p).map((c) => c.slot), shell)).toContain(0);

  const acts = await page.evaluate(() => window.zos.syslog(100_000).filter((e) => e.kind === 'request' && e.by === 0));
  expect(acts.map((e) => (e as { num: number }).num)).toEqual([SYS_CAP_GRANT, 0x34, 0x31]);
  expect(acts.every((e) => (e as { pid: number }).pid === shell)).toBe(true);
});

test('the log viewer filters by pid and syscall, shows the hash chain, and verifies', async ({ page }) => {
  const shell = await openDesktop(page);
  await focusTerminal(page);
  await typeLine(page, 'ps');
  await waitForConsole(page, shell, 'permission\n');
  await page.evaluate(() => window.zos.showPanel('logs'));
  const panel = page.locator('[data-panel="logs"]');

  await panel.getByTestId('log-pid').fill(String(shell));
  await panel.getByTestId('log-syscall').selectOption({ label: 'CONSOLE_WRITE' });
  const rows = panel.getByTestId('syslog-table').locator('tbody tr');
  await expect(rows.first()).toBeVisible();
  const seen = await rows.evaluateAll((trs) => trs.map((tr) => [(tr as HTMLElement).dataset.pid, (tr as HTMLElement).dataset.num, tr.textContent]));
  expect(seen.length).toBeGreaterThan(0);
  for (const [pid, num, text] of seen) {
    expect(pid).toBe(String(shell));
    expect(num).toBe(String(SYS_CONSOLE_WRITE));
    expect(text).toContain('CONSOLE_WRITE');
    expect(text).toContain('E_OK'); // results decoded
  }

  // The CommitLog: commits naming the shell, with prev → hash links.
  await panel.getByRole('button', { name: 'CommitLog' }).click();
  await panel.getByTestId('log-syscall').selectOption({ label: 'all syscalls' });
  const commits = panel.getByTestId('commit-table').locator('tbody tr');
  await expect(commits.first()).toContainText('ProcessCreated');
  await expect(commits.first()).toContainText(`pid=${shell}`);
  await expect(commits.first().locator('.chain-link')).toHaveText(/^[0-9a-f]{6} → [0-9a-f]{6}$/);

  await panel.getByTestId('verify-button').click();
  await expect(panel.getByTestId('verify-result')).toContainText('✓ chain ok');
  await expect(panel.getByTestId('verify-result')).toContainText('replay matches the live state');
});

test('the process panel shows a program\'s output without its terminal control sequences', async ({ page }) => {
  const shell = await openDesktop(page);
  await page.evaluate(() => window.zos.showPanel('processes'));
  await page.getByTestId(`proc-row-${shell}`).locator('td').nth(1).click();
  // A window title (OSC ... BEL), a 256-colour SGR with colons, a charset
  // designation, a hyperlink (OSC 8 ... ST), a reset and a cursor style.
  const sequences = 'A\x1b]0;title\x07B\x1b[38:5:196mC\x1b(BD\x1b]8;;https://example.org\x1b\\E\x1b]8;;\x1b\\F\x1b[0mG\x1b[2 qH';
  await page.evaluate(([p, text]) => window.zos.sendInput(p as number, `echo ${text}\n`), [shell, sequences] as const);
  await waitForConsole(page, shell, 'H\n');
  const output = page.getByTestId('process-output');
  await expect(output).toContainText('zos$ ABCDEFGH');
  expect(await output.textContent()).not.toMatch(/title|example|\x1b|\x07|\]0|8;;/);
});
