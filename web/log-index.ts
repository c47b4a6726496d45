// What a CommitLog says about each thing in it, read once as the log grows:
// which commits touched each process, capability and endpoint (for "the
// commits that touched it"), which things the newest commit touched (for
// "what changed at the last commit"), and where each capability sent in a
// message went (a capability in flight is only a pinned tombstone in the
// state, with no holder; the commits say who sent it and to which endpoint).
//
// A commit names a capability by pid and slot, so the index keeps the
// state at its end (the same KernelState.apply the kernel uses) to tell
// which capability a slot held just before the commit.

import type { Commit } from '../kernel/commits.ts';
import { KernelState } from '../kernel/state.ts';
import { restoreCheckpoint, type Checkpoint } from '../kernel/replay.ts';

/** A node of the system: `p<pid>`, `c<capability id>` or `e<endpoint id>`. */
export type NodeKey = string;

export const procKey = (pid: number): NodeKey => `p${pid}`;
export const capKey = (id: number): NodeKey => `c${id}`;
export const endpointKey = (id: number): NodeKey => `e${id}`;

/** One trip of a capability in a SEND_CAP message. */
export interface Flight {
  capId: number;
  fromPid: number;
  fromSlot: number;
  /** The endpoint the message went to (null if the commit that queued it is not in the log). */
  endpoint: number | null;
  /** The CapRemoved (moving) commit that took it away. */
  sentSeq: number;
  /** The CapInserted that landed it, or null while it has not landed. */
  landedSeq: number | null;
}

/** Commits that touched one node: the newest ones, and how many in all. */
export interface Touches {
  total: number;
  recent: number[];
}

/** Seqs kept per node; older ones are counted, not listed (a busy endpoint sees every message). */
const RECENT_KEPT = 200;

export class LogIndex {
  /** The state after the last commit read. */
  readonly state: KernelState;
  /** The next seq to read. */
  next: number;
  /** The nodes the newest commit touched. */
  lastTouched: NodeKey[] = [];
  private readonly touches = new Map<NodeKey, Touches>();
  private readonly flights = new Map<number, Flight[]>();
  private readonly open = new Map<number, Flight>(); // cap id → its trip still going
  private readonly byRequest = new Map<number, Flight[]>(); // caused_by → trips still missing their endpoint

  /** An index of a log that starts at Genesis, or after `origin`. */
  constructor(origin?: Checkpoint) {
    if (!origin) {
      this.state = new KernelState();
      this.next = 0;
      return;
    }
    const restored = restoreCheckpoint(origin);
    if (typeof restored === 'string') throw new Error(restored);
    this.state = restored;
    this.next = origin.seq + 1;
  }

  /** Reads the next commits of the log, in order; they must follow what was read. */
  add(commits: readonly Commit[]): void {
    for (const c of commits) {
      if (c.seq !== this.next) throw new Error(`the index expected commit ${this.next}, got ${c.seq}`);
      this.lastTouched = this.read(c);
      this.state.apply(c);
      this.next++;
    }
  }

  /** The commits that touched a node (the newest RECENT_KEPT of them). */
  touchesOf(key: NodeKey): Touches {
    return this.touches.get(key) ?? { total: 0, recent: [] };
  }

  /** The trip a capability was on just after commit `seq`, if it was in flight then. */
  flightAt(capId: number, seq: number): Flight | undefined {
    const trips = this.flights.get(capId);
    if (!trips) return undefined;
    for (let i = trips.length - 1; i >= 0; i--) {
      const f = trips[i]!;
      if (f.sentSeq <= seq) return f.landedSeq === null || f.landedSeq > seq ? f : undefined;
    }
    return undefined;
  }

  /** Records what a commit touched and the trips it starts, ends or addresses; `state` is just before it. */
  private read(c: Commit): NodeKey[] {
    const keys = touchedBy(this.state, c);
    if (c.type === 'CapInserted') {
      const trip = this.open.get(c.fields.cap_id);
      if (trip) {
        trip.landedSeq = c.seq;
        this.open.delete(c.fields.cap_id);
      }
    } else if (c.type === 'CapRemoved' && c.fields.moving === 1) {
      const id = this.state.procs.get(c.fields.pid)?.cspace.get(c.fields.slot)?.id;
      if (id !== undefined) this.takeOff(id, c.fields.pid, c.fields.slot, c);
    } else if (c.type === 'MessageSent' && c.caused_by !== null) {
      // The capabilities this request took away travel in this message.
      for (const trip of this.byRequest.get(c.caused_by) ?? []) trip.endpoint = c.fields.to_endpoint;
      this.byRequest.delete(c.caused_by);
    }
    for (const key of keys) this.touch(key, c.seq);
    return keys;
  }

  private takeOff(capId: number, pid: number, slot: number, c: Commit): void {
    const trip: Flight = { capId, fromPid: pid, fromSlot: slot, endpoint: null, sentSeq: c.seq, landedSeq: null };
    const trips = this.flights.get(capId) ?? [];
    trips.push(trip);
    this.flights.set(capId, trips);
    this.open.set(capId, trip);
    if (c.caused_by !== null) {
      const list = this.byRequest.get(c.caused_by) ?? [];
      list.push(trip);
      this.byRequest.set(c.caused_by, list);
    }
  }

  private touch(key: NodeKey, seq: number): void {
    let t = this.touches.get(key);
    if (!t) this.touches.set(key, t = { total: 0, recent: [] });
    if (t.recent[t.recent.length - 1] === seq) return; // one commit touching a node twice counts once
    t.total++;
    t.recent.push(seq);
    if (t.recent.length > RECENT_KEPT * 2) t.recent.splice(0, t.recent.length - RECENT_KEPT);
  }
}

/** The nodes a commit touches, given the state just before it (a commit names a capability by its slot). */
export function touchedBy(state: KernelState, c: Commit): NodeKey[] {
  const capAt = (pid: number, slot: number): NodeKey[] => {
    const id = state.procs.get(pid)?.cspace.get(slot)?.id;
    return id === undefined ? [] : [capKey(id)];
  };
  switch (c.type) {
    case 'Genesis':
      return [];
    case 'ProcessCreated': case 'ProcessExited': case 'ProcessFaulted':
      return [procKey(c.fields.pid)];
    case 'CapInserted':
      return [capKey(c.fields.cap_id), ...(c.fields.parent ? [capKey(c.fields.parent)] : []), procKey(c.fields.pid)];
    case 'CapGranted': {
      const f = c.fields;
      return [capKey(f.new_cap_id), ...capAt(f.from_pid, f.from_slot), procKey(f.from_pid),
        ...(f.to_pid !== f.from_pid ? [procKey(f.to_pid)] : [])];
    }
    case 'CapRemoved': case 'CapExpired': case 'CapLeased':
      return [...capAt(c.fields.pid, c.fields.slot), procKey(c.fields.pid)];
    case 'EndpointCreated':
      return [endpointKey(c.fields.id), procKey(c.fields.owner)];
    case 'EndpointDestroyed':
      return [endpointKey(c.fields.id)];
    case 'MessageSent':
      return [endpointKey(c.fields.to_endpoint), procKey(c.fields.from_pid)];
  }
}
