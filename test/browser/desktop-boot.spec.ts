import { expect, test } from 'playwright/test';
import { openDesktop, waitForScreen } from './desktop-helpers.ts';

test('boot shows init and permission as PIDs 1 and 2, the boot log and a shell in a terminal', async ({ page }) => {
  const shell = await openDesktop(page);
  const procs = await page.evaluate(() => window.zos.processes());
  expect(procs.find((p) => p.pid === 1)).toMatchObject({ name: 'init', status: 'alive' });
  expect(procs.find((p) => p.pid === 2)).toMatchObject({ name: 'permission', status: 'alive', parent: 1 });
  expect(procs.find((p) => p.pid === shell)).toMatchObject({ name: 'terminal', status: 'alive' });

  const terminals = await page.evaluate(() => window.zos.terminals());
  expect(terminals).toEqual([{ id: 1, pid: shell, program: 'terminal', ended: false, active: true }]);
  await expect(page.locator('.term-pane.active .xterm')).toBeVisible();
  await expect(page.locator('.term-tab.active')).toContainText(`pid ${shell}`);

  // The boot log comes first, then the shell's banner and prompt.
  const screen = await waitForScreen(page, 'zos$');
  expect(screen).toMatch(/pid 1\s+init/);
  expect(screen).toMatch(/pid 2\s+permission/);
  expect(screen.indexOf('chain ok')).toBeLessThan(screen.indexOf('zos terminal.'));

  await expect(page.getByTestId('boot-status')).toHaveText(/^up/);
  await expect(page.getByTestId('chain-status')).toContainText('chain ok');
  await expect(page.getByTestId('state-hash')).toHaveText(/^[0-9a-f]{12}$/);
  await expect(page.getByTestId('proc-row-1')).toContainText('init');
  await expect(page.getByTestId('proc-row-2')).toContainText('permission');
});

test('window.zos: spawn, console text, exit, logs, verify', async ({ page }) => {
  await openDesktop(page);
  const result = await page.evaluate(async () => {
    const pid = await window.zos.spawn('hello');
    const info = await window.zos.waitForExit(pid, 10_000);
    return {
      pid, info, text: window.zos.consoleText(pid),
      syslog: window.zos.syslog(5), commits: window.zos.commits(3),
      verify: window.zos.verify(), hash: window.zos.stateHash(),
    };
  });
  expect(result.text).toBe(`Hello from zos! I am pid ${result.pid}\n`);
  expect(result.info).toMatchObject({ pid: result.pid, status: 'exited', exitCode: 0 });
  expect(result.syslog).toHaveLength(5);
  expect(result.commits).toHaveLength(3);
  expect(result.commits[2]!.prev_hash).toBe(result.commits[1]!.hash);
  expect(result.verify).toMatchObject({ ok: true, replayMatches: true, stateHash: result.hash });
  expect(result.verify.badSeq).toBeUndefined();
});

test('window.zos.spawn rejects a binary that is not WASM with the validation error', async ({ page }) => {
  await openDesktop(page);
  const message = await page.evaluate(() =>
    window.zos.spawn(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]), { name: 'junk' }).then(() => 'spawned', (e: Error) => e.message));
  expect(message).not.toBe('spawned');
  expect(message).toContain('junk');
  const unknown = await page.evaluate(() => window.zos.spawn('no-such-app').then(() => 'spawned', (e: Error) => e.message));
  expect(unknown).toContain('no app of that name');
  await expect(page.getByTestId('boot-status')).toHaveText(/^up/); // the page goes on
});
