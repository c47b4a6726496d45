// Read-only views of the kernel: plain objects copied out of the state, so
// a reader (the supervisor's callers, the desktop, tests) can look at
// everything and change nothing. The same functions view the live state and
// a state rebuilt by replay, so the desktop shows a past commit the way it
// shows the present.

import * as A from './abi.ts';
import type { IntegrityReport, SysLogEntry } from './axiom.ts';
import type { Commit } from './commits.ts';
import type { Checkpoint } from './replay.ts';
import type { KernelState, ProcessRecord } from './state.ts';

export interface ProcessInfo {
  pid: number;
  parent: number;
  name: string;
  state: number; // STATE_RUNNING, STATE_WAITING, STATE_EXITED
  status: 'alive' | 'exited' | 'faulted';
  exitCode: number | null;
  fault: { reason: string; description: string } | null;
  syscalls: number;
  memoryBytes: number;
  /** On whose behalf it was started (init's requester, else the parent); the parent in a replayed state. */
  requester: number;
}

export interface CapInfo {
  pid: number; slot: number; id: number; type: number; object: number; perms: number; parent: number;
  /** When its lease ends, ns since boot; 0 = never. */
  expires: number;
}

export interface EndpointInfo {
  id: number; owner: number; queued: number; holders: { pid: number; slot: number; perms: number }[];
}

/** What the live kernel adds to a state: waits, counters, queue depths. */
export interface RuntimeFacts {
  waiting(pid: number): boolean;
  facts(pid: number): { syscalls: number; memoryBytes: number; requester: number } | undefined;
  queued(endpoint: number): number;
}

const NO_RUNTIME: RuntimeFacts = { waiting: () => false, facts: () => undefined, queued: () => 0 };

function info(p: ProcessRecord, rt: RuntimeFacts): ProcessInfo {
  const s = p.status !== 'alive' ? A.STATE_EXITED : rt.waiting(p.pid) ? A.STATE_WAITING : A.STATE_RUNNING;
  const facts = rt.facts(p.pid);
  return {
    pid: p.pid, parent: p.parent, name: p.name, state: s, status: p.status, exitCode: p.exitCode,
    fault: p.fault && { ...p.fault }, syscalls: facts?.syscalls ?? 0, memoryBytes: facts?.memoryBytes ?? 0,
    requester: facts?.requester ?? p.parent,
  };
}

export function processesOf(state: KernelState, rt: RuntimeFacts = NO_RUNTIME): ProcessInfo[] {
  return [...state.procs.values()].map((p) => info(p, rt));
}

export function processOf(state: KernelState, pid: number, rt: RuntimeFacts = NO_RUNTIME): ProcessInfo | undefined {
  const p = state.procs.get(pid);
  return p && info(p, rt);
}

export function capsOf(state: KernelState, pid?: number): CapInfo[] {
  const out: CapInfo[] = [];
  for (const c of state.caps.values()) {
    if (pid !== undefined && c.pid !== pid) continue;
    out.push({
      pid: c.pid!, slot: c.slot, id: c.id, type: c.type, object: c.object, perms: c.perms, parent: c.parent?.id ?? 0,
      expires: c.expires,
    });
  }
  return out;
}

export function endpointsOf(state: KernelState, rt: RuntimeFacts = NO_RUNTIME): EndpointInfo[] {
  const holders = new Map<number, EndpointInfo['holders']>();
  for (const c of state.caps.values()) {
    if (c.type !== A.OBJ_ENDPOINT) continue;
    const list = holders.get(c.object) ?? [];
    list.push({ pid: c.pid!, slot: c.slot, perms: c.perms });
    holders.set(c.object, list);
  }
  return [...state.endpoints.values()].map((e) => ({
    id: e.id, owner: e.owner, queued: rt.queued(e.id), holders: holders.get(e.id) ?? [],
  }));
}

/** Everything a reader may see of a running kernel, and nothing it could change. */
export interface KernelView {
  processes(): ProcessInfo[];
  process(pid: number): ProcessInfo | undefined;
  caps(pid?: number): CapInfo[];
  endpoints(): EndpointInfo[];
  isWaiting(pid: number): boolean;
  /** How many commits there have been (the next seq). */
  commitCount(): number;
  /** The seq of the oldest commit kept in memory (0 unless older ones were spilled). */
  firstCommit(): number;
  /** The kept commits with seq in [from, to), frozen; all kept when no range is given. */
  commits(from?: number, to?: number): Commit[];
  /** The checkpoint the kept commits follow, or null when they start at Genesis. */
  checkpoint(): Checkpoint | null;
  /** The newest `count` SysLog events (all kept when omitted), oldest first. */
  syslog(count?: number): SysLogEntry[];
  syslogStats(): { kept: number; trimmed: number };
  stateHash(): string;
  verify(): IntegrityReport;
}
