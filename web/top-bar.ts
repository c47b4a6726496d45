// The top bar: name, boot status, live figures, the state hash, the chain
// status and whether the logs are being saved.

import type { SaveStatus } from './persistence.ts';
import type { ChainWatch } from './chain-watch.ts';
import { formatCount, formatDuration, h, setText, shortHash } from './dom.ts';
import type { Session } from './session.ts';

export type BootState = 'booting' | 'up' | 'failed';

export class TopBar {
  readonly element: HTMLElement;
  private readonly status = h('span', { class: 'pill status booting', 'data-testid': 'boot-status' }, 'booting…');
  private readonly procs = h('span', { class: 'stat', title: 'live processes' });
  private readonly rate = h('span', { class: 'stat', title: 'syscalls per second' });
  private readonly hash = h('code', { class: 'pill hash', 'data-testid': 'state-hash', title: 'state hash' }, '—');
  private readonly chain = h('span', { class: 'pill chain', 'data-testid': 'chain-status' }, 'chain —');
  private readonly saved = h('span', { class: 'pill saved', 'data-testid': 'save-status' }, 'not saved');
  private bootState: BootState = 'booting';
  private lastCommits = -1;
  private lastSyscalls = 0;
  private lastRateAt = 0;
  private cachedHash = '';

  constructor() {
    this.element = h('header', { class: 'top-bar' },
      h('div', { class: 'brand' }, h('span', { class: 'logo' }, 'zos'),
        h('span', { class: 'tagline' }, 'capability microkernel')),
      this.status, this.procs, this.rate,
      h('div', { class: 'spacer' }),
      h('span', { class: 'label' }, 'state'), this.hash, this.chain, this.saved);
  }

  /** Adds a pill after the save status. */
  addPill(pill: HTMLElement): void {
    this.element.append(pill);
  }

  setBootState(state: BootState, text: string): void {
    this.bootState = state;
    this.status.className = `pill status ${state}`;
    setText(this.status, text);
  }

  update(session: Session | null, chain: ChainWatch, save: SaveStatus | null): void {
    if (!session) return;
    const k = session.view;
    if (this.bootState === 'up') setText(this.status, `up ${formatDuration(Date.now() - session.startedAt)}`);
    const live = k.processes().filter((p) => p.status === 'alive' && p.pid !== 0).length;
    setText(this.procs, `${live} processes`);
    const now = performance.now();
    if (now - this.lastRateAt >= 1000) {
      const calls = session.sup.stats.syscalls;
      const perSec = this.lastRateAt ? ((calls - this.lastSyscalls) * 1000) / (now - this.lastRateAt) : 0;
      setText(this.rate, `${formatCount(Math.round(perSec))} syscalls/s`);
      this.lastSyscalls = calls;
      this.lastRateAt = now;
    }
    const n = k.commitCount();
    if (n !== this.lastCommits) {
      this.lastCommits = n;
      this.cachedHash = k.stateHash();
      setText(this.hash, shortHash(this.cachedHash, 12));
      this.hash.title = `state hash after ${n} commits: ${this.cachedHash}`;
    }
    chain.step(k);
    if (chain.fault) {
      this.chain.className = 'pill chain bad';
      setText(this.chain, `chain broken at seq ${chain.fault.badSeq}`);
      this.chain.title = chain.fault.reason;
    } else {
      const behind = n - chain.verified;
      this.chain.className = `pill chain ${behind > 0 ? 'pending' : 'ok'}`;
      setText(this.chain, behind > 0 ? `chain checking… ${formatCount(chain.verified)}/${formatCount(n)}` : `chain ok · ${formatCount(n)} commits`);
      this.chain.title = `head ${chain.head}`;
    }
    if (save) {
      const cls = save.state === 'error' ? 'bad' : save.state === 'saved' ? 'ok' : '';
      this.saved.className = `pill saved ${cls}`;
      setText(this.saved, save.state === 'error' ? 'save failed' : save.savedAt ? `saved · ${formatCount(save.commits)} commits` : 'saving…');
      this.saved.title = save.error ?? `IndexedDB: ${save.commits} commits, ${save.syslog} SysLog events saved${save.syslogDropped ? `, ${save.syslogDropped} not saved (over budget)` : ''}`;
    }
  }

  setSaveUnavailable(reason: string): void {
    this.saved.className = 'pill saved bad';
    setText(this.saved, 'not saved');
    this.saved.title = reason;
  }
}
