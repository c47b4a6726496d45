// The process panel: every process with its state, memory, syscall count
// and how it ended; a kill button per live process; a spawn control; and
// the selected process's console output with a line of input for it.
// Rows are keyed by PID and updated in place (text only when it changed),
// so a refresh never throws away a button under the pointer. The table
// shows the state source's processes: live, or as they were at the commit
// the timeline is on (then spawn, kill and input are off).

import stripAnsi from 'strip-ansi';
import * as A from '../kernel/abi.ts';
import type { ProcessInfo } from '../kernel/view.ts';
import { askFirst } from './confirm-dialog.ts';
import { formatBytes, h, setText } from './dom.ts';
import type { Panel } from './panel.ts';
import { PastNote } from './past-note.ts';
import type { Session } from './session.ts';
import { killImpact } from './system-impact.ts';
import type { StateSource } from './state-source.ts';

interface Row {
  tr: HTMLTableRowElement;
  cells: HTMLTableCellElement[];
  kill: HTMLButtonElement;
}

// Services run once; a shell belongs in a terminal tab (the + button).
const NOT_FROM_PANEL = new Set(['init', 'permission', 'terminal']);

/** `live` false: a replayed state, which knows no waits (they are not in the CommitLog). */
export function stateText(p: ProcessInfo, live = true): string {
  if (p.status === 'exited') return 'exited';
  if (p.status === 'faulted') return 'faulted';
  if (p.pid === A.PID_SUPERVISOR) return 'kernel';
  if (!live) return 'alive';
  return p.state === A.STATE_WAITING ? 'waiting' : 'running';
}

export function endText(p: ProcessInfo): string {
  if (p.status === 'exited') return `code ${p.exitCode}`;
  if (p.status === 'faulted') return `${p.fault?.reason ?? '?'}: ${p.fault?.description ?? ''}`;
  return '';
}

export class ProcessPanel implements Panel {
  readonly element: HTMLElement;
  private readonly tbody = h('tbody');
  private readonly rows = new Map<number, Row>();
  private readonly showEnded = h('input', { type: 'checkbox', checked: true, 'aria-label': 'show ended processes' });
  private readonly appSelect: HTMLSelectElement;
  private readonly message = h('span', { class: 'form-result', role: 'status' });
  private readonly outputTitle = h('div', { class: 'subhead' }, 'Select a process to see its output');
  private readonly output = h('pre', { class: 'console-view', 'data-testid': 'process-output' });
  private readonly inputBox = h('input', { type: 'text', placeholder: 'a line of console input', disabled: true, 'aria-label': 'console input' });
  private readonly spawnButton = h('button', { class: 'btn', type: 'submit' }, 'Spawn');
  private readonly sendButton = h('button', { class: 'btn', type: 'submit' }, 'Send');
  private readonly pastNote: PastNote;
  private selected: number | null = null;
  private shownWritten = -1;
  private listedApps = '';

  constructor(private readonly session: Session, private readonly source: StateSource, private readonly changed: () => void) {
    this.pastNote = new PastNote(source);
    this.appSelect = h('select', { 'aria-label': 'program to spawn' });
    this.listApps();
    const spawnForm = h('form', { class: 'toolbar' },
      h('label', {}, 'Spawn ', this.appSelect),
      this.spawnButton,
      this.message,
      h('div', { class: 'spacer' }),
      h('label', { class: 'check' }, this.showEnded, ' show ended'));
    spawnForm.addEventListener('submit', (e) => {
      e.preventDefault();
      if (this.source.live) this.spawn(this.appSelect.value);
    });
    this.showEnded.addEventListener('change', () => this.update());
    const table = h('table', { class: 'grid procs', 'data-testid': 'process-table' },
      h('thead', {}, h('tr', {}, ...['PID', 'Name', 'Parent', 'State', 'Memory', 'Syscalls', 'Exit / fault'].map((t) => h('th', {}, t)),
        h('th', { class: 'act' }))),
      this.tbody);
    this.tbody.addEventListener('click', (e) => {
      const target = e.target as HTMLElement;
      const tr = target.closest('tr');
      if (!tr) return;
      const pid = Number(tr.dataset.pid);
      if (target.closest('button.kill')) void this.kill(pid);
      else this.select(pid);
    });
    const inputForm = h('form', { class: 'toolbar' }, this.inputBox, this.sendButton);
    inputForm.addEventListener('submit', (e) => {
      e.preventDefault();
      if (this.selected === null || !this.source.live) return;
      const status = this.session.sup.sendInput(this.selected, `${this.inputBox.value}\n`);
      this.inputBox.value = '';
      this.flash(status === A.E_OK ? `sent to pid ${this.selected}` : `input refused: status ${status}`);
    });
    this.element = h('div', { class: 'panel process-panel' },
      this.pastNote.element,
      spawnForm,
      h('div', { class: 'table-wrap' }, table),
      h('section', { class: 'output-section' }, this.outputTitle, this.output, inputForm));
  }

  update(): void {
    this.listApps();
    const shown = this.source.current;
    const live = shown.live;
    const procs = shown.processes().sort((a, b) => a.pid - b.pid);
    const showEnded = this.showEnded.checked;
    this.pastNote.update();
    this.spawnButton.disabled = !live;
    this.sendButton.disabled = !live;
    this.inputBox.disabled = !live || this.selected === null;
    // Rows of processes that do not exist yet at the commit shown stay hidden.
    const present = new Set(procs.map((p) => p.pid));
    for (const [pid, row] of this.rows) if (!present.has(pid)) row.tr.hidden = true;
    for (const p of procs) {
      let row = this.rows.get(p.pid);
      if (!row) row = this.addRow(p.pid);
      const alive = p.status === 'alive';
      row.tr.hidden = !alive && !showEnded;
      row.tr.className = `${p.status}${p.pid === this.selected ? ' selected' : ''}`;
      // A replayed state has no counters (they are not in the CommitLog).
      const cells = [String(p.pid), p.name, p.pid === 0 ? '' : String(p.parent), stateText(p, live),
        p.memoryBytes ? formatBytes(p.memoryBytes) : '', live ? p.syscalls.toLocaleString('en-US') : '', endText(p)];
      cells.forEach((text, i) => setText(row.cells[i]!, text));
      row.cells[6]!.title = endText(p);
      row.kill.disabled = !live || !alive || p.pid === A.PID_SUPERVISOR;
      row.kill.classList.toggle('hidden-kill', p.pid === A.PID_SUPERVISOR);
    }
    this.updateOutput();
  }

  select(pid: number): void {
    this.selected = pid;
    this.shownWritten = -1;
    const p = this.source.current.process(pid);
    setText(this.outputTitle, p ? `Output of pid ${pid} (${p.name})` : `Output of pid ${pid}`);
    this.update();
  }

  /** The spawn menu: the built-in programs, then those opened in this session (a dropped binary, the editor's). */
  private listApps(): void {
    const names = this.session.apps.names().filter((n) => !NOT_FROM_PANEL.has(n));
    const key = names.join('\n');
    if (key === this.listedApps) return;
    this.listedApps = key;
    const chosen = this.appSelect.value;
    this.appSelect.replaceChildren(...names.map((n) => h('option', { value: n }, n)));
    if (names.includes(chosen)) this.appSelect.value = chosen;
  }

  private addRow(pid: number): Row {
    const cells = Array.from({ length: 7 }, (_, i) => h('td', { class: i === 6 ? 'end' : i >= 4 && i <= 5 ? 'num' : '' }));
    const kill = h('button', { class: 'btn danger small kill', 'data-testid': `kill-${pid}`, title: `kill pid ${pid}` }, 'kill');
    const tr = h('tr', { 'data-pid': pid, 'data-testid': `proc-row-${pid}` }, ...cells, h('td', { class: 'act' }, kill));
    this.tbody.append(tr);
    const row = { tr, cells, kill };
    this.rows.set(pid, row);
    return row;
  }

  private updateOutput(): void {
    if (this.selected === null) return;
    const written = this.session.consoles.written(this.selected);
    if (written === this.shownWritten) return;
    this.shownWritten = written;
    const follow = this.output.scrollTop + this.output.clientHeight >= this.output.scrollHeight - 4;
    // Terminal control sequences (clear screen, colours, titles, links) mean nothing here.
    const text = stripAnsi(this.session.consoles.tail(this.selected, 16 * 1024));
    setText(this.output, text || '(no output yet)');
    if (follow) this.output.scrollTop = this.output.scrollHeight;
  }

  private spawn(name: string): void {
    try {
      const pid = this.session.sup.spawn(name);
      this.flash(`spawned ${name} as pid ${pid}`);
      this.select(pid);
    } catch (e) {
      this.flash((e as Error).message, true);
    }
    this.changed();
  }

  /** Kills a process; init and the permission service only after saying what breaks. */
  private async kill(pid: number): Promise<void> {
    if (!this.source.live) return;
    const impact = killImpact(this.session.view, pid);
    if (impact && !(await askFirst(impact))) {
      this.flash(`pid ${pid} was not killed`);
      return;
    }
    const ok = this.session.sup.kill(pid, 'killed from the process panel');
    this.flash(ok ? `killed pid ${pid}` : `pid ${pid} is not running`, !ok);
    this.changed();
  }

  private flash(text: string, bad = false): void {
    setText(this.message, text);
    this.message.classList.toggle('bad', bad);
  }
}
