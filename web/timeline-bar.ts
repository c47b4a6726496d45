// The timeline: a strip above the side panels that moves every view to any
// commit of this boot's CommitLog (or of a saved boot's): a slider and the
// commit's number, one step back or forward with the buttons or the keyboard
// (← →, Shift for 10, PgUp PgDn for 100, Home End, Esc for live), the commit
// in words with the SysLog request that caused it, the state hash there, the
// commits around it, and a diff between two commits.

import './timeline-bar.css';
import { permsString } from '../kernel/names.ts';
import { causeText, commitText } from './commit-text.ts';
import { h, parseUint, replaceChildren, setText, shortHash } from './dom.ts';
import type { StateSource } from './state-source.ts';
import type { StateDiff, Timeline } from './timeline.ts';

/** Commits listed on each side of the one shown. */
const AROUND = 6;

const isTyping = (el: EventTarget | null): boolean =>
  el instanceof HTMLElement && (el.isContentEditable || el.tagName === 'TEXTAREA'
    || (el.tagName === 'INPUT' && (el as HTMLInputElement).type !== 'range' && (el as HTMLInputElement).type !== 'checkbox')
    || el.tagName === 'SELECT');

export class TimelineBar {
  readonly element: HTMLElement;
  /** The button that opens and closes the strip (placed in the side panels' tab bar). */
  readonly toggle = h('button', { class: 'tab-tool timeline-toggle', type: 'button', title: 'time travel: show the system at any commit', 'data-testid': 'timeline-toggle', 'aria-pressed': 'false' }, '⏱');
  private readonly slider = h('input', { type: 'range', min: 0, max: 0, step: 1, value: 0, 'aria-label': 'commit', 'data-testid': 'timeline-slider' });
  private readonly seqInput = h('input', { type: 'text', inputmode: 'numeric', size: 7, 'aria-label': 'go to commit', 'data-testid': 'timeline-seq' });
  private readonly total = h('span', { class: 'dim timeline-total' });
  private readonly liveButton = h('button', { class: 'btn small primary', type: 'button', 'data-testid': 'timeline-live', title: 'back to the live system (Esc)' }, 'Live');
  private readonly what = h('div', { class: 'timeline-what', 'data-testid': 'timeline-commit' });
  private readonly cause = h('div', { class: 'timeline-cause dim', 'data-testid': 'timeline-cause' });
  private readonly hash = h('code', { class: 'timeline-hash', 'data-testid': 'timeline-hash' });
  private readonly note = h('span', { class: 'timeline-note', 'data-testid': 'timeline-note' });
  private readonly around = h('ol', { class: 'timeline-around', 'data-testid': 'timeline-around' });
  private readonly diffFrom = h('input', { type: 'text', inputmode: 'numeric', size: 7, 'aria-label': 'diff from commit', 'data-testid': 'diff-from' });
  private readonly diffTo = h('input', { type: 'text', inputmode: 'numeric', size: 7, 'aria-label': 'diff to commit', 'data-testid': 'diff-to' });
  private readonly diffOut = h('div', { class: 'timeline-diff', 'data-testid': 'diff-result' });
  private readonly commitsBox: HTMLDetailsElement;
  private readonly diffBox: HTMLDetailsElement;
  private open = false;
  private shownKey = '';

  constructor(private readonly source: StateSource) {
    const step = (label: string, title: string, delta: number, testid: string): HTMLButtonElement => {
      const b = h('button', { class: 'btn small step', type: 'button', title, 'data-testid': testid }, label);
      b.addEventListener('click', () => this.step(delta));
      return b;
    };
    const compare = h('button', { class: 'btn small', type: 'button', 'data-testid': 'diff-run' }, 'Compare');
    compare.addEventListener('click', () => this.runDiff());
    this.commitsBox = h('details', { class: 'timeline-more' }, h('summary', {}, 'Commits around'), this.around);
    this.diffBox = h('details', { class: 'timeline-more' }, h('summary', { 'data-testid': 'diff-open' }, 'Diff'),
      h('div', { class: 'toolbar' }, h('label', {}, 'from ', this.diffFrom), h('label', {}, 'to ', this.diffTo), compare), this.diffOut);
    this.diffBox.addEventListener('toggle', () => {
      if (!this.diffBox.open || this.diffTo.value) return;
      const seq = this.source.current.seq;
      this.diffTo.value = String(seq);
      this.diffFrom.value = String(Math.max(this.source.timeline().first, seq - 1));
    });
    const close = h('button', { class: 'tab-close', type: 'button', title: 'close the timeline (back to live)', 'aria-label': 'close the timeline' }, '×');
    close.addEventListener('click', () => this.setOpen(false));
    this.element = h('section', { class: 'timeline-bar', 'aria-label': 'Timeline', 'data-testid': 'timeline', hidden: true },
      h('div', { class: 'timeline-row' },
        step('⏮', 'the first commit (Home)', -Infinity, 'timeline-first'), step('◀', 'one commit back (←; Shift: 10)', -1, 'timeline-back'),
        this.slider,
        step('▶', 'one commit forward (→; Shift: 10)', 1, 'timeline-forward'), step('⏭', 'the newest commit (End)', Infinity, 'timeline-last'),
        this.seqInput, this.total, this.liveButton, close),
      this.what, this.cause,
      h('div', { class: 'timeline-row small' }, h('span', { class: 'dim' }, 'state '), this.hash, this.note),
      h('div', { class: 'timeline-row small' }, this.commitsBox, this.diffBox));
    this.toggle.addEventListener('click', () => this.setOpen(!this.open));
    this.liveButton.addEventListener('click', () => this.source.goLive());
    this.slider.addEventListener('input', () => this.source.goTo(Number(this.slider.value)));
    this.seqInput.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter') return;
      const seq = parseUint(this.seqInput.value);
      const t = this.source.timeline();
      if (seq === null || seq < t.first || seq > t.last) {
        setText(this.note, `There is no commit ${this.seqInput.value.trim() || '(empty)'}: this log has commits ${t.first} to ${t.last}.`);
        this.note.className = 'timeline-note bad';
        return;
      }
      this.source.goTo(seq);
    });
    this.around.addEventListener('click', (e) => {
      const li = (e.target as HTMLElement).closest<HTMLElement>('[data-seq]');
      if (li) this.source.goTo(Number(li.dataset.seq));
    });
    window.addEventListener('keydown', (e) => this.onKey(e));
    source.onChange(() => {
      if (!source.live) this.setOpen(true);
      this.update();
    });
  }

  /** Opens or closes the strip; closing returns to live. */
  setOpen(open: boolean): void {
    this.open = open;
    this.element.hidden = !open;
    this.toggle.classList.toggle('active', open);
    this.toggle.setAttribute('aria-pressed', String(open));
    if (!open) this.source.goLive();
    this.shownKey = '';
    this.update();
  }

  get isOpen(): boolean {
    return this.open;
  }

  /** Moves `delta` commits (±Infinity: to the first or newest). */
  step(delta: number): void {
    const t = this.source.timeline();
    if (delta === -Infinity) this.source.goTo(t.first);
    else if (delta === Infinity) this.source.goTo(t.last);
    else this.source.step(delta);
  }

  /** Called at every refresh: a live log grows. */
  update(): void {
    if (!this.open) return;
    const shown = this.source.current;
    const t = this.source.timeline();
    this.slider.min = String(t.first);
    this.slider.max = String(t.last);
    this.slider.value = String(shown.seq);
    setText(this.total, `of ${t.first}–${t.last}`);
    const key = `${shown.live}|${shown.where}|${shown.seq}`;
    if (key === this.shownKey) return;
    this.shownKey = key;
    this.element.classList.toggle('past', !shown.live);
    this.liveButton.disabled = shown.live;
    if (document.activeElement !== this.seqInput) this.seqInput.value = String(shown.seq);
    const c = shown.commit();
    const boot = shown.where === null ? '' : `${shown.where} · `;
    setText(this.what, `${boot}${shown.live ? 'live · newest ' : ''}commit #${c.seq} ${c.type}: ${commitText(c)}`);
    setText(this.cause, `caused by ${causeText(c, c.caused_by === null ? null : t.request(c.caused_by))}`);
    const hash = shown.stateHash();
    setText(this.hash, shortHash(hash, 16));
    this.hash.title = hash;
    this.hash.dataset.hash = hash;
    const problem = shown.boot !== null && this.source.savedProblem ? ` This saved boot: ${this.source.savedProblem}.` : '';
    setText(this.note, shown.live
      ? 'live: the panels follow the system'
      : `the past, just after this commit: acts are off until Live (terminals stay live).${problem}`);
    this.note.className = `timeline-note${shown.live ? '' : ' past'}`;
    this.renderAround(t, shown.seq);
  }

  private renderAround(t: Timeline, seq: number): void {
    const from = Math.max(t.first, seq - AROUND);
    const to = Math.min(t.last, seq + AROUND);
    const items: HTMLElement[] = [];
    for (let s = from; s <= to; s++) {
      const c = t.commit(s);
      items.push(h('li', { 'data-seq': s, class: s === seq ? 'current' : '', title: 'show the state just after this commit' },
        h('span', { class: 'num' }, `#${s}`), ` ${c.type}: ${commitText(c)}`));
    }
    replaceChildren(this.around, ...items);
  }

  private runDiff(): void {
    const t = this.source.timeline();
    const a = parseUint(this.diffFrom.value);
    const b = parseUint(this.diffTo.value);
    const ok = (n: number | null): n is number => n !== null && n >= t.first && n <= t.last;
    if (!ok(a) || !ok(b)) {
      replaceChildren(this.diffOut, h('p', { class: 'bad' }, `Give two commits between ${t.first} and ${t.last}.`));
      return;
    }
    replaceChildren(this.diffOut, ...diffLines(t.diff(a, b)));
  }

  private onKey(e: KeyboardEvent): void {
    if (!this.open || e.ctrlKey || e.metaKey || e.altKey) return;
    // Keys typed into a field, a terminal or a list are theirs.
    if (isTyping(e.target) || (e.target instanceof HTMLElement && e.target.closest('.xterm'))) return;
    const steps: Record<string, number> = {
      ArrowLeft: e.shiftKey ? -10 : -1, ArrowRight: e.shiftKey ? 10 : 1, PageUp: -100, PageDown: 100, Home: -Infinity, End: Infinity,
    };
    if (e.key in steps) this.step(steps[e.key]!);
    else if (e.key === 'Escape' && !this.source.live) this.source.goLive();
    else return;
    e.preventDefault();
  }
}

function diffLines(d: StateDiff): HTMLElement[] {
  const line = (sign: '+' | '−', text: string): HTMLElement => h('li', { class: sign === '+' ? 'added' : 'removed' }, `${sign} ${text}`);
  const items = [
    ...d.processesAdded.map((p) => line('+', `process pid ${p.pid} ${p.name}`)),
    ...d.processesEnded.map((p) => line('−', `process pid ${p.pid} ${p.name} ${p.status}`)),
    ...d.capsAdded.map((c) => line('+', `capability #${c.id} pid ${c.pid} slot ${c.slot} ${permsString(c.perms)}${c.parent ? ` derived from #${c.parent}` : ''}`)),
    ...d.capsRemoved.map((c) => line('−', `capability #${c.id} pid ${c.pid} slot ${c.slot} ${permsString(c.perms)}`)),
    ...d.endpointsAdded.map((e) => line('+', `endpoint ${e.id} owned by pid ${e.owner}`)),
    ...d.endpointsRemoved.map((e) => line('−', `endpoint ${e.id} owned by pid ${e.owner}`)),
  ];
  const summary = `From commit ${d.from} to ${d.to}: ${d.processesAdded.length} processes added, ${d.processesEnded.length} ended; `
    + `${d.capsAdded.length} capabilities added, ${d.capsRemoved.length} removed; ${d.endpointsAdded.length} endpoints added, ${d.endpointsRemoved.length} removed.`;
  return [h('p', { 'data-testid': 'diff-summary' }, summary), items.length ? h('ul', {}, ...items) : h('p', { class: 'dim' }, 'No difference.')];
}
