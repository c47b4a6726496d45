// "Show me": does a step the way a student would. A command is typed into
// the terminal of the shell the step names (visibly, a character at a time)
// and sent with Enter; a control is clicked or filled in its panel. Returns
// a sentence when the step cannot be done as written, else null.

import { revealVertically } from '../dom.ts';
import type { LabHost } from '../labs-entry.ts';
import type { PanelName } from '../side-panels.ts';
import type { TerminalWindow } from '../terminal-window.ts';
import type { ResolvedAction } from './lab-run.ts';

const TYPE_DELAY_MS = 12;
const CTRL_E = '\x05'; // end of the line
const CTRL_U = '\x15'; // delete to its start
const CTRL_C = '\x03';

export async function performAction(action: ResolvedAction, host: LabHost): Promise<string | null> {
  if (action.panel !== undefined) {
    const problem = showPanel(host, action.panel);
    if (problem) return problem;
  }
  if (action.type !== undefined || action.key !== undefined) {
    const win = terminalFor(host, action.in);
    if (typeof win === 'string') return win;
    host.terminals.activate(win);
    if (action.key === 'ctrl+c') win.term.input(CTRL_C, true);
    else await typeLine(win, action.type!);
    return null;
  }
  if (action.click !== undefined) {
    const el = await find(action.click);
    if (!el) return `nothing on the page matches ${action.click} (is the row there yet?)`;
    revealVertically(el);
    el.click();
    return null;
  }
  if (action.fill !== undefined) {
    const el = await find(action.fill);
    if (!(el instanceof HTMLInputElement || el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement)) {
      return `nothing to fill in matches ${action.fill}`;
    }
    revealVertically(el);
    el.focus({ preventScroll: true });
    el.value = action.value ?? '';
    el.dispatchEvent(new Event('input', { bubbles: true }));
    el.dispatchEvent(new Event('change', { bubbles: true }));
    if (action.submit) el.form?.requestSubmit();
    return null;
  }
  if (action['open-editor'] !== undefined) {
    const opened = host.openEditor(action['open-editor']);
    if (!opened) {
      return `this step opens the template “${action['open-editor']}” in the program editor, which this desktop ` +
        'does not have yet: read the step, and carry on with the next one';
    }
    try {
      await opened;
    } catch (e) {
      return `the editor could not open “${action['open-editor']}”: ${(e as Error).message}`;
    }
  }
  return null;
}

function showPanel(host: LabHost, name: string): string | null {
  if (!host.side.element.querySelector(`.panel[data-panel="${CSS.escape(name)}"]`)) return `there is no ${name} panel`;
  host.side.show(name as PanelName);
  return null;
}

/** The terminal of the shell with pid `pid` (the active terminal when none is named), or why there is none. */
function terminalFor(host: LabHost, pid: string | undefined): TerminalWindow | string {
  const list = host.terminals.list();
  const entry = pid === undefined ? list.find((t) => t.id === host.terminals.activeWindow?.id)
    : list.find((t) => String(t.pid) === pid);
  if (!entry) return pid === undefined ? 'no terminal is open: open one with +' : `no terminal runs the shell pid ${pid}`;
  if (entry.ended) return `the shell pid ${entry.pid} has ended: open a new terminal with +`;
  return host.terminals.get(entry.id)!;
}

async function typeLine(win: TerminalWindow, line: string): Promise<void> {
  win.term.input(CTRL_E + CTRL_U, true); // whatever was half typed goes, as a student would clear it
  for (const ch of line) {
    win.term.input(ch, true);
    await sleep(TYPE_DELAY_MS);
  }
  win.term.input('\r', true);
}

/** The first match, waiting a moment for a panel that was just shown to draw it; null for none (or a bad selector). */
async function find(selector: string): Promise<HTMLElement | null> {
  for (let i = 0; i < 10; i++) {
    let el: HTMLElement | null;
    try {
      el = document.querySelector<HTMLElement>(selector);
    } catch {
      return null;
    }
    if (el) return el;
    await sleep(50);
  }
  return null;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
