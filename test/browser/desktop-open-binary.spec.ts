// Opening a binary of one's own: dropped on the desktop or picked with the
// "open .wasm" button. The binaries are WAT assembled here by wabt, on the
// plain ABI (no zos extensions), as Zero OS v0.1.1 binaries are built.

import { expect, test, type Page } from 'playwright/test';
import { assemble, ZOS_IMPORTS } from '../fixtures/wat.ts';
import { focusTerminal, openDesktop, typeLine, waitForConsole, waitForScreen } from './desktop-helpers.ts';

/** Prints a line, then waits for one line of console input (slot 1) and prints it back; exits 0. */
const ECHO_ONCE = `(module
  ${ZOS_IMPORTS}
  (memory (export "memory") 1)
  (data (i32.const 0) "plain binary ready\\n")
  (data (i32.const 32) "got: ")
  (func (export "_start") (local $n i32)
    (call $send_bytes (i32.const 0) (i32.const 19))
    (drop (call $syscall (i32.const 0x07) (i32.const 19) (i32.const 0) (i32.const 0)))
    ;; RECEIVE on slot 1, blocking, no time limit: from u32, tag u32, then the text
    (local.set $n (call $syscall (i32.const 0x41) (i32.const 1) (i32.const 1) (i32.const 0)))
    (drop (call $recv_bytes (i32.const 0x100) (i32.const 4096)))
    (call $send_bytes (i32.const 32) (i32.const 5))
    (call $send_bytes (i32.const 0x108) (i32.sub (local.get $n) (i32.const 8)))
    (drop (call $syscall (i32.const 0x07) (i32.sub (local.get $n) (i32.const 3)) (i32.const 0) (i32.const 0)))
    (drop (call $syscall (i32.const 0x11) (i32.const 0) (i32.const 0) (i32.const 0)))))`;

/** A module the validator refuses: no `_start`. */
const NO_START = `(module
  ${ZOS_IMPORTS}
  (memory (export "memory") 1)
  (func $main))`;

/** Drops files on the desktop as a user's drag and drop would deliver them. */
async function drop(page: Page, files: { name: string; bytes: Uint8Array }[]): Promise<void> {
  await page.evaluate((list) => {
    const transfer = new DataTransfer();
    for (const f of list) transfer.items.add(new File([new Uint8Array(f.bytes)], f.name, { type: 'application/wasm' }));
    const target = document.querySelector('.desktop')!;
    for (const type of ['dragenter', 'dragover', 'drop']) {
      target.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }
  }, files.map((f) => ({ name: f.name, bytes: [...f.bytes] })));
}

/** What a refused binary must leave alone. */
const systemShape = (page: Page) => page.evaluate(() => ({
  commits: window.zos.commits(1)[0]!.seq,
  processes: window.zos.processes().length,
  terminals: window.zos.terminals().length,
  menu: [...document.querySelectorAll('select[aria-label="program to spawn"] option')].map((o) => o.textContent),
}));

test('a dropped binary on the plain ABI runs in its own tab, takes typed input, and joins the spawn menus', async ({ page }) => {
  const shell = await openDesktop(page);
  const bytes = await assemble(ECHO_ONCE, 'plain-echo.wat');
  await drop(page, [{ name: 'plain-echo.wasm', bytes }]);

  // A new tab, active, bound to the program, with the validator's acceptance noted.
  await expect(page.locator('.term-tab.active')).toContainText('plain-echo · pid');
  const tab = await page.evaluate(() => window.zos.terminals().find((t) => t.active)!);
  expect(tab.program).toBe('plain-echo');
  const pid = tab.pid!;
  await waitForConsole(page, pid, 'plain binary ready\n');
  await waitForScreen(page, 'accepted by the validator', tab.id);
  expect(await page.evaluate((p) => window.zos.processes().find((x) => x.pid === p), pid), 'spawned by the page').toMatchObject({ name: 'plain-echo', parent: 0 });

  // Its console is attached: a typed line goes to its slot 1.
  await focusTerminal(page);
  await typeLine(page, 'hello there');
  await waitForConsole(page, pid, 'got: hello there\n');
  expect(await page.evaluate((p) => window.zos.waitForExit(p), pid)).toMatchObject({ status: 'exited', exitCode: 0 });
  await waitForScreen(page, `[pid ${pid} exited with code 0`, tab.id);

  // Listed in the process panel's spawn menu for the rest of the session...
  await page.evaluate(() => window.zos.showPanel('processes'));
  await expect(page.locator('select[aria-label="program to spawn"] option[value="plain-echo"]')).toHaveCount(1);
  // ...and a shell spawns it by name, through init.
  await page.locator('.term-tab').first().click();
  await focusTerminal(page);
  await typeLine(page, 'spawn plain-echo');
  const child = Number((await waitForConsole(page, shell, /spawned plain-echo as pid (\d+)/)).match(/spawned plain-echo as pid (\d+)/)![1]);
  await waitForConsole(page, child, 'plain binary ready\n');
  await waitForScreen(page, 'plain binary ready');
  expect(await page.evaluate((p) => window.zos.processes().find((x) => x.pid === p)?.parent, child)).toBe(1);
});

test('a refused binary shows the validator\'s message and changes nothing', async ({ page }) => {
  await openDesktop(page);
  const before = await systemShape(page);
  await drop(page, [{ name: 'no-start.wasm', bytes: await assemble(NO_START, 'no-start.wat') }]);
  const toast = page.getByTestId('toast');
  await expect(toast).toBeVisible();
  await expect(toast).toContainText('no-start.wasm was refused (nothing was started): process "no-start": the module does not export "_start"');
  expect(await systemShape(page)).toEqual(before);

  // Not a WebAssembly module at all: the validator says so, and still nothing changes.
  await drop(page, [{ name: 'notes.wasm', bytes: new TextEncoder().encode('just some text') }]);
  await expect(toast).toContainText('notes.wasm was refused (nothing was started): process "notes"');
  await expect(toast).toContainText(/WebAssembly|magic/i);
  expect(await systemShape(page)).toEqual(before);

  await toast.getByRole('button', { name: 'dismiss message' }).click();
  await expect(toast).toBeHidden();
});

test('the open .wasm button runs a picked binary; Ctrl+C in its tab ends it', async ({ page }) => {
  await openDesktop(page);
  const bytes = await assemble(ECHO_ONCE, 'picked.wat');
  await page.getByTestId('open-wasm-input').setInputFiles({ name: 'picked.wasm', mimeType: 'application/wasm', buffer: Buffer.from(bytes) });
  await expect(page.locator('.term-tab.active')).toContainText('picked · pid');
  const pid = (await page.evaluate(() => window.zos.terminals().find((t) => t.active)!.pid))!;
  await waitForConsole(page, pid, 'plain binary ready\n');

  await focusTerminal(page);
  await page.keyboard.press('Control+C');
  expect(await page.evaluate((p) => window.zos.waitForExit(p), pid)).toMatchObject({ status: 'faulted', fault: { reason: 'killed' } });
  await waitForScreen(page, `^C killing pid ${pid}`);
});
