// What every panel reads the system from: the live kernel, or the state
// just after a chosen commit, of this boot or of a saved one. Panels read
// `source.current` (a Shown) and never the kernel's view directly, so one
// switch here moves every view (processes, capabilities, endpoints, graph)
// to the same moment. While a past state is shown, `live` is false and the
// panels turn their acts off: an act always changes the live system.

import type { Commit } from '../kernel/commits.ts';
import { replay, stateHashOf } from '../kernel/replay.ts';
import type { KernelState } from '../kernel/state.ts';
import {
  capsOf, endpointsOf, processesOf, type CapInfo, type EndpointInfo, type KernelView, type ProcessInfo,
} from '../kernel/view.ts';
import type { ParsedTrace } from '../record/trace.ts';
import type { Flight, NodeKey } from './log-index.ts';
import { traceLogs, type LogsView } from './trace-logs.ts';
import { listBoots, loadBoot, openZosDB } from './persistence.ts';
import { liveLog, savedLog, Timeline, type StateAtCommit } from './timeline.ts';

/**
 * A capability out of every CSpace but still in the derivation tree: one in
 * flight in a SEND_CAP message (with its trip), or a deleted one kept because
 * something derived from it is still held (flight null).
 */
export interface DetachedCap {
  id: number; type: number; object: number; perms: number;
  /** The capability it was derived from (0 for a root). */
  parent: number;
  expires: number;
  flight: Flight | null;
}

/** A trace opened from a file: its name, the run it records, its logs as the Logs panel reads them. */
export interface OpenTrace {
  readonly name: string;
  readonly run: ParsedTrace;
  readonly logs: LogsView;
}

/** The system as one view shows it: now, or just after commit `seq`. */
export interface Shown {
  readonly live: boolean;
  /** The saved boot shown, or null for this boot. */
  readonly boot: number | null;
  /** Where the state comes from in words (`saved boot #3`, `trace run.jsonl`), null for this boot. */
  readonly where: string | null;
  /** The newest commit the state includes. */
  readonly seq: number;
  /** ns since boot: now when live, else the time of commit `seq` (lease time left is counted from it). */
  readonly time: number;
  processes(): ProcessInfo[];
  process(pid: number): ProcessInfo | undefined;
  caps(pid?: number): CapInfo[];
  endpoints(): EndpointInfo[];
  detached(): DetachedCap[];
  /** The nodes commit `seq` touched: what changed at the last commit. */
  touched(): NodeKey[];
  commit(): Commit;
  stateHash(): string;
}

function detachedOf(state: KernelState, timeline: Timeline, seq: number): DetachedCap[] {
  return [...state.tombstones.values()].map((c) => ({
    id: c.id, type: c.type, object: c.object, perms: c.perms, parent: c.parent?.id ?? 0, expires: c.expires,
    flight: c.pinned ? timeline.index.flightAt(c.id, seq) ?? null : null,
  }));
}

/** The live kernel, with the timeline of this boot for what the view does not hold (tombstones, touches). */
class LiveShown implements Shown {
  readonly live = true;
  readonly boot = null;
  readonly where = null;
  readonly seq: number;
  readonly time: number;

  constructor(private readonly view: KernelView, private readonly timeline: () => Timeline, now: number) {
    this.seq = view.commitCount() - 1;
    this.time = now;
  }

  processes(): ProcessInfo[] { return this.view.processes(); }
  process(pid: number): ProcessInfo | undefined { return this.view.process(pid); }
  caps(pid?: number): CapInfo[] { return this.view.caps(pid); }
  endpoints(): EndpointInfo[] { return this.view.endpoints(); }
  stateHash(): string { return this.view.stateHash(); }
  commit(): Commit { return this.view.commits(this.seq, this.seq + 1)[0]!; }

  detached(): DetachedCap[] {
    const t = this.timeline();
    return detachedOf(t.index.state, t, t.last);
  }

  touched(): NodeKey[] {
    return this.timeline().index.lastTouched;
  }
}

/** A state rebuilt by replay: no runtime facts (waits, counters, queues), which the CommitLog does not hold. */
class PastShown implements Shown {
  readonly live = false;
  readonly boot: number | null;
  readonly where: string | null;
  readonly seq: number;
  readonly time: number;
  private memo = new Map<string, unknown>();

  constructor(private readonly at: StateAtCommit, private readonly timeline: Timeline) {
    this.boot = timeline.boot;
    this.where = timeline.where;
    this.seq = at.seq;
    this.time = at.commit.time;
  }

  private once<T>(key: string, make: () => T): T {
    if (!this.memo.has(key)) this.memo.set(key, make());
    return this.memo.get(key) as T;
  }

  processes(): ProcessInfo[] { return this.once('procs', () => processesOf(this.at.state)); }
  process(pid: number): ProcessInfo | undefined { return this.processes().find((p) => p.pid === pid); }
  caps(pid?: number): CapInfo[] {
    const all = this.once('caps', () => capsOf(this.at.state));
    return pid === undefined ? all : all.filter((c) => c.pid === pid);
  }
  endpoints(): EndpointInfo[] { return this.once('eps', () => endpointsOf(this.at.state)); }
  detached(): DetachedCap[] { return this.once('detached', () => detachedOf(this.at.state, this.timeline, this.seq)); }
  touched(): NodeKey[] { return this.at.touched; }
  commit(): Commit { return this.at.commit; }
  stateHash(): string { return this.once('hash', () => stateHashOf(this.at.state)); }
}

export class StateSource {
  private past: { shown: PastShown; timeline: Timeline } | null = null;
  private liveTl: Timeline | null = null;
  private savedTl: Timeline | null = null;
  private opened: { timeline: Timeline; trace: OpenTrace } | null = null;
  private readonly listeners = new Set<() => void>();
  /** Why the saved boot shown stops early (its chain or replay broke), or null. */
  savedProblem: string | null = null;

  constructor(private readonly view: KernelView, private readonly now: () => number) {}

  /** True unless a past state is shown. */
  get live(): boolean {
    return this.past === null;
  }

  /** What the panels show now. */
  get current(): Shown {
    return this.past?.shown ?? new LiveShown(this.view, () => this.liveTimeline(), this.now());
  }

  /** This boot's timeline, up to date with the kernel. */
  liveTimeline(): Timeline {
    // A kernel that keeps only a tail of its log moves its checkpoint forward; start again from it.
    if (!this.liveTl || this.view.firstCommit() > this.liveTl.first) this.liveTl = new Timeline(null, liveLog(this.view));
    else this.liveTl.sync();
    return this.liveTl;
  }

  /** The timeline being looked at: the saved boot's while one is open, else this boot's. */
  timeline(): Timeline {
    return this.past?.timeline ?? this.liveTimeline();
  }

  /** Shows the state just after commit `seq` (of `timeline`, by default the one looked at). */
  goTo(seq: number, timeline: Timeline = this.timeline()): Shown {
    if (timeline.grows) timeline.sync();
    const shown = new PastShown(timeline.stateAt(seq), timeline);
    this.past = { shown, timeline };
    this.changed();
    return shown;
  }

  /** Moves `delta` commits from the one shown (from the newest when live), within the log. */
  step(delta: number): Shown {
    const t = this.timeline();
    const from = this.past?.shown.seq ?? t.last;
    return this.goTo(Math.min(t.last, Math.max(t.first, from + delta)), t);
  }

  /** Back to the live system. */
  goLive(): void {
    if (!this.past) return;
    this.past = null;
    this.opened = null;
    this.changed();
  }

  /**
   * Opens a saved boot from IndexedDB at its newest commit. Its chain is
   * verified and replayed first; a log that breaks is shown up to the last
   * good commit, and `savedProblem` says why.
   */
  async openSavedBoot(id: number): Promise<Shown> {
    if (this.savedTl?.boot !== id) {
      const db = await openZosDB();
      let loaded;
      try {
        const entry = (await listBoots(db)).find((b) => b.id === id);
        if (!entry) throw new Error(`there is no saved boot #${id}`);
        loaded = await loadBoot(db, id, entry.record);
      } finally {
        db.close();
      }
      const r = replay(loaded.commits);
      const good = r.ok ? loaded.commits : loaded.commits.slice(0, r.badSeq);
      if (good.length === 0) throw new Error(`boot #${id} has no commit that verifies${r.ok ? '' : `: ${r.reason}`}`);
      this.savedProblem = r.ok ? null : `its log breaks at commit ${r.badSeq} (${r.reason}); shown up to commit ${r.badSeq - 1}`;
      this.savedTl = new Timeline(id, savedLog(good, loaded.syslog));
    }
    return this.goTo(this.savedTl.last, this.savedTl);
  }

  /**
   * Opens a trace (read with record/trace.ts readTrace, so its chain is
   * verified and its replay gives its state hash) at its newest commit.
   * It stays open, read-only, until Live.
   */
  openTrace(name: string, trace: ParsedTrace): Shown {
    this.savedProblem = null;
    const timeline = new Timeline(null, savedLog(trace.commits, trace.syslog), undefined, name);
    this.opened = { timeline, trace: { name, run: trace, logs: traceLogs(trace) } };
    return this.goTo(timeline.last, timeline);
  }

  /** The trace whose timeline is looked at, or null. */
  get trace(): OpenTrace | null {
    const o = this.opened;
    return o && this.past?.timeline === o.timeline ? o.trace : null;
  }

  /** Called whenever what is shown switches (not when the live system moves on). */
  onChange(listener: () => void): void {
    this.listeners.add(listener);
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }
}
