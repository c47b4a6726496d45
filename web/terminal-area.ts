// The left side of the desktop: terminals in tabs, each bound to its own
// `terminal` process; "+" opens another. Only the active one is visible;
// the others keep receiving output, and a tab that got output while hidden
// is marked until it is shown. The search button searches the active one.

import type { ProcessInfo } from '../kernel/view.ts';
import { h, replaceChildren } from './dom.ts';
import type { Session } from './session.ts';
import { TerminalWindow } from './terminal-window.ts';

export class TerminalArea {
  readonly element: HTMLElement;
  private readonly tabs: HTMLElement;
  private readonly tools = h('div', { class: 'term-tools' });
  private readonly panes: HTMLElement;
  private readonly empty: HTMLElement;
  private readonly windows: TerminalWindow[] = [];
  private active: TerminalWindow | null = null;
  private readonly unseen = new Set<TerminalWindow>(); // got output while hidden
  private nextId = 1;
  private session: Session | null = null;

  constructor() {
    this.tabs = h('div', { class: 'tabs term-tabs', role: 'tablist' });
    this.panes = h('div', { class: 'term-panes' });
    this.empty = h('div', { class: 'term-empty', hidden: true },
      h('p', {}, 'No terminals open.'),
      h('button', { class: 'btn primary', onclick: () => void this.openShell() }, 'Open a terminal'));
    this.panes.append(this.empty);
    this.element = h('section', { class: 'term-area', 'aria-label': 'Terminals' },
      h('div', { class: 'term-bar' }, this.tabs, this.tools), this.panes);
    this.renderTabs();
  }

  /** Puts a control at the right end of the tab bar. */
  addTool(control: HTMLElement): void {
    this.tools.append(control);
  }

  /** A window for the boot log, before there is a shell to bind it to. */
  createBootWindow(): TerminalWindow {
    return this.addWindow();
  }

  attach(session: Session): void {
    this.session = session;
    session.sup.onExit((info) => this.onExit(info));
    this.renderTabs();
  }

  /** Spawns a shell and shows it in `win` (a new tab when omitted). Returns its PID. */
  openShell(win?: TerminalWindow): number {
    const session = this.session;
    if (!session) throw new Error('the system has not booted yet');
    const pid = session.sup.spawn('terminal');
    const target = win ?? this.addWindow();
    target.bind(pid);
    session.router.addShell(pid, (text, from) => target.output(text, from));
    this.activate(target);
    return pid;
  }

  /**
   * Shows an already spawned program in a new tab with its console attached:
   * its output here, each typed line to its slot 1 as CONSOLE_INPUT. Output
   * of programs it starts through init comes here too. Returns the tab's id.
   */
  openProgram(pid: number, name: string): number {
    const session = this.session;
    if (!session) throw new Error('the system has not booted yet');
    const win = this.addWindow();
    win.bind(pid, name);
    session.router.addShell(pid, (text, from) => win.output(text, from));
    this.activate(win);
    return win.id;
  }

  list(): { id: number; pid: number | null; program: string; ended: boolean }[] {
    return this.windows.map((w) => ({ id: w.id, pid: w.pid, program: w.program, ended: w.ended !== null }));
  }

  get(id: number): TerminalWindow | undefined {
    return this.windows.find((w) => w.id === id);
  }

  get activeWindow(): TerminalWindow | null {
    return this.active;
  }

  activate(win: TerminalWindow): void {
    this.active = win;
    this.unseen.delete(win);
    for (const w of this.windows) w.element.classList.toggle('active', w === win);
    win.open();
    win.refit();
    this.renderTabs();
    requestAnimationFrame(() => win.focus());
  }

  close(win: TerminalWindow): void {
    const session = this.session;
    if (session && win.pid !== null) {
      if (!win.ended) session.sup.kill(win.pid, 'terminal closed');
      session.router.removeShell(win.pid);
    }
    const at = this.windows.indexOf(win);
    this.windows.splice(at, 1);
    this.unseen.delete(win);
    win.dispose();
    if (this.active === win) {
      const next = this.windows[Math.min(at, this.windows.length - 1)];
      this.active = null;
      if (next) this.activate(next);
    }
    this.renderTabs();
  }

  private addWindow(): TerminalWindow {
    const win = new TerminalWindow(this.nextId++, {
      send: (pid, text) => this.session?.sup.sendInput(pid, text) ?? -1,
      interrupt: (w) => this.interrupt(w),
      onStateChange: () => this.renderTabs(),
      onOutput: (w) => this.noteOutput(w),
    });
    this.windows.push(win);
    this.panes.append(win.element);
    if (!this.active) this.activate(win);
    return win;
  }

  /**
   * Ctrl+C: a shell gets "\x03" (it kills its foreground program); a program
   * in a tab of its own is killed, as an interrupt ends a program in a
   * terminal. Its process capability holders are told, like for any end.
   */
  private interrupt(win: TerminalWindow): void {
    if (win.pid === null || !this.session) return;
    if (win.program === 'terminal') {
      this.session.sup.sendInput(win.pid, '\x03');
      return;
    }
    win.notice(`\x1b[90m^C killing pid ${win.pid}\x1b[0m`);
    this.session.sup.kill(win.pid, 'interrupted with Ctrl+C in its terminal tab');
  }

  private noteOutput(win: TerminalWindow): void {
    if (win === this.active || this.unseen.has(win)) return;
    this.unseen.add(win);
    this.renderTabs();
  }

  private onExit(info: ProcessInfo): void {
    this.windows.find((w) => w.pid === info.pid && !w.ended)?.end(info);
  }

  private renderTabs(): void {
    const tabs = this.windows.map((w) => {
      const unseen = this.unseen.has(w);
      const tab = h('div', {
        class: `tab term-tab${w === this.active ? ' active' : ''}${w.ended ? ' ended' : ''}${unseen ? ' unseen' : ''}`,
        role: 'tab', 'aria-selected': w === this.active ? 'true' : 'false',
        'data-terminal-id': w.id, 'data-pid': w.pid ?? '', title: unseen ? `${w.title}: new output since you last looked` : w.title,
      },
      h('span', { class: 'dot' }),
      h('span', { class: 'label' }, w.title));
      tab.addEventListener('click', () => this.activate(w));
      if (w.pid !== null) {
        const what = w.program === 'terminal' ? 'the shell' : `pid ${w.pid}`;
        const close = h('button', { class: 'tab-close', title: `Close (kills ${what})`, 'aria-label': `close terminal ${w.id}` }, '×');
        close.addEventListener('click', (e) => {
          e.stopPropagation();
          this.close(w);
        });
        tab.append(close);
      }
      return tab;
    });
    const add = h('button', {
      class: 'tab-add', title: 'Open a new terminal', 'aria-label': 'new terminal',
      disabled: this.session === null,
    }, '+');
    add.addEventListener('click', () => {
      try {
        this.openShell();
      } catch (e) {
        this.active?.notice(`\x1b[31mcannot open a terminal: ${(e as Error).message}\x1b[0m`);
      }
    });
    const search = h('button', {
      class: 'tab-tool tab-search', type: 'button', title: 'Search the scrollback (Ctrl+Shift+F)',
      'aria-label': 'search the scrollback', disabled: this.active === null,
    });
    search.addEventListener('click', () => this.active?.openSearch());
    replaceChildren(this.tabs, ...tabs, add, h('span', { class: 'spacer' }), search);
    this.empty.hidden = this.windows.length > 0;
  }
}
