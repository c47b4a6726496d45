// Shared steps for the desktop's browser tests.
import { expect, type Page } from 'playwright/test';

/** Opens the desktop (the dev server's, or the one at `url`) and waits for the boot and the first shell. */
export async function openDesktop(page: Page, url = '/'): Promise<number> {
  await page.goto(url);
  return waitForDesktop(page);
}

/** Waits for the page's boot and its first shell's prompt (after a goto or a reload). */
export async function waitForDesktop(page: Page): Promise<number> {
  await page.waitForFunction(() => window.zos !== undefined);
  await page.evaluate(() => window.zos.ready);
  const pid = await activeShell(page);
  await waitForConsole(page, pid, 'zos$ ');
  return pid;
}

/** The PID of the shell in the active terminal tab. */
export async function activeShell(page: Page): Promise<number> {
  const t = await page.evaluate(() => window.zos.terminals().find((x) => x.active));
  expect(t?.pid, 'an active terminal bound to a shell').toBeTruthy();
  return t!.pid!;
}

/** Focuses the active terminal's xterm, so page.keyboard types into it. */
export async function focusTerminal(page: Page): Promise<void> {
  await page.locator('.term-pane.active .xterm').click();
}

/** Types a line into the focused terminal and presses Enter. */
export async function typeLine(page: Page, text: string): Promise<void> {
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

/** Types a command into the shell `shell` (its terminal active) and waits for the shell's next prompt. */
export async function runCommand(page: Page, shell: number, line: string): Promise<void> {
  const before = await page.evaluate((p) => window.zos.consoleText(p).length, shell);
  await focusTerminal(page);
  await typeLine(page, line);
  await page.waitForFunction(([p, n]) => window.zos.consoleText(p as number).slice(n as number).includes('zos$ '), [shell, before]);
}

/** Waits until `pid`'s console output contains `text` (or matches it). */
export async function waitForConsole(page: Page, pid: number, text: string | RegExp, timeout = 10_000): Promise<string> {
  const source = typeof text === 'string' ? null : [text.source, text.flags];
  const handle = await page.waitForFunction(([p, s, re]) => {
    const out = window.zos.consoleText(p as number);
    const hit = re ? new RegExp((re as string[])[0]!, (re as string[])[1]).test(out) : out.includes(s as string);
    return hit ? out : false;
  }, [pid, typeof text === 'string' ? text : null, source] as const, { timeout });
  return (await handle.jsonValue()) as string;
}

/** Waits until a terminal's xterm buffer contains `text`. */
export async function waitForScreen(page: Page, text: string, terminalId?: number, timeout = 10_000): Promise<string> {
  const handle = await page.waitForFunction(([s, id]) => {
    const screen = window.zos.screenText(id ?? undefined);
    return screen.includes(s) ? screen : false;
  }, [text, terminalId ?? null] as const, { timeout });
  return (await handle.jsonValue()) as string;
}

/** Counts the occurrences of `needle` in `haystack`. */
export function count(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1;
}
