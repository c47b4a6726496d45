// The editor: loaded only when first opened; programs written from the
// templates, compiled by the real asc (or wabt) in a worker and run in their
// own tabs; compile errors at their line; programs kept in IndexedDB; a
// shared link that opens the same source.

import { expect, test, type Page } from 'playwright/test';
import { openDesktop, waitForConsole, waitForScreen } from './desktop-helpers.ts';

// The first compile loads asc and binaryen (13 MB) through the dev server, on a shared machine.
test.setTimeout(240_000);
const COMPILE = { timeout: 120_000 };

/** Code that is the editor's and its compilers', never needed to boot. */
const EDITOR_CODE = /codemirror|assemblyscript|binaryen|wabt|editor-pane[.-]|compile-worker/;

async function openEditor(page: Page): Promise<void> {
  await page.locator('.side-tab[data-panel="editor"]').click();
  await expect(page.locator('.editor-pane .cm-editor')).toBeVisible(COMPILE);
}

async function chooseTemplate(page: Page, id: string): Promise<void> {
  await page.getByLabel('new from template').selectOption(id);
  await expect(page.getByLabel('program name')).toHaveValue(new RegExp(`^${id}`));
}

/** Clicks Run; resolves with the PID of the program it started (the new active tab's). */
async function run(page: Page): Promise<number> {
  const before = await page.evaluate(() => window.zos.terminals().length);
  await page.getByRole('button', { name: 'Run ▶' }).click();
  await expect(page.getByTestId('editor-status')).toContainText('running as pid', COMPILE);
  await expect.poll(() => page.evaluate(() => window.zos.terminals().length)).toBe(before + 1);
  return (await page.evaluate(() => window.zos.terminals().find((t) => t.active)!.pid))!;
}

test('booting does not load the editor; opening it does', async ({ page }) => {
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await openDesktop(page);
  await page.waitForTimeout(500); // anything boot would still fetch
  expect(requests.filter((u) => EDITOR_CODE.test(u))).toEqual([]);

  await openEditor(page);
  await expect.poll(() => requests.filter((u) => /codemirror/.test(u)).length).toBeGreaterThan(0);
  await expect.poll(() => requests.filter((u) => /compile-worker/.test(u)).length, COMPILE).toBeGreaterThan(0);
});

test('the echo service and its client, written from the templates, compiled and run', async ({ page }) => {
  await openDesktop(page);
  await openEditor(page);

  await chooseTemplate(page, 'echo-service');
  const service = await run(page);
  await waitForConsole(page, service, 'registered as "echo" with init; waiting for calls', COMPILE.timeout);

  // The client, with its message rewritten by typing.
  await chooseTemplate(page, 'echo-client');
  const word = page.locator('.cm-line').filter({ hasText: 'const text =' }).getByText('"hello from pid "');
  await word.dblclick({ position: { x: 12, y: 6 } }); // on "hello": selects the word
  await page.keyboard.type('greetings');
  await expect(page.locator('.cm-line').filter({ hasText: 'const text =' })).toContainText('"greetings from pid "');

  const client = await run(page);
  const clientTab = await page.evaluate(() => window.zos.terminals().find((t) => t.active)!.id);
  const out = await waitForConsole(page, client, 'echo answered', COMPILE.timeout);
  expect(out).toMatch(/init granted slot \d+: endpoint \d+ \(-w-\)/);
  await waitForScreen(page, `echo-client: echo answered "greetings from pid ${client}"`, clientTab);
  expect(await page.evaluate((p) => window.zos.waitForExit(p), client)).toMatchObject({ exitCode: 0 });
  await waitForConsole(page, service, `pid ${client} called with "greetings from pid ${client}"`);

  // Both are spawnable by name for the rest of the session.
  await page.evaluate(() => window.zos.showPanel('processes'));
  const menu = page.locator('select[aria-label="program to spawn"]');
  await expect(menu.locator('option[value="echo-service"]')).toHaveCount(1);
  await expect(menu.locator('option[value="echo-client"]')).toHaveCount(1);
});

test('a compile error is shown at its line, and nothing is started', async ({ page }) => {
  await openDesktop(page);
  await openEditor(page);
  await chooseTemplate(page, 'hello');
  // Line 11 is `  exit(0);`: a bad line goes before it, as line 11.
  await page.locator('.cm-line').filter({ hasText: 'exit(0);' }).click();
  await page.keyboard.press('Home');
  await page.keyboard.type('let wrong: i32 = "text";\n');
  const terminals = await page.evaluate(() => window.zos.terminals().length);
  // A pause in typing compiles in the background: the error shows before any Run.
  const status = page.getByTestId('editor-status');
  const badLine = page.locator('.cm-line').filter({ hasText: 'let wrong' });
  await expect(badLine.locator('.cm-lintRange-error')).toHaveText('"text"', COMPILE);
  await expect(status).toContainText('1 error, the first at line 11 (checked as you type)');

  await page.getByRole('button', { name: 'Run ▶' }).click();
  await expect(status).toContainText('1 error, the first at line 11: nothing was started', COMPILE);
  await expect(badLine.locator('.cm-lintRange-error')).toHaveText('"text"');
  // The gutter marker sits on that line.
  const marker = page.locator('.cm-gutter-lint .cm-gutterElement:has(.cm-lint-marker-error)');
  await expect(marker).toHaveCount(1);
  const [markerBox, lineBox] = [await marker.boundingBox(), await badLine.boundingBox()];
  expect(Math.abs(markerBox!.y - lineBox!.y)).toBeLessThan(3);
  await expect(page.getByTestId('editor-problems').locator('li.error')).toContainText("line 11:20 error: Type '~lib/string/String' is not assignable to type 'i32'");
  const state = await page.evaluate(() => window.zos.editor.state());
  expect(state.diagnostics).toEqual([expect.objectContaining({ line: 11, column: 20, severity: 'error' })]);
  expect(await page.evaluate(() => window.zos.terminals().length)).toBe(terminals);
});

test('a WAT program runs too', async ({ page }) => {
  await openDesktop(page);
  await openEditor(page);
  await chooseTemplate(page, 'hello-wat');
  const pid = await run(page);
  await waitForConsole(page, pid, 'Hello from WAT!\n');
});

test('a shared link opens the editor with the same source', async ({ page, browser }) => {
  await openDesktop(page);
  await page.evaluate(() => window.zos.openInEditor({ source: '// shared with care\nexport function _start(): void {}\n', name: 'shared-one' }));
  await expect(page.getByLabel('program name')).toHaveValue('shared-one');
  await page.locator('.cm-line').first().click();
  await page.keyboard.press('End');
  await page.keyboard.type(' — ünïcode ✓');
  const source = (await page.evaluate(() => window.zos.editor.state())).source;
  expect(source).toContain('// shared with care — ünïcode ✓');

  await page.getByRole('button', { name: 'Share' }).click();
  const link = await page.getByLabel('share link').inputValue();
  expect(link).toMatch(/#program=[A-Za-z0-9_-]+$/);

  // Another browser profile: nothing saved there, the link is all it has.
  const other = await browser.newContext();
  const fresh = await other.newPage();
  await fresh.goto(link);
  await fresh.waitForFunction(() => window.zos !== undefined);
  await fresh.evaluate(() => window.zos.ready);
  await expect(fresh.locator('.editor-pane .cm-editor')).toBeVisible(COMPILE);
  await expect(fresh.getByLabel('program name')).toHaveValue('shared-one');
  await expect(fresh.locator('.cm-content')).toContainText('// shared with care — ünïcode ✓');
  expect((await fresh.evaluate(() => window.zos.editor.state())).source).toBe(source);

  // A damaged link says so, and loses nothing.
  await fresh.goto(`${link.split('#')[0]}#program=not-a-program`);
  await fresh.evaluate(() => window.zos.ready);
  await expect(fresh.getByTestId('editor-status')).toContainText('could not be read', COMPILE);
  await other.close();
});

test('programs are kept in IndexedDB across reloads; the labs open templates by name', async ({ page }) => {
  await openDesktop(page);
  await page.evaluate(() => window.zos.openInEditor('derive-pass'));
  await expect(page.getByLabel('program name')).toHaveValue('derive-pass');
  await page.locator('.cm-line').first().click();
  await page.keyboard.press('Home');
  await page.keyboard.type('// my exercise\n');
  await expect.poll(() => page.evaluate(() => window.zos.editor.state().then((s) => s.saved))).toBe(true);

  await page.reload();
  await page.evaluate(() => window.zos.ready);
  await openEditor(page);
  await expect(page.getByLabel('program name')).toHaveValue('derive-pass');
  await expect(page.locator('.cm-content')).toContainText('// my exercise');
  await expect(page.getByLabel('saved programs').locator('option[value="derive-pass"]')).toHaveCount(1);

  // Opening the template again starts a new program beside the saved one.
  await page.evaluate(() => window.zos.openInEditor('derive-pass'));
  await expect(page.getByLabel('program name')).toHaveValue('derive-pass-2');
  await expect(page.evaluate(() => window.zos.openInEditor('no-such-template'))).rejects.toThrow(/no template "no-such-template"/);
});
