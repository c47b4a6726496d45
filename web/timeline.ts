// One boot's CommitLog as a timeline: the state just after any commit, the
// SysLog request behind a commit, and the difference between two commits.
//
// States come from the kernel's History (kernel/replay.ts): a checkpoint
// every `every` commits, so a jump restores the nearest one and applies at
// most `every` commits, however long the log. The log is this boot's (read
// through the KernelView as it grows) or a saved boot's (read back from
// IndexedDB, verified first).

import type { SysLogEntry, SysRequest } from '../kernel/axiom.ts';
import type { Commit } from '../kernel/commits.ts';
import { History, type Checkpoint } from '../kernel/replay.ts';
import type { KernelState } from '../kernel/state.ts';
import { capsOf, endpointsOf, processesOf, type CapInfo, type EndpointInfo, type KernelView, type ProcessInfo } from '../kernel/view.ts';
import { LogIndex, touchedBy, type NodeKey } from './log-index.ts';

/** A SysLog request with the result it got (null while unanswered, or its response was not kept). */
export interface RequestRow {
  req: SysRequest;
  result: number | null;
}

/** Where a timeline reads its log. */
export interface LogSource {
  /** Commits so far: the next seq. */
  length(): number;
  /** The commits with seq in [from, to). */
  commits(from: number, to: number): readonly Commit[];
  /** The checkpoint the log's commits follow, or null when they start at Genesis. */
  origin(): Checkpoint | null;
  /** The SysLog request with this id, while it is kept. */
  request(id: number): RequestRow | null;
}

/** The state just after one commit. */
export interface StateAtCommit {
  seq: number;
  commit: Commit;
  state: KernelState;
  /** What the commit touched (see LogIndex). */
  touched: NodeKey[];
}

/** What changed between two commits. */
export interface StateDiff {
  from: number;
  to: number;
  processesAdded: ProcessInfo[];
  /** Alive at `from`, exited or faulted at `to`. */
  processesEnded: ProcessInfo[];
  capsAdded: CapInfo[];
  capsRemoved: CapInfo[];
  endpointsAdded: EndpointInfo[];
  endpointsRemoved: EndpointInfo[];
}

/** A checkpoint every this many commits: a jump applies at most this many. */
export const CHECKPOINT_EVERY = 1000;

export class Timeline {
  readonly index: LogIndex;
  private readonly history: History;

  /**
   * `boot`: the saved boot's id, or null for this boot. The log must be
   * verified (History does not check hashes again): the live kernel's is by
   * construction, a saved one by verifyChain before this.
   */
  constructor(readonly boot: number | null, private readonly src: LogSource, every = CHECKPOINT_EVERY,
    /** The file name of the trace this log was read from, or null. */
    readonly trace: string | null = null) {
    const origin = src.origin() ?? undefined;
    this.history = new History((from, to) => src.commits(from, to), src.length(), origin, every);
    this.index = new LogIndex(origin);
    this.sync();
  }

  /** True for this boot's log, which grows; a saved boot's or a trace's does not. */
  get grows(): boolean {
    return this.boot === null && this.trace === null;
  }

  /** Where the log comes from, in words; null for this boot. */
  get where(): string | null {
    if (this.trace !== null) return `trace ${this.trace}`;
    return this.boot === null ? null : `saved boot #${this.boot}`;
  }

  /** The first commit whose state can be shown. */
  get first(): number {
    return this.history.first + 1;
  }

  /** The newest commit. */
  get last(): number {
    return this.history.length - 1;
  }

  /** Takes in the commits made since the last call (a live log grows). */
  sync(): void {
    const length = this.src.length();
    this.history.length = length;
    if (this.index.next < length) this.index.add(this.src.commits(this.index.next, length));
  }

  commit(seq: number): Commit {
    const c = this.src.commits(seq, seq + 1)[0];
    if (!c) throw new RangeError(`commit ${seq} is not in this log (${this.first}–${this.last})`);
    return c;
  }

  request(id: number): RequestRow | null {
    return this.src.request(id);
  }

  /** The state just after commit `seq`, with what that commit touched. */
  stateAt(seq: number): StateAtCommit {
    if (!Number.isInteger(seq) || seq < this.first || seq > this.last) {
      throw new RangeError(`commit ${seq} is not in this log (${this.first}–${this.last})`);
    }
    const commit = this.commit(seq);
    const state = this.history.stateAt(seq - 1);
    const touched = touchedBy(state, commit);
    state.apply(commit);
    return { seq, commit, state, touched };
  }

  /** What changed from just after commit `from` to just after commit `to`. */
  diff(from: number, to: number): StateDiff {
    const a = this.stateAt(from).state;
    const b = this.stateAt(to).state;
    const procsA = new Map(processesOf(a).map((p) => [p.pid, p]));
    const procsB = processesOf(b);
    const capsA = new Map(capsOf(a).map((c) => [c.id, c]));
    const capsB = new Map(capsOf(b).map((c) => [c.id, c]));
    const epsA = new Map(endpointsOf(a).map((e) => [e.id, e]));
    const epsB = new Map(endpointsOf(b).map((e) => [e.id, e]));
    return {
      from, to,
      processesAdded: procsB.filter((p) => !procsA.has(p.pid)),
      processesEnded: procsB.filter((p) => p.status !== 'alive' && procsA.get(p.pid)?.status === 'alive'),
      capsAdded: [...capsB.values()].filter((c) => !capsA.has(c.id)),
      capsRemoved: [...capsA.values()].filter((c) => !capsB.has(c.id)),
      endpointsAdded: [...epsB.values()].filter((e) => !epsA.has(e.id)),
      endpointsRemoved: [...epsA.values()].filter((e) => !epsB.has(e.id)),
    };
  }
}

/** This boot's log, read through the kernel's view as it grows. */
export function liveLog(view: KernelView): LogSource {
  return {
    length: () => view.commitCount(),
    commits: (from, to) => view.commits(from, to),
    origin: () => view.checkpoint(),
    request: liveRequests(view),
  };
}

/** A saved boot's log, read back from IndexedDB (and verified). */
export function savedLog(commits: readonly Commit[], syslog: readonly SysLogEntry[]): LogSource {
  const rows = new Map<number, RequestRow>();
  for (const e of syslog) addEntry(rows, e);
  return {
    length: () => commits.length,
    commits: (from, to) => commits.slice(from, to),
    origin: () => null,
    request: (id) => rows.get(id) ?? null,
  };
}

function addEntry(rows: Map<number, RequestRow>, e: SysLogEntry): void {
  if (e.kind === 'request') rows.set(e.id, { req: e, result: null });
  else {
    const row = rows.get(e.request_id);
    if (row) row.result = e.result;
  }
}

/**
 * Requests of the live SysLog ring by id. The ring is read only from where
 * the last look-up stopped, so stepping through commits costs nothing per
 * step; what the ring has dropped is forgotten here too.
 */
function liveRequests(view: KernelView): (id: number) => RequestRow | null {
  const rows = new Map<number, RequestRow>();
  let seen = 0; // SysLog events ever written, as of the last read
  return (id) => {
    const { kept, trimmed } = view.syslogStats();
    const total = kept + trimmed;
    if (total > seen) {
      for (const e of view.syslog(Math.min(total - seen, kept))) addEntry(rows, e);
      seen = total;
      // Event ids count every event from 1, so those up to `trimmed` have left the ring.
      for (const key of rows.keys()) {
        if (key > trimmed) break; // ids were added in order
        rows.delete(key);
      }
    }
    return rows.get(id) ?? null;
  };
}
