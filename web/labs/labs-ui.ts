// The labs: the list, one lab open (its explanation, goal, steps, hints and
// "show me"), and a strip over the side panels that keeps the current step
// in view while another panel is shown. The lab in progress is checked
// against the kernel at every refresh of the desktop, whichever panel is
// visible; progress is kept in IndexedDB (progress.ts).

import { onDeskEvent } from '../desk-events.ts';
import { h, replaceChildren } from '../dom.ts';
import type { LabHost } from '../labs-entry.ts';
import { labIds, loadLab, type BrokenLab, type Lab } from './catalog.ts';
import { describeChanges } from './changes.ts';
import { LabRun, type ResolvedAction, type StepView } from './lab-run.ts';
import { inlineHtml, markdownElement } from './markdown.ts';
import { ProgressStore } from './progress.ts';
import { performAction } from './show-me.ts';
import { Spotlight } from './spotlight.ts';
import './labs.css';

/** How long "show me" waits for a step's effects before saying what changed. */
const SETTLE_MS = 3000;
const QUIET_MS = 400;

export class LabsUi {
  private readonly labs = new Map<string, Lab | BrokenLab>();
  private readonly spotlight = new Spotlight();
  private readonly strip = h('div', { class: 'lab-strip', hidden: true, 'data-testid': 'lab-strip', role: 'region', 'aria-label': 'Lab in progress' });
  private readonly body = h('div', { class: 'labs-body' });
  private run: LabRun | null = null;
  private view: 'list' | 'lab' = 'list';
  private shownSignature = '';
  private pointerDown = false;
  private busy = false; // a "show me" is under way
  private changes: { lines: string[]; problem: string | null } | null = null;
  private hintsShown = 0;
  private stopEvents: () => void;

  private constructor(private readonly host: LabHost, private readonly element: HTMLElement,
    private readonly store: ProgressStore) {
    element.replaceChildren(this.body);
    element.dataset.busy = 'false';
    const sideBody = host.side.element.querySelector('.side-body');
    host.side.element.insertBefore(this.strip, sideBody);
    element.addEventListener('pointerdown', () => { this.pointerDown = true; });
    this.strip.addEventListener('pointerdown', () => { this.pointerDown = true; });
    addEventListener('pointerup', () => { this.pointerDown = false; });
    this.stopEvents = onDeskEvent((e) => this.run?.note(e));
  }

  static async create(host: LabHost, element: HTMLElement, store?: ProgressStore): Promise<LabsUi> {
    const progress = store ?? await ProgressStore.open();
    const ui = new LabsUi(host, element, progress);
    await ui.loadAll();
    const current = progress.currentLab;
    if (current !== null && ui.labs.get(current) && 'doc' in ui.labs.get(current)!) ui.open(current, false);
    else ui.render();
    return ui;
  }

  /** The lab in progress, for tests and the page API. */
  get current(): LabRun | null {
    return this.run;
  }

  update(): void {
    this.render();
  }

  tick(): void {
    const run = this.run;
    let changed = run?.refresh() ?? false;
    // The goal may have been met while "show me" refreshed the run itself: record it whenever it is seen.
    if (run?.goalMet && this.store.get(run.lab.doc.id)?.state !== 'done') {
      void this.store.finish(run.lab.doc.id);
      changed = true;
    }
    if (changed || this.stripWanted() !== !this.strip.hidden) this.render();
    this.spotlight.refresh();
  }

  dispose(): void {
    this.stopEvents();
    this.strip.remove();
  }

  // -------------------------------------------------------------------------
  // Acts

  /** Opens a lab and starts an attempt (a new one when `restart`). */
  open(id: string, restart = true): void {
    const lab = this.labs.get(id);
    if (!lab || !('doc' in lab)) return;
    if (restart || this.run?.lab.doc.id !== id) {
      this.run = new LabRun(lab, this.host.session.view, () => this.shells(), () => this.activeShell());
      this.changes = null;
      this.hintsShown = 0;
      this.spotlight.clear();
      void this.store.start(id);
    }
    this.view = 'lab';
    this.shownSignature = '';
    this.render();
    this.element.scrollTop = 0;
  }

  private showList(): void {
    this.view = 'list';
    this.shownSignature = '';
    this.render();
  }

  private leave(): void {
    this.run = null;
    this.changes = null;
    this.spotlight.clear();
    void this.store.leave();
    this.showList();
  }

  /** Does the next step as the student would, then says what changed and points at it. */
  async showMe(): Promise<void> {
    const run = this.run;
    const index = run?.next ?? null;
    if (!run || index === null || this.busy) return;
    const step = run.steps[index]!;
    if (!step.action) return;
    this.setBusy(true);
    this.spotlight.clear();
    const view = this.host.session.view;
    const before = view.commitCount();
    this.changes = { lines: [], problem: null };
    this.shownSignature = '';
    this.render();
    try {
      const problem = await performAction(step.action, this.host);
      if (problem) {
        this.changes = { lines: [], problem };
        return;
      }
      if (!step.checked) run.markSeen(index);
      await settle(() => { run.refresh(); return run.steps[index]!.done; }, () => view.commitCount());
      const owners = new Map(view.endpoints().map((e) => [e.id, e.owner]));
      const changed = describeChanges(view.commits(Math.max(before, view.firstCommit()), view.commitCount()), (id) => owners.get(id));
      this.changes = { lines: changed.lines, problem: null };
      this.spotlight.point([...changed.selectors, ...(step.action.point ? [step.action.point] : [])]);
    } finally {
      this.setBusy(false);
      this.shownSignature = '';
      this.render();
    }
  }

  /** While a "show me" is under way its buttons are disabled; `data-busy` on the panel says so to tests too. */
  private setBusy(busy: boolean): void {
    this.busy = busy;
    this.element.dataset.busy = String(busy);
  }

  // -------------------------------------------------------------------------
  // Drawing

  private render(): void {
    if (this.pointerDown) return;
    this.renderStrip();
    if (this.element.hidden) return;
    const signature = this.signature();
    if (signature === this.shownSignature) return;
    this.shownSignature = signature;
    if (this.view === 'lab' && this.run) this.renderLab(this.run);
    else this.renderList();
  }

  private signature(): string {
    const run = this.run;
    return JSON.stringify([this.view, run?.lab.doc.id, run?.steps, run?.goalMet, run?.problems, this.changes, this.hintsShown,
      this.busy, this.store.problem, [...this.labs.keys()].map((id) => this.store.get(id)?.state)]);
  }

  private renderList(): void {
    const ids = [...this.labs.keys()];
    const done = ids.filter((id) => this.store.get(id)?.state === 'done').length;
    const items = ids.map((id) => {
      const lab = this.labs.get(id)!;
      const state = this.store.get(id)?.state;
      if (!('doc' in lab)) return h('li', { class: 'lab-item broken', 'data-lab': id }, h('span', { class: 'bad' }, lab.problem));
      const current = this.run?.lab.doc.id === id;
      const open = h('button', { class: 'lab-open', type: 'button', 'data-testid': `lab-open-${id}` },
        h('span', { class: 'lab-num' }, String(lab.doc.number).padStart(2, '0')), ' ', lab.doc.title);
      open.addEventListener('click', () => this.open(id, !current));
      return h('li', { class: `lab-item${state === 'done' ? ' done' : ''}${current ? ' current' : ''}`, 'data-lab': id },
        open,
        h('span', { class: 'lab-state' }, state === 'done' ? '✓ done' : current ? 'in progress' : ''),
        h('div', { class: 'lab-summary dim' }, lab.doc.summary));
    });
    const reset = h('button', { class: 'btn small', type: 'button', title: 'forget which labs are done' }, 'Reset progress');
    reset.addEventListener('click', () => void this.store.reset().then(() => { this.run = null; this.shownSignature = ''; this.render(); }));
    replaceChildren(this.body,
      h('div', { class: 'labs-head' }, h('h3', {}, 'Labs'), h('span', { class: 'dim', 'data-testid': 'labs-done' }, `${done} of ${ids.length} done`),
        h('div', { class: 'spacer' }), reset),
      h('p', { class: 'hint' }, 'Each lab is done in the real shell and panels; its goal is checked against the kernel’s state as you go.'),
      this.storeNotes(),
      h('ol', { class: 'lab-list' }, ...items));
  }

  private storeNotes(): HTMLElement | null {
    const notes = [this.store.problem, ...this.store.corrupt].filter((x): x is string => !!x);
    return notes.length ? h('p', { class: 'form-result bad', 'data-testid': 'labs-store-problem' }, notes.join('; ')) : null;
  }

  private renderLab(run: LabRun): void {
    const { doc } = run.lab;
    const ids = [...this.labs.keys()];
    const at = ids.indexOf(doc.id);
    const back = h('button', { class: 'btn small', type: 'button', 'data-testid': 'labs-back' }, '← All labs');
    back.addEventListener('click', () => this.showList());
    const restart = h('button', { class: 'btn small', type: 'button', title: 'start this lab again from now' }, 'Restart');
    restart.addEventListener('click', () => this.open(doc.id, true));
    const quit = h('button', { class: 'btn small', type: 'button', title: 'stop following this lab' }, 'Leave');
    quit.addEventListener('click', () => this.leave());
    const next = run.next;
    const steps = run.steps.map((s, i) => this.stepItem(s, i, i === next));
    const nextLab = ids[at + 1];
    const goNext = nextLab ? h('button', { class: 'btn primary', type: 'button', 'data-testid': 'lab-next' }, 'Next lab →') : null;
    goNext?.addEventListener('click', () => this.open(nextLab!, true));
    replaceChildren(this.body,
      h('div', { class: 'lab-nav' }, back, h('span', { class: 'dim' }, `Lab ${at + 1} of ${ids.length}`), h('div', { class: 'spacer' }), restart, quit),
      h('h3', { class: 'lab-title', 'data-testid': 'lab-title' }, doc.title),
      this.storeNotes(),
      markdownElement('div', doc.body, false, 'lab-explain'),
      h('div', { class: `lab-goal ${run.goalMet ? 'met' : 'unmet'}`, 'data-testid': 'lab-goal', 'data-met': String(run.goalMet) },
        h('strong', {}, 'Goal '), markdownElement('span', doc.goal, true),
        h('span', { class: 'goal-state' }, run.goalMet ? '✓ met' : 'not yet')),
      h('ol', { class: 'lab-steps', 'data-testid': 'lab-steps' }, ...steps),
      this.changesBox(),
      run.problems.length ? h('p', { class: 'form-result bad' }, run.problems.join('; ')) : null,
      run.goalMet ? h('div', { class: 'lab-complete', 'data-testid': 'lab-complete' },
        h('strong', {}, '✓ Lab complete.'), nextLab ? ' On to the next one: ' : ' That was the last lab.', goNext) : null,
      this.hints(doc.hints));
  }

  private stepItem(step: StepView, index: number, isNext: boolean): HTMLElement {
    const a = step.action;
    const li = h('li', {
      class: `lab-step${step.done ? ' done' : ''}${isNext ? ' next' : ''}`, 'data-testid': `lab-step-${index}`,
      'data-done': String(step.done), 'data-ready': String(a !== null), 'data-checked': String(step.checked),
    }, h('span', { class: 'step-mark', 'aria-hidden': 'true' }, step.done ? '✓' : isNext ? '›' : '·'));
    // What the step asks for, for a student to read and for tests to do by hand.
    if (a) for (const [key, value] of Object.entries(a)) if (value !== undefined) li.dataset[`do${key.replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase())}`] = String(value);
    const text = h('div', { class: 'step-text' });
    text.innerHTML = inlineHtml(step.text);
    li.append(text);
    const chip = this.host.terminals.list().length > 1 ? actionChip(a) : null;
    if (chip) text.append(' ', chip);
    if (isNext && a) {
      const show = h('button', { class: 'btn small show-me', type: 'button', 'data-testid': 'show-me', disabled: this.busy, title: 'do this step for me and point at what changed' }, 'Show me');
      show.addEventListener('click', () => void this.showMe());
      li.append(show);
    } else if (isNext) li.append(h('span', { class: 'hint' }, 'do the step before first'));
    return li;
  }

  private changesBox(): HTMLElement | null {
    const c = this.changes;
    if (!c) return null;
    const box = h('div', { class: 'lab-changes', 'data-testid': 'lab-changes', role: 'status' });
    if (c.problem) box.append(h('p', { class: 'bad' }, c.problem));
    else if (this.busy) box.append(h('p', { class: 'dim' }, 'doing it…'));
    else if (c.lines.length) box.append(h('strong', {}, 'What changed'), h('ul', {}, ...c.lines.map((l) => h('li', {}, l))));
    else box.append(h('p', { class: 'dim' }, 'No commit: nothing the CommitLog records changed (reading, and taking a message from a queue, leave none).'));
    return box;
  }

  private hints(hints: string[]): HTMLElement | null {
    if (hints.length === 0) return null;
    const more = this.hintsShown < hints.length
      ? h('button', { class: 'btn small', type: 'button', 'data-testid': 'lab-hint' }, this.hintsShown === 0 ? 'A hint' : 'Another hint')
      : null;
    more?.addEventListener('click', () => { this.hintsShown++; this.render(); });
    return h('div', { class: 'lab-hints' },
      h('ol', {}, ...hints.slice(0, this.hintsShown).map((t) => markdownElement('li', t, true))),
      more);
  }

  private stripWanted(): boolean {
    return this.run !== null && this.host.side.activeName !== 'labs';
  }

  private renderStrip(): void {
    const run = this.run;
    this.strip.hidden = !this.stripWanted();
    if (!run || this.strip.hidden) return;
    const next = run.next;
    const step = next === null ? null : run.steps[next]!;
    const signature = JSON.stringify([run.lab.doc.id, next, step, run.goalMet, this.busy, this.changes]);
    if (this.strip.dataset.signature === signature) return;
    this.strip.dataset.signature = signature;
    const open = h('button', { class: 'btn small', type: 'button', 'data-testid': 'lab-strip-open' }, 'Open lab');
    open.addEventListener('click', () => this.host.side.show('labs'));
    const show = step?.action ? h('button', { class: 'btn small show-me', type: 'button', 'data-testid': 'lab-strip-show-me', disabled: this.busy }, 'Show me') : null;
    show?.addEventListener('click', () => void this.showMe());
    const text = h('span', { class: 'strip-step' });
    if (run.goalMet) text.textContent = '✓ lab complete';
    else if (step) text.innerHTML = `step ${next! + 1} of ${run.steps.length}: ${inlineHtml(step.text)}`;
    const change = this.changes?.problem ?? this.changes?.lines[0];
    replaceChildren(this.strip,
      h('div', { class: 'strip-row' }, h('strong', {}, `Lab ${run.lab.doc.number}`), ' ', text, h('div', { class: 'spacer' }), show, open),
      change ? h('div', { class: 'strip-change dim' }, change) : null);
  }

  // -------------------------------------------------------------------------

  private async loadAll(): Promise<void> {
    const ids = labIds();
    const loaded = await Promise.all(ids.map((id) => loadLab(id)));
    ids.forEach((id, i) => this.labs.set(id, loaded[i]!));
  }

  private shells(): number[] {
    const view = this.host.session.view;
    return this.host.terminals.list().flatMap((t) => (t.pid !== null && !t.ended && view.process(t.pid)?.status === 'alive' ? [t.pid] : []));
  }

  private activeShell(): number | null {
    const win = this.host.terminals.activeWindow;
    return win && !win.ended ? win.pid : null;
  }
}

/** Which terminal a step types into, when it names one. */
function actionChip(a: ResolvedAction | null): HTMLElement | null {
  if (!a || a.in === undefined) return null;
  return h('span', { class: 'step-do', title: 'the tab of the terminal to type this in' }, `→ terminal · pid ${a.in}`);
}

/** Waits until `done()` or until the commits stop coming for a moment, at most SETTLE_MS. */
async function settle(done: () => boolean, commits: () => number): Promise<void> {
  const end = performance.now() + SETTLE_MS;
  let last = commits();
  let quietSince = performance.now();
  while (performance.now() < end) {
    await new Promise((r) => setTimeout(r, 100));
    const now = commits();
    if (now !== last) {
      last = now;
      quietSince = performance.now();
    }
    if (done() && performance.now() - quietSince >= QUIET_MS) return;
  }
}
