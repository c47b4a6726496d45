// The kernel's only way in: the Axiom gateway.
//
// Every syscall enters through `syscall`: its request goes into the SysLog,
// the rights its row in abi-table.ts names are checked (rights.ts), its
// handler runs, and the answer is encoded in the row's result shape and
// logged. State changes inside are commits (core.ts). The privileged calls
// below are the supervisor's; time always comes in as an argument, and
// nothing here touches a clock, a timer, a worker or the DOM.

import * as A from './abi.ts';
import { SYSCALLS, type SyscallRow } from './abi-table.ts';
import type { IntegrityReport, SysLog } from './axiom.ts';
import { sysZosAxiom } from './axiom-text.ts';
import type { Commit } from './commits.ts';
import {
  type Answer, encodeAnswer, fail, type HandlerResult, KernelCore, type KernelEvent, type KernelOptions,
  type Syscall, type SyscallOutcome,
} from './core.ts';
import * as cspace from './cspace.ts';
import type { Cap } from './cspace.ts';
import * as ipc from './ipc.ts';
import * as proc from './process.ts';
import { stateHashOf } from './replay.ts';
import * as R from './rights.ts';
import type { KernelState } from './state.ts';
import {
  type CapInfo, capsOf, type EndpointInfo, endpointsOf, type KernelView, type ProcessInfo, processesOf, processOf, type RuntimeFacts,
} from './view.ts';

type Handler = (k: KernelCore, c: Syscall, cap: Cap | undefined) => HandlerResult;

/** One handler per row of the syscall table, grouped by the file of its concern. */
export const HANDLERS: ReadonlyMap<number, Handler> = new Map<number, Handler>([
  [A.SYS_DEBUG, proc.sysDebug],
  [A.SYS_GET_TIME, proc.sysGetTime],
  [A.SYS_GET_PID, proc.sysGetPid],
  [A.SYS_LIST_CAPS, cspace.sysListCaps],
  [A.SYS_LIST_PROCS, proc.sysListProcs],
  [A.SYS_GET_WALLCLOCK, proc.sysGetWallclock],
  [A.SYS_CONSOLE_WRITE, proc.sysConsoleWrite],
  [A.SYS_THREAD_CREATE, proc.sysThreadCreate],
  [A.SYS_EXIT, proc.sysExit],
  [A.SYS_YIELD, proc.sysYield],
  [A.SYS_SLEEP, proc.sysSleep],
  [A.SYS_CAP_GRANT, cspace.sysCapGrant],
  [A.SYS_CAP_REVOKE, cspace.sysCapRevoke],
  [A.SYS_CAP_DELETE, cspace.sysCapDelete],
  [A.SYS_CAP_INSPECT, cspace.sysCapInspect],
  [A.SYS_CAP_DERIVE, cspace.sysCapDerive],
  [A.SYS_EP_CREATE, ipc.sysEpCreate],
  [A.SYS_SEND, ipc.sysSend],
  [A.SYS_RECEIVE, ipc.sysReceive],
  [A.SYS_CALL, ipc.sysSend],
  [A.SYS_REPLY, ipc.sysReply],
  [A.SYS_SEND_CAP, ipc.sysSendCap],
  [A.SYS_ZOS_AXIOM, sysZosAxiom],
  [A.SYS_ZOS_KILL, proc.sysKill],
  [A.SYS_ZOS_LEASE, cspace.sysZosLease],
  [A.SYS_ZOS_LEASE_LEFT, cspace.sysZosLeaseLeft],
]);

/** The table and the handlers must match row for row; throws naming the first mismatch. */
export function checkSyscallTable(rows: ReadonlyMap<number, SyscallRow>, handlers: ReadonlyMap<number, unknown>): void {
  for (const num of rows.keys()) if (!handlers.has(num)) throw new Error(`syscall 0x${num.toString(16)} has a row but no handler`);
  for (const num of handlers.keys()) if (!rows.has(num)) throw new Error(`syscall 0x${num.toString(16)} has a handler but no row`);
}
checkSyscallTable(SYSCALLS, HANDLERS);

/** The capability operations the desktop may make on a process's behalf (they never block). */
const ACTS_FOR = new Set([A.SYS_CAP_GRANT, A.SYS_CAP_DERIVE, A.SYS_CAP_REVOKE, A.SYS_CAP_DELETE]);

const EMPTY = new Uint8Array(0);

export class Kernel {
  private readonly k: KernelCore;

  constructor(options: KernelOptions = {}) {
    this.k = new KernelCore(options);
  }

  /**
   * The time every entry runs at: never before the last one, and with every
   * lease that ended by then already expired, so no capability is used, shown
   * or moved past its lease whenever tick() last ran.
   */
  private at(now: number): number {
    const t = this.k.clock(now);
    cspace.expireLeases(this.k, t);
    return t;
  }

  /** The latest time the kernel was given (ns since boot). */
  get time(): number {
    return this.k.clock(-Infinity);
  }

  // -------------------------------------------------------------------------
  // The gateway.

  syscall(pid: number, num: number, a0: number, a1: number, a2: number,
    data: Uint8Array = EMPTY, now = 0, requestOverflow = false): SyscallOutcome {
    const k = this.k;
    now = this.at(now);
    const c = { pid, num, a0: a0 | 0, a1: a1 | 0, a2: a2 | 0, data, request: 0, now, rt: k.rt.get(pid)! };
    c.request = k.syslog.request(pid, now, num, c.a0, c.a1, c.a2);
    let out: HandlerResult;
    if (!c.rt || c.rt.wait) out = fail(A.E_PERM); // not a live, running process
    else {
      c.rt.facts.syscalls++;
      out = requestOverflow || data.length > A.MAX_REQUEST_DATA ? fail(A.E_OVERFLOW) : this.dispatch(c);
    }
    if (out.kind === 'blocked' || out.kind === 'exited') return out;
    const result = encodeAnswer(num, out);
    k.syslog.response(c.request, now, result);
    return { kind: 'done', result, data: out.kind === 'ok' ? out.data : null };
  }

  /** The row's rights check, then its handler; unknown numbers answer E_NOSYS. */
  private dispatch(c: Syscall): HandlerResult {
    const row = SYSCALLS.get(c.num);
    const handler = HANDLERS.get(c.num);
    if (!row || !handler) return fail(A.E_NOSYS);
    let cap: Cap | undefined;
    if (row.needs) {
      cap = cspace.capIn(this.k, c.pid, [c.a0, c.a1, c.a2][row.needs.slotArg]!);
      const owner = cap?.type === A.OBJ_ENDPOINT ? this.k.state.endpoints.get(cap.object)?.owner : undefined;
      const check = R.mayUse(row.needs, cap, c.pid, owner);
      if (check !== A.E_OK) return fail(check);
    }
    return handler(this.k, c, cap);
  }

  /**
   * A capability operation made from the desktop on a process's behalf: the
   * same row, rights check and handler as the syscall, logged with `by: 0`.
   * Allowed while the process waits, since these never block.
   */
  actFor(pid: number, num: number, a0: number, a1: number, a2: number, now = 0): number {
    const k = this.k;
    if (!ACTS_FOR.has(num)) return encodeAnswer(num, fail(A.E_INVAL));
    now = this.at(now);
    const request = k.syslog.request(pid, now, num, a0 | 0, a1 | 0, a2 | 0, A.PID_SUPERVISOR);
    const rt = k.rt.get(pid);
    const out = rt ? this.dispatch({ pid, num, a0: a0 | 0, a1: a1 | 0, a2: a2 | 0, data: EMPTY, request, now, rt })
      : fail(A.E_NOENT);
    const result = encodeAnswer(num, out as Answer);
    k.syslog.response(request, now, result);
    return result;
  }

  // -------------------------------------------------------------------------
  // Privileged calls, for the supervisor only.

  registerSupervisor(now = 0): void {
    proc.registerSupervisor(this.k, this.at(now));
  }

  spawn(name: string, now = 0, parent: number = A.PID_SUPERVISOR, causedBy: number | null = null,
    requester = parent): number {
    return proc.spawn(this.k, name, this.at(now), parent, causedBy, requester);
  }

  kill(pid: number, now = 0, description = 'killed by the supervisor'): boolean {
    return this.fault(pid, 'killed', description, now);
  }

  /** Ends a process for a trap, an abort, a limit or a kill; cleans up as EXIT does. */
  fault(pid: number, reason: string, description: string, now = 0): boolean {
    return proc.fault(this.k, pid, reason, description, this.at(now));
  }

  /** Console input as CONSOLE_INPUT from PID 0 on slot 1; a status (E_AGAIN: queue full). */
  deliverConsoleInput(pid: number, bytes: Uint8Array, now = 0): number {
    return ipc.deliverConsoleInput(this.k, pid, bytes, this.at(now));
  }

  /** Removes a capability and everything derived from it, notifying every holder. */
  removeCapability(pid: number, slot: number, now = 0, causedBy: number | null = null): number {
    const cap = cspace.capIn(this.k, pid, slot);
    if (!cap) return A.E_BADF;
    cspace.revokeWithRoot(this.k, cap, this.at(now), causedBy);
    return A.E_OK;
  }

  /** Puts a capability into a process (docs/abi.md §6 INIT:GRANT); a slot-shaped result. */
  grantObject(pid: number, type: number, object: number, perms: number, now = 0,
    causedBy: number | null = null, preferredSlot = 0): number {
    const r = cspace.grantObject(this.k, pid, type, object, perms, this.at(now), causedBy, preferredSlot);
    return encodeAnswer(A.SYS_CAP_GRANT, r);
  }

  /** Expires sleeps and receive timeouts whose time has come. */
  tick(now: number): void {
    proc.tick(this.k, this.at(now));
  }

  /** The earliest time at which tick() has something to do, or null. */
  nextDeadline(): number | null {
    return proc.nextDeadline(this.k);
  }

  takeEvents(): KernelEvent[] {
    const out = this.k.events;
    this.k.events = [];
    return out;
  }

  /** Console output written since the last drain, per process. */
  drainConsole(): [number, Uint8Array][] {
    const out: [number, Uint8Array][] = [];
    for (const [pid, buf] of this.k.consoles) {
      const all = new Uint8Array(buf.bytes);
      let at = 0;
      for (const chunk of buf.chunks) { all.set(chunk, at); at += chunk.length; }
      out.push([pid, all]);
    }
    this.k.consoles.clear();
    return out;
  }

  takeDebug(): { time: number; pid: number; text: string }[] {
    return this.k.debugLines.splice(0);
  }

  setMemorySize(pid: number, bytes: number): void {
    const rt = this.k.rt.get(pid);
    if (rt) rt.facts.memoryBytes = bytes;
  }

  // -------------------------------------------------------------------------
  // Looking: the read-only view, and the logs for the supervisor and tests.

  /** A view that can read everything and change nothing (what the desktop gets). */
  readonly view: KernelView = ((): KernelView => {
    const facts: RuntimeFacts = {
      waiting: (pid) => !!this.k.rt.get(pid)?.wait,
      facts: (pid) => this.k.facts.get(pid),
      queued: (id) => this.k.queues.get(id)?.length ?? 0,
    };
    return {
      processes: () => processesOf(this.k.state, facts),
      process: (pid) => processOf(this.k.state, pid, facts),
      caps: (pid) => capsOf(this.k.state, pid),
      endpoints: () => endpointsOf(this.k.state, facts),
      isWaiting: facts.waiting,
      commitCount: () => this.k.commitLog.length,
      firstCommit: () => this.k.commitLog.first,
      commits: (from, to) => this.k.commitLog.range(from, to),
      checkpoint: () => (this.k.commitLog.first > 0 ? this.k.checkpoints[0]! : null),
      syslog: (count) => this.k.syslog.tail(count),
      syslogStats: () => ({ kept: this.k.syslog.length, trimmed: this.k.syslog.trimmed }),
      stateHash: () => this.stateHash(),
      verify: () => this.verifyIntegrity(),
    };
  })();

  processes(): ProcessInfo[] {
    return this.view.processes();
  }

  caps(pid?: number): CapInfo[] {
    return this.view.caps(pid);
  }

  endpoints(): EndpointInfo[] {
    return this.view.endpoints();
  }

  isWaiting(pid: number): boolean {
    return !!this.k.rt.get(pid)?.wait;
  }

  stateHash(): string {
    return stateHashOf(this.k.state);
  }

  verifyIntegrity(): IntegrityReport {
    return this.k.commitLog.verifyIntegrity();
  }

  /** The commits kept in memory (all of them unless retainCommits is set). */
  get commits(): readonly Commit[] {
    return this.k.commitLog.range();
  }

  get syslog(): SysLog {
    return this.k.syslog;
  }

  /** The replayable state, for tests that compare it with a replay. */
  get state(): KernelState {
    return this.k.state;
  }

  /** Revocation notices that had no slot-1 endpoint of its holder's own to go to. */
  get notificationsDropped(): number {
    return this.k.notificationsDropped;
  }
}
