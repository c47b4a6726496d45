// What every part of the kernel shares: the replayable state and its logs,
// the runtime bookkeeping outside the state hash, the events for the
// supervisor, and the one way to change state (`commit`).
//
// The subsystems (process.ts, cspace.ts, ipc.ts, axiom-calls.ts) are plain
// functions over a KernelCore, as xv6 keeps one file per subsystem; the
// gateway (gateway.ts) is the only way in from outside.

import * as A from './abi.ts';
import { shapeOf } from './abi-table.ts';
import { CommitLog, SysLog } from './axiom.ts';
import type { Commit, CommitType, FieldsOf } from './commits.ts';
import type { MessageQueue } from './ipc.ts';
import { type Checkpoint, checkpointOf } from './replay.ts';
import { KernelState } from './state.ts';

/** What the supervisor must act on; drained with Kernel.takeEvents(). */
export type KernelEvent =
  | { kind: 'wake'; pid: number; result: number; data: Uint8Array | null }
  | { kind: 'message'; pid: number } // a message waits in a queue this process owns
  | { kind: 'room'; pid: number } // a queue that answered this process E_AGAIN has room again
  | { kind: 'ended'; pid: number };

/** A syscall's answer as the process sees it: `result` already in its ABI shape. */
export type SyscallOutcome =
  | { kind: 'done'; result: number; data: Uint8Array | null }
  | { kind: 'blocked' } // the answer comes later as a 'wake' event
  | { kind: 'exited' };

/** What a handler returns; the gateway turns it into the row's result shape. */
export type HandlerResult =
  | { kind: 'ok'; value: number; data: Uint8Array | null }
  | { kind: 'fail'; code: number }
  | { kind: 'blocked' }
  | { kind: 'exited' };
export type Answer = Extract<HandlerResult, { kind: 'ok' | 'fail' }>;

export const ok = (value = 0, data: Uint8Array | null = null): Answer => ({ kind: 'ok', value, data });
export const fail = (code: number): Answer => ({ kind: 'fail', code });
export const BLOCKED: HandlerResult = { kind: 'blocked' };
export const EXITED: HandlerResult = { kind: 'exited' };

/**
 * An answer in the result shape of syscall `num` (ABI §2): the one place
 * where errors are encoded, from the syscall table.
 */
export function encodeAnswer(num: number, a: Answer): number {
  if (a.kind === 'ok') return a.value;
  switch (shapeOf(num)) {
    case 'slot': return (A.SLOT_ERROR_BIT | a.code) | 0;
    case 'length': return -a.code;
    default: return a.code;
  }
}

/** The low or high 32 bits of a non-negative time or id, as an i32 (GET_TIME's `part`). */
export function half(value: number, part: number): number {
  const v = Math.max(0, Math.floor(value));
  return (part === A.PART_HIGH ? Math.floor(v / 2 ** 32) : v % 2 ** 32) | 0;
}

export type SpawnAnswer = { pid: number } | { error: number; message: string };

export interface KernelOptions {
  bootWallclockMs?: number; // GET_WALLCLOCK = this + time since boot
  queueCapacity?: number;
  syslogCapacity?: number;
  maxSlots?: number; // per CSpace
  maxEndpoints?: number; // per process
  consoleCapacity?: number; // undrained console bytes per process
  maxProcesses?: number; // live processes
  maxChildren?: number; // live processes started on one process's behalf
  maxUnaskedGrants?: number; // capabilities one process holds CAP_GRANTed into another's CSpace
  /**
   * Carries out INIT:SPAWN for PID 1 (the supervisor owns the binaries);
   * `causedBy` is the DEBUG request, for the new process's commits;
   * `requester` the process init spawns it for.
   */
  spawnRequest?: (name: string, now: number, causedBy: number, requester: number) => SpawnAnswer;
  /** The programs INIT:SPAWN can start, for INIT:PROGRAMS (zos). */
  programs?: () => readonly string[];
  /** A checkpoint (a verified snapshot of the state) every this many commits. */
  checkpointEvery?: number;
  /**
   * Commits to keep in memory at least; older ones, covered by a checkpoint,
   * go to `onTrim` (the page spills them to IndexedDB, `zos run --trace`
   * writes them out) and are dropped. Infinity keeps them all.
   */
  retainCommits?: number;
  onTrim?: (dropped: Commit[]) => void;
}

/** A blocked syscall: `num` says how its eventual answer is shaped. */
export type Wait =
  | { kind: 'receive'; num: number; request: number; endpoint: number; slot: number; deadline: number | null }
  | { kind: 'call'; num: number; request: number }
  | { kind: 'sleep'; num: number; request: number; deadline: number };

/** Per-process facts for the views, outside the state hash; kept after the process ends. */
export interface ProcessFacts {
  syscalls: number;
  memoryBytes: number;
  /** On whose behalf it was started: init's requester (INIT:SPAWN), else the parent. */
  requester: number;
}

/** Runtime bookkeeping of a live process, outside the replayable state. */
export interface Runtime {
  wait: Wait | null;
  replyRights: Set<number>; // callers whose CALL this process received, unanswered
  newestEndpoint: number;
  facts: ProcessFacts;
}

/** One syscall in progress, as handlers see it. */
export interface Syscall {
  pid: number;
  num: number;
  a0: number;
  a1: number;
  a2: number;
  data: Uint8Array;
  request: number; // its SysLog request id
  now: number;
  rt: Runtime;
}

/** Console output not yet drained; kept past the process's end so its last words arrive. */
export interface ConsoleBuffer {
  chunks: Uint8Array[];
  bytes: number;
}

type Limits = Required<Omit<KernelOptions, 'spawnRequest' | 'programs' | 'onTrim'>>;

export class KernelCore {
  readonly state = new KernelState();
  readonly syslog: SysLog;
  readonly commitLog = new CommitLog();
  readonly rt = new Map<number, Runtime>();
  readonly facts = new Map<number, ProcessFacts>();
  readonly queues = new Map<number, MessageQueue>();
  readonly consoles = new Map<number, ConsoleBuffer>();
  readonly fullQueueSenders = new Map<number, Set<number>>(); // endpoint → pids told E_AGAIN
  /** Capabilities in flight that a revoke removed: they must not land. */
  readonly revokedInFlight = new Set<number>();
  /** Lease ends, soonest first (cspace.ts). */
  readonly leases: { id: number; expires: number }[] = [];
  /** `granter:target` → ids of the capabilities CAP_GRANT put there unasked (the bound's count). */
  readonly unaskedGrants = new Map<string, Set<number>>();
  readonly debugLines: { time: number; pid: number; text: string }[] = [];
  readonly limits: Limits;
  readonly spawnRequest: KernelOptions['spawnRequest'];
  readonly programs: KernelOptions['programs'];
  private readonly onTrim: KernelOptions['onTrim'];
  /** Checkpoints from the one the kept log hangs from (none: it starts at Genesis) to the newest. */
  readonly checkpoints: Checkpoint[] = [];
  events: KernelEvent[] = [];
  notificationsDropped = 0;
  private lastTime = 0;

  constructor(options: KernelOptions) {
    const { spawnRequest, programs, onTrim, ...rest } = options;
    this.limits = {
      bootWallclockMs: 0, queueCapacity: A.DEFAULT_QUEUE_CAPACITY, syslogCapacity: 100_000,
      maxSlots: A.MAX_SLOTS, maxEndpoints: A.MAX_ENDPOINTS, consoleCapacity: A.CONSOLE_CAPACITY,
      maxProcesses: A.MAX_PROCESSES, maxChildren: A.MAX_CHILDREN, maxUnaskedGrants: A.MAX_UNASKED_GRANTS,
      checkpointEvery: 10_000, retainCommits: Infinity, ...rest,
    };
    this.spawnRequest = spawnRequest;
    this.programs = programs;
    this.onTrim = onTrim;
    this.syslog = new SysLog(this.limits.syslogCapacity);
    this.commit(0, 'Genesis', {}, null);
  }

  /** The one way replayable state changes: a commit, appended, then applied. */
  commit<T extends CommitType>(now: number, type: T, fields: FieldsOf<T>, causedBy: number | null): void {
    this.state.apply(this.commitLog.append(now, type, fields, causedBy));
    if (this.commitLog.length % this.limits.checkpointEvery === 0) this.checkpoint();
  }

  /**
   * A checkpoint of the state now; then, past `retainCommits`, the commits
   * before the newest checkpoint that leaves at least that many in memory
   * are handed to onTrim and dropped.
   */
  private checkpoint(): void {
    const log = this.commitLog;
    this.checkpoints.push(checkpointOf(this.state, log.length - 1, log.head));
    const keepFrom = log.length - this.limits.retainCommits;
    let cut = -1;
    for (let i = 0; i < this.checkpoints.length; i++) if (this.checkpoints[i]!.seq < keepFrom) cut = i;
    if (cut < 0) return;
    const dropped = log.dropBefore(this.checkpoints[cut]!.seq + 1);
    this.checkpoints.splice(0, cut); // the cut one stays: the kept log hangs from it
    if (dropped.length) this.onTrim?.(dropped);
  }

  /** Times given to the kernel never go backwards in its logs. */
  clock(now: number): number {
    if (Number.isFinite(now) && now > this.lastTime) this.lastTime = now;
    return this.lastTime;
  }

  debug(time: number, pid: number, text: string): void {
    this.debugLines.push({ time, pid, text });
    if (this.debugLines.length > 1000) this.debugLines.shift();
  }
}
