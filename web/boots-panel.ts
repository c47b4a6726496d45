// The Boots panel: this boot's saving, and every previous boot kept in
// IndexedDB: its chain verified (or where it breaks), its state rebuilt by
// replay (the hash, compared with the one saved, and the process table),
// and any corrupt record found while reading it back. "Time travel" opens a
// saved boot on the timeline: every panel then shows its state at a commit.

import type { BootHistory } from './boot-history.ts';
import type { BootReport } from './boot-verify.ts';
import { h, replaceChildren, setText, shortHash } from './dom.ts';
import type { Panel } from './panel.ts';
import type { SaveStatus } from './persistence.ts';

export interface BootsPanelSource {
  history: BootHistory | null;
  save: () => SaveStatus | null;
  currentBoot: () => number | null;
  flush: () => Promise<void>;
  unavailable: () => string | null;
  /** Shows a saved boot on the timeline, at its newest commit. */
  travel: (id: number) => Promise<void>;
}

const when = (ms: number | null): string => (ms === null ? 'unknown time' : new Date(ms).toLocaleString());

export class BootsPanel implements Panel {
  readonly element: HTMLElement;
  private readonly current = h('div', { class: 'current-boot', 'data-testid': 'current-boot' });
  private readonly list = h('div', { class: 'boot-list', 'data-testid': 'boot-list' });
  private shownVersion = -1;

  constructor(private readonly src: BootsPanelSource) {
    const save = h('button', { class: 'btn', type: 'button' }, 'Save now');
    save.addEventListener('click', () => void this.src.flush().then(() => this.update()));
    const verify = h('button', { class: 'btn primary', type: 'button', 'data-testid': 'verify-boots' }, 'Verify again');
    verify.addEventListener('click', () => void this.src.history?.refresh().then(() => this.update()));
    this.element = h('div', { class: 'panel boots-panel' },
      h('h3', {}, 'This boot'), h('div', { class: 'toolbar' }, this.current, h('div', { class: 'spacer' }), save),
      h('div', { class: 'toolbar' }, h('h3', {}, 'Previous boots'), h('div', { class: 'spacer' }), verify),
      h('p', { class: 'hint' }, 'Each boot’s CommitLog and SysLog are kept in IndexedDB. After a reload every chain is '
        + 'verified again and replayed from Genesis; the replayed state hash is compared with the one the kernel had at the last save.'),
      this.list);
  }

  update(): void {
    const unavailable = this.src.unavailable();
    const id = this.src.currentBoot();
    const s = this.src.save();
    if (unavailable) setText(this.current, `Not saved: ${unavailable}`);
    else if (id === null || !s) setText(this.current, 'Starting…');
    else {
      const state = s.state === 'error' ? `save failed: ${s.error}` : s.savedAt ? `saved ${new Date(s.savedAt).toLocaleTimeString()}` : 'nothing saved yet';
      setText(this.current, `Boot #${id} · ${s.commits} commits, ${s.syslog} SysLog events${s.syslogDropped ? ` (${s.syslogDropped} over budget, not saved)` : ''} · ${state}`);
    }
    const history = this.src.history;
    const version = history ? history.version : -2;
    if (version === this.shownVersion) return;
    this.shownVersion = version;
    if (!history) {
      replaceChildren(this.list, h('p', { class: 'dim' }, unavailable ?? 'IndexedDB is not available.'));
      return;
    }
    if (history.running && !history.reports) {
      replaceChildren(this.list, h('p', { class: 'dim' }, 'Verifying previous boots…'));
      return;
    }
    const reports = history.reports ?? [];
    replaceChildren(this.list,
      history.error ? h('p', { class: 'bad' }, `Could not verify: ${history.error}`) : null,
      history.running ? h('p', { class: 'dim' }, 'Verifying again…') : null,
      reports.length === 0 ? h('p', { class: 'dim' }, 'No previous boots yet. Reload the page to see this one here.') : null,
      ...reports.map((r) => this.card(r)));
  }

  private card(r: BootReport): HTMLElement {
    const good = r.chain.ok && r.problems.length === 0 && r.replay.matchesSaved !== false;
    const chain = r.chain.ok
      ? h('div', { class: 'line ok', 'data-testid': 'boot-chain' }, `✓ chain verified: ${r.commits} commits, head ${shortHash(r.chain.head)}`)
      : h('div', { class: 'line bad', 'data-testid': 'boot-chain' }, `✗ chain broken at seq ${r.chain.badSeq}: ${r.chain.reason}`);
    const rep = r.replay;
    const replayLine = rep.ok
      ? h('div', { class: `line ${rep.matchesSaved === false ? 'bad' : 'ok'}`, 'data-testid': 'boot-replay' },
        `${rep.matchesSaved === false ? '✗' : '✓'} replayed state ${shortHash(rep.stateHash, 12)}`,
        rep.matchesSaved === true ? ' = the state saved with the log'
          : rep.matchesSaved === false ? ` ≠ the state saved with the log (${shortHash(rep.savedStateHash, 12)})` : ' (no saved state to compare with)')
      : h('div', { class: 'line bad', 'data-testid': 'boot-replay' }, `replay stopped at seq ${rep.appliedCommits}; the table below is the state up to there`);
    const del = h('button', { class: 'btn small', type: 'button', title: 'delete this boot’s records' }, 'Delete');
    del.addEventListener('click', () => void this.src.history?.remove(r.id).then(() => this.update()));
    const travelResult = h('div', { class: 'line', role: 'status' });
    const travel = h('button', {
      class: 'btn small primary', type: 'button', 'data-testid': `travel-boot-${r.id}`, disabled: r.commits === 0,
      title: 'show this boot on the timeline: every panel shows its state at the commit you pick',
    }, 'Time travel');
    travel.addEventListener('click', () => {
      setText(travelResult, 'Reading and verifying its log…');
      travelResult.className = 'line dim';
      this.src.travel(r.id).then(() => setText(travelResult, ''), (e: unknown) => {
        setText(travelResult, `Cannot show boot #${r.id}: ${e instanceof Error ? e.message : String(e)}`);
        travelResult.className = 'line bad';
      });
    });
    const procs = h('table', { class: 'grid procs' },
      h('thead', {}, h('tr', {}, ...['PID', 'Name', 'Parent', 'Status', 'Exit / fault', 'Caps'].map((t) => h('th', {}, t)))),
      h('tbody', {}, ...r.processes.map((p) => h('tr', { class: p.status },
        h('td', { class: 'num' }, p.pid), h('td', {}, p.name), h('td', { class: 'num' }, p.pid === 0 ? '' : p.parent),
        h('td', {}, p.status), h('td', { class: 'end' }, p.status === 'exited' ? `code ${p.exitCode}` : p.fault ?? ''),
        h('td', { class: 'num' }, p.caps)))));
    return h('article', { class: `boot-card ${good ? 'good' : 'broken'}`, 'data-testid': `boot-${r.id}`, 'data-boot-id': r.id },
      h('header', {}, h('strong', {}, `Boot #${r.id}`), h('span', { class: 'dim' }, ` started ${when(r.startedAt)}`),
        h('div', { class: 'spacer' }), travel, del),
      travelResult,
      h('div', { class: 'line dim' }, `${r.commits} commits${r.savedCommits !== null && r.savedCommits !== r.commits ? ` (record says ${r.savedCommits})` : ''} · `
        + `${r.syslog} SysLog events${r.syslogDropped ? ` (+${r.syslogDropped} not saved)` : ''} · last saved ${when(r.savedAt)}`),
      chain, replayLine,
      r.problems.length ? h('ul', { class: 'problems', 'data-testid': 'boot-problems' }, ...r.problems.slice(0, 20).map((p) => h('li', {}, p)),
        r.problems.length > 20 ? h('li', {}, `… and ${r.problems.length - 20} more`) : null) : null,
      h('details', {}, h('summary', {}, `Process table of the replayed state (${r.processes.length})`), procs));
  }
}
