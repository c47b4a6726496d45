// The zos kernel: a pure, deterministic state machine.
//
// Read this file top to bottom: the gateway (`syscall`), then one handler per
// syscall in ABI order, then the privileged calls the supervisor makes, then
// the shared machinery (messages, waits, process end). Time always comes in as
// an argument; nothing here touches a clock, a timer, a worker or the DOM.
// Permission questions are answered by rights.ts; state changes are commits
// applied by state.ts; the logs are axiom.ts.

import * as A from './abi.ts';
import { CommitLog, SysLog, sha256Hex, type IntegrityReport } from './axiom.ts';
import type { CommitFields, CommitType } from './commits.ts';
import { encodeReceived, MessageQueue, type Message } from './ipc.ts';
import * as R from './rights.ts';
import { KernelState, type Cap, type ProcessRecord } from './state.ts';
import { formatAxiomText } from './axiom-text.ts';

export type SyscallOutcome =
  | { kind: 'done'; result: number; data: Uint8Array | null }
  | { kind: 'blocked' } // the answer comes later as a 'wake' event
  | { kind: 'exited' };

/** What the supervisor must act on; drained with takeEvents(). */
export type KernelEvent =
  | { kind: 'wake'; pid: number; result: number; data: Uint8Array | null }
  | { kind: 'message'; pid: number } // a message waits in a queue this process owns
  | { kind: 'room'; pid: number } // a queue that answered this process E_AGAIN has room again
  | { kind: 'ended'; pid: number };

export type SpawnAnswer = { pid: number } | { error: number; message: string };

export interface KernelOptions {
  bootWallclockMs?: number; // GET_WALLCLOCK = this + time since boot
  queueCapacity?: number;
  syslogCapacity?: number;
  maxSlots?: number; // per CSpace
  maxEndpoints?: number; // per process
  consoleCapacity?: number; // undrained console bytes per process
  /**
   * Carries out INIT:SPAWN for PID 1 (the supervisor owns the binaries);
   * `causedBy` is the DEBUG request, for the new process's commits.
   */
  spawnRequest?: (name: string, now: number, causedBy: number) => SpawnAnswer;
}

type Shape = 'status' | 'slot' | 'length' | 'value';

type Wait =
  | { kind: 'receive'; request: number; endpoint: number; slot: number; deadline: number | null }
  | { kind: 'call'; request: number }
  | { kind: 'sleep'; request: number; deadline: number };

/** Runtime bookkeeping of a live process, outside the replayable state. */
interface Runtime {
  wait: Wait | null;
  replyRights: Set<number>; // callers whose CALL this process received, unanswered
  newestEndpoint: number;
  usage: Usage;
}

/** Per-process counters for the UI; kept after the process ends. */
interface Usage {
  syscalls: number;
  memoryBytes: number;
}

/** Console output not yet drained; kept past the process's end so its last words arrive. */
interface ConsoleBuffer {
  chunks: Uint8Array[];
  bytes: number;
}

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
}

export interface CapInfo {
  pid: number; slot: number; id: number; type: number; object: number; perms: number; parent: number;
}

export interface EndpointInfo {
  id: number; owner: number; queued: number; holders: { pid: number; slot: number; perms: number }[];
}

interface Call {
  pid: number; a0: number; a1: number; a2: number; data: Uint8Array; request: number; now: number;
  rt: Runtime;
}

const done = (result: number, data: Uint8Array | null = null): SyscallOutcome =>
  ({ kind: 'done', result, data });
const BLOCKED: SyscallOutcome = { kind: 'blocked' };
const EXITED: SyscallOutcome = { kind: 'exited' };
const EMPTY = new Uint8Array(0);
const utf8 = new TextDecoder();
const utf8enc = new TextEncoder();

/** How each syscall reports an error (ABI §2); 'value' calls have no error form. */
const SHAPES: Record<number, Shape> = {
  [A.SYS_CAP_GRANT]: 'slot', [A.SYS_CAP_DERIVE]: 'slot', [A.SYS_EP_CREATE]: 'slot',
  [A.SYS_RECEIVE]: 'length', [A.SYS_CALL]: 'length', [A.SYS_ZOS_AXIOM]: 'length',
  [A.SYS_GET_TIME]: 'value', [A.SYS_GET_PID]: 'value', [A.SYS_GET_WALLCLOCK]: 'value',
  [A.SYS_CAP_INSPECT]: 'value',
};

export function encodeError(num: number, code: number): number {
  switch (SHAPES[num] ?? 'status') {
    case 'slot': return (A.SLOT_ERROR_BIT | code) | 0;
    case 'length': return -code;
    default: return code;
  }
}

const u32 = (n: number): number => n >>> 0;

export class Kernel {
  readonly state = new KernelState();
  readonly syslog: SysLog;
  readonly commitLog = new CommitLog();
  private readonly rt = new Map<number, Runtime>();
  private readonly queues = new Map<number, MessageQueue>();
  private readonly consoles = new Map<number, ConsoleBuffer>();
  private readonly usage = new Map<number, Usage>();
  private readonly fullQueueSenders = new Map<number, Set<number>>(); // endpoint → pids told E_AGAIN
  private events: KernelEvent[] = [];
  private readonly debugLines: { time: number; pid: number; text: string }[] = [];
  private lastTime = 0;
  private readonly opt: Required<Omit<KernelOptions, 'spawnRequest'>> & Pick<KernelOptions, 'spawnRequest'>;
  notificationsDropped = 0;

  private readonly handlers: Record<number, (c: Call) => SyscallOutcome> = {
    [A.SYS_DEBUG]: (c) => this.sysDebug(c),
    [A.SYS_GET_TIME]: (c) => done(this.timeHalf(c.now, c.a0)),
    [A.SYS_GET_PID]: (c) => done(c.pid),
    [A.SYS_LIST_CAPS]: (c) => this.sysListCaps(c),
    [A.SYS_LIST_PROCS]: () => this.sysListProcs(),
    [A.SYS_GET_WALLCLOCK]: (c) => done(this.timeHalf(this.opt.bootWallclockMs + c.now / 1e6, c.a0)),
    [A.SYS_CONSOLE_WRITE]: (c) => this.sysConsoleWrite(c),
    [A.SYS_THREAD_CREATE]: () => done(A.E_NOSYS),
    [A.SYS_EXIT]: (c) => this.sysExit(c),
    [A.SYS_YIELD]: () => done(A.E_OK),
    [A.SYS_SLEEP]: (c) => this.sysSleep(c),
    [A.SYS_CAP_GRANT]: (c) => this.sysGrant(c),
    [A.SYS_CAP_REVOKE]: (c) => this.sysRevoke(c),
    [A.SYS_CAP_DELETE]: (c) => this.sysDelete(c),
    [A.SYS_CAP_INSPECT]: (c) => this.sysInspect(c),
    [A.SYS_CAP_DERIVE]: (c) => this.sysDerive(c),
    [A.SYS_EP_CREATE]: (c) => this.sysEpCreate(c),
    [A.SYS_SEND]: (c) => this.sysSend(c, false),
    [A.SYS_RECEIVE]: (c) => this.sysReceive(c),
    [A.SYS_CALL]: (c) => this.sysSend(c, true),
    [A.SYS_REPLY]: (c) => this.sysReply(c),
    [A.SYS_SEND_CAP]: (c) => this.sysSendCap(c),
    [A.SYS_ZOS_AXIOM]: (c) => this.sysAxiom(c),
    [A.SYS_ZOS_KILL]: (c) => this.sysKill(c),
  };

  constructor(options: KernelOptions = {}) {
    this.opt = {
      bootWallclockMs: 0, queueCapacity: A.DEFAULT_QUEUE_CAPACITY, syslogCapacity: 100_000,
      maxSlots: 1024, maxEndpoints: 256, consoleCapacity: 1 << 20, ...options,
    };
    this.syslog = new SysLog(this.opt.syslogCapacity);
    this.commit(0, 'Genesis', {}, null);
  }

  // ---------------------------------------------------------------------
  // The gateway: every syscall enters here, and nothing else runs one.

  syscall(pid: number, num: number, a0: number, a1: number, a2: number,
    data: Uint8Array = EMPTY, now = 0, requestOverflow = false): SyscallOutcome {
    now = this.clock(now);
    a0 |= 0;
    a1 |= 0;
    a2 |= 0;
    const request = this.syslog.request(pid, now, num, a0, a1, a2);
    const rt = this.rt.get(pid);
    let out: SyscallOutcome;
    if (!rt || rt.wait) {
      out = done(encodeError(num, A.E_PERM)); // not a live, running process
    } else if (requestOverflow || data.length > A.MAX_REQUEST_DATA) {
      rt.usage.syscalls++;
      out = done(encodeError(num, A.E_OVERFLOW));
    } else {
      rt.usage.syscalls++;
      const handler = this.handlers[num];
      out = handler ? handler({ pid, a0, a1, a2, data, request, now, rt }) : done(A.E_NOSYS);
    }
    if (out.kind === 'done') this.syslog.response(request, now, out.result);
    return out;
  }

  // ---------------------------------------------------------------------
  // Syscall handlers, in ABI order.

  private sysDebug(c: Call): SyscallOutcome {
    if (c.a0 < 0 || c.a0 > c.data.length) return done(A.E_INVAL);
    const text = utf8.decode(c.data.subarray(0, c.a0));
    this.debug(c.now, c.pid, text);
    // Only PID 1 speaks to the supervisor (ABI §6); from anyone else it is text.
    if (c.pid !== A.PID_INIT || !text.startsWith('INIT:')) return done(A.E_OK);
    return this.initRequest(text, c.now, c.request);
  }

  private timeHalf(value: number, part: number): number {
    const v = Math.max(0, Math.floor(value));
    return (part === A.PART_HIGH ? Math.floor(v / 2 ** 32) : v % 2 ** 32) | 0;
  }

  private sysListCaps(c: Call): SyscallOutcome {
    const caps = [...this.proc(c.pid).cspace.values()].sort((a, b) => a.slot - b.slot);
    const out = new Uint8Array(4 + 13 * caps.length);
    const v = new DataView(out.buffer);
    v.setUint32(0, caps.length, true);
    caps.forEach((cap, i) => {
      v.setUint32(4 + 13 * i, cap.slot, true);
      v.setUint8(8 + 13 * i, cap.type);
      v.setBigUint64(9 + 13 * i, BigInt(cap.object), true);
    });
    return done(A.E_OK, out);
  }

  private sysListProcs(): SyscallOutcome {
    const live = [...this.state.procs.values()].filter((p) => p.status === 'alive' && p.pid !== A.PID_SUPERVISOR);
    const names = live.map((p) => utf8enc.encode(p.name).subarray(0, 0xffff));
    const out = new Uint8Array(4 + names.reduce((n, b) => n + 6 + b.length, 0));
    const v = new DataView(out.buffer);
    v.setUint32(0, live.length, true);
    let at = 4;
    live.forEach((p, i) => {
      v.setUint32(at, p.pid, true);
      v.setUint16(at + 4, names[i]!.length, true);
      out.set(names[i]!, at + 6);
      at += 6 + names[i]!.length;
    });
    return done(A.E_OK, out);
  }

  private sysConsoleWrite(c: Call): SyscallOutcome {
    if (c.a0 < 0 || c.a0 > c.data.length) return done(A.E_INVAL);
    const buf = this.consoles.get(c.pid) ?? { chunks: [], bytes: 0 };
    if (buf.bytes + c.a0 > this.opt.consoleCapacity) return done(A.E_AGAIN);
    if (c.a0 > 0) {
      buf.chunks.push(c.data.slice(0, c.a0));
      buf.bytes += c.a0;
      this.consoles.set(c.pid, buf);
    }
    return done(A.E_OK);
  }

  private sysExit(c: Call): SyscallOutcome {
    this.syslog.response(c.request, c.now, A.E_OK);
    this.end(c.pid, { code: c.a0 }, c.now, c.request);
    return EXITED;
  }

  private sysSleep(c: Call): SyscallOutcome {
    const ns = u32(c.a1) * 2 ** 32 + u32(c.a0);
    if (ns === 0) return done(A.E_OK);
    c.rt.wait = { kind: 'sleep', request: c.request, deadline: c.now + ns };
    return BLOCKED;
  }

  private sysGrant(c: Call): SyscallOutcome {
    const src = this.capIn(c.pid, c.a0);
    const check = R.mayGrant(src);
    if (check !== A.E_OK) return done(encodeError(A.SYS_CAP_GRANT, check));
    const slot = this.copyCap(src!, c.a1, R.attenuate(src!.perms, c.a2), c.now, c.request);
    return done(slot);
  }

  private sysRevoke(c: Call): SyscallOutcome {
    const cap = this.capIn(c.pid, c.a0);
    const check = R.mayRevoke(cap);
    if (check !== A.E_OK) return done(check);
    this.revokeDescendants(cap!, c.now, c.request);
    return done(A.E_OK);
  }

  private sysDelete(c: Call): SyscallOutcome {
    const check = R.mayDelete(this.capIn(c.pid, c.a0));
    if (check !== A.E_OK) return done(check);
    this.commit(c.now, 'CapRemoved', { pid: c.pid, slot: c.a0, moving: 0 }, c.request);
    return done(A.E_OK);
  }

  private sysInspect(c: Call): SyscallOutcome {
    const cap = this.capIn(c.pid, c.a0);
    if (!cap) return done(0);
    const out = new Uint8Array(16);
    const v = new DataView(out.buffer);
    v.setUint8(0, cap.type);
    v.setUint8(1, cap.perms);
    v.setUint32(4, cap.slot, true);
    v.setBigUint64(8, BigInt(cap.object), true);
    return done(1, out);
  }

  private sysDerive(c: Call): SyscallOutcome {
    const src = this.capIn(c.pid, c.a0);
    const check = R.mayDerive(src);
    if (check !== A.E_OK) return done(encodeError(A.SYS_CAP_DERIVE, check));
    return done(this.copyCap(src!, c.pid, R.attenuate(src!.perms, c.a1), c.now, c.request));
  }

  private sysEpCreate(c: Call): SyscallOutcome {
    if (c.a0 === A.EP_CREATE_ID_LOW) return done(this.timeHalf(c.rt.newestEndpoint, A.PART_LOW));
    if (c.a0 === A.EP_CREATE_ID_HIGH) return done(this.timeHalf(c.rt.newestEndpoint, A.PART_HIGH));
    if (c.a0 !== A.EP_CREATE_NEW) return done(encodeError(A.SYS_EP_CREATE, A.E_INVAL));
    const owned = [...this.state.endpoints.values()].filter((e) => e.owner === c.pid).length;
    if (owned >= this.opt.maxEndpoints) return done(encodeError(A.SYS_EP_CREATE, A.E_NOMEM));
    const slot = this.freeSlot(c.pid);
    if (slot < 0) return done(encodeError(A.SYS_EP_CREATE, A.E_NOMEM));
    this.createEndpoint(c.pid, slot, c.now, c.request);
    return done(slot);
  }

  /** SEND, and CALL when `isCall`: CALL then waits for the reply. */
  private sysSend(c: Call, isCall: boolean): SyscallOutcome {
    const num = isCall ? A.SYS_CALL : A.SYS_SEND;
    const payload = this.payload(c, c.a2);
    if (typeof payload === 'number') return done(encodeError(num, payload));
    const cap = this.capIn(c.pid, c.a0);
    const check = R.maySend(cap);
    if (check !== A.E_OK) return done(encodeError(num, check));
    const ep = this.state.endpoints.get(cap!.object);
    if (!ep) return done(encodeError(num, A.E_NOENT));
    if (isCall && ep.owner === c.pid) return done(encodeError(num, A.E_INVAL)); // would wait forever
    const msg: Message = { from: c.pid, tag: u32(c.a1), payload, caps: [], isCall };
    // A caller waits before its message can be received: receiving gives the reply right.
    if (isCall) c.rt.wait = { kind: 'call', request: c.request };
    if (this.enqueue(ep.id, msg, false, c.now, c.request)) return isCall ? BLOCKED : done(A.E_OK);
    c.rt.wait = null;
    return done(encodeError(num, A.E_AGAIN));
  }

  private sysReceive(c: Call): SyscallOutcome {
    const cap = this.capIn(c.pid, c.a0);
    const check = R.mayReceive(cap, c.pid, cap ? this.state.endpoints.get(cap.object)?.owner : undefined);
    if (check !== A.E_OK) return done(-check);
    const msg = this.queues.get(cap!.object)?.shift();
    if (msg) {
      this.announceRoom(cap!.object);
      return this.deliver(c.pid, msg, c.now, c.request);
    }
    if ((c.a1 & A.RECV_BLOCK) === 0) return done(0);
    const deadline = c.a2 > 0 ? c.now + c.a2 * 1e6 : null;
    c.rt.wait = { kind: 'receive', request: c.request, endpoint: cap!.object, slot: c.a0, deadline };
    return BLOCKED;
  }

  private sysReply(c: Call): SyscallOutcome {
    const payload = this.payload(c, c.a2);
    if (typeof payload === 'number') return done(payload);
    const caller = c.a0;
    if (!R.mayReply(c.rt.replyRights, caller)) return done(A.E_NOENT);
    c.rt.replyRights.delete(caller);
    const wait = this.rt.get(caller)?.wait;
    if (wait?.kind !== 'call') return done(A.E_NOENT);
    const data = encodeReceived({ from: c.pid, tag: u32(c.a1), payload, caps: [], isCall: false }, []);
    this.wake(caller, data.length, data, c.now);
    return done(A.E_OK);
  }

  private sysSendCap(c: Call): SyscallOutcome {
    const len = c.a2 & A.SEND_CAP_LEN_MASK;
    const count = (c.a2 >>> A.SEND_CAP_COUNT_SHIFT) & 0xffff;
    if (len + 4 * count > c.data.length) return done(A.E_INVAL);
    const payload = this.payload(c, len);
    if (typeof payload === 'number') return done(payload);
    const cap = this.capIn(c.pid, c.a0);
    const check = R.maySend(cap);
    if (check !== A.E_OK) return done(check);
    const ep = this.state.endpoints.get(cap!.object);
    if (!ep) return done(A.E_NOENT);
    // Check every moved capability before moving any: all or nothing.
    const view = new DataView(c.data.buffer, c.data.byteOffset + len, 4 * count);
    const moved: Cap[] = [];
    for (let i = 0; i < count; i++) {
      const slot = view.getUint32(4 * i, true);
      const m = this.capIn(c.pid, slot);
      if (!m) return done(A.E_BADF);
      if (m === cap || moved.includes(m)) return done(A.E_INVAL);
      moved.push(m);
    }
    if ((this.queues.get(ep.id)?.length ?? 0) >= this.opt.queueCapacity) {
      this.noteFull(ep.id, c.pid);
      return done(A.E_AGAIN);
    }
    // Past the last check: the capabilities leave with the message, which cannot now fail.
    const caps = moved.map((m) => this.takeInFlight(m, c.now, c.request));
    this.enqueue(ep.id, { from: c.pid, tag: u32(c.a1), payload, caps, isCall: false }, false, c.now, c.request);
    return done(A.E_OK);
  }

  private sysAxiom(c: Call): SyscallOutcome {
    const text = formatAxiomText(this, c.a0, c.a1 > 0 ? c.a1 : 10);
    if (text === null) return done(-A.E_INVAL);
    // Cut at a line end to fit the response area; the text says how much it kept.
    let bytes = utf8enc.encode(text);
    if (bytes.length > A.MAX_RESPONSE_DATA) {
      const cut = bytes.subarray(0, A.MAX_RESPONSE_DATA - 64).lastIndexOf(10) + 1;
      bytes = utf8enc.encode(`${utf8.decode(bytes.subarray(0, cut))}(cut at ${cut} of ${bytes.length} bytes)\n`);
    }
    return done(bytes.length, bytes);
  }

  private sysKill(c: Call): SyscallOutcome {
    const cap = this.capIn(c.pid, c.a0);
    const check = R.mayKill(cap);
    if (check !== A.E_OK) return done(check);
    // PID 0 is in the table as alive but is not a real process (ABI §4): nothing to end.
    if (this.state.procs.get(cap!.object)?.status !== 'alive' || !this.rt.has(cap!.object)) return done(A.E_NOENT);
    const self = cap!.object === c.pid;
    // Killing oneself never returns, as EXIT: answer in the log before the process ends.
    if (self) this.syslog.response(c.request, c.now, A.E_OK);
    this.end(cap!.object, { reason: 'killed', description: `killed by pid ${c.pid}` }, c.now, c.request);
    return self ? EXITED : done(A.E_OK);
  }

  /**
   * The init channel (ABI §6). SPAWN is carried out by the supervisor, which
   * owns the binaries; GRANT and REVOKE are privileged kernel acts. The new
   * PID or slot comes back as response data `u32` (zos; see docs/abi.md §6).
   */
  private initRequest(text: string, now: number, request: number): SyscallOutcome {
    const [, verb, ...args] = text.split(':');
    const nums = args.map((a) => (/^\d+$/.test(a) ? Number(a) : NaN));
    const answer = (status: number, value?: number): SyscallOutcome => {
      if (value === undefined) return done(status);
      const out = new Uint8Array(4);
      new DataView(out.buffer).setUint32(0, value, true);
      return done(status, out);
    };
    if (verb === 'SPAWN' && args.length === 1 && args[0]) {
      const r = this.opt.spawnRequest?.(args[0], now, request) ?? { error: A.E_NOSYS, message: 'no supervisor' };
      if ('error' in r) {
        this.debug(now, A.PID_SUPERVISOR, `INIT:SPAWN:${args[0]} refused: ${r.message}`);
        return answer(r.error);
      }
      return answer(A.E_OK, r.pid);
    }
    if (verb === 'GRANT' && nums.length === 5 && nums.every(Number.isSafeInteger)) {
      const [pid, slot, type, object, perms] = nums as [number, number, number, number, number];
      const r = this.grantObject(pid, type, object, perms, now, request, slot);
      return r < 0 ? answer(r & 0xff) : answer(A.E_OK, r);
    }
    if (verb === 'REVOKE' && nums.length === 2 && nums.every(Number.isSafeInteger)) {
      return answer(this.revokeSlot(nums[0]!, nums[1]!, now, request));
    }
    // zos: who owns an endpoint, so init can accept a REGISTER_SERVICE only
    // from the endpoint's owner without asking registrants for anything more.
    if (verb === 'OWNER' && nums.length === 1 && Number.isSafeInteger(nums[0])) {
      const ep = this.state.endpoints.get(nums[0]!);
      return ep ? answer(A.E_OK, ep.owner) : answer(A.E_NOENT);
    }
    return answer(A.E_INVAL);
  }

  // ---------------------------------------------------------------------
  // Privileged calls, for the supervisor only.

  /** PID 0, named in logs; not a real process (ABI §4). */
  registerSupervisor(now = 0): void {
    this.commit(this.clock(now), 'ProcessCreated', { pid: A.PID_SUPERVISOR, parent: 0, name: 'supervisor' }, null);
  }

  /**
   * Creates a process and its starting capabilities. PID 1 gets the init
   * endpoint (id 1) in slot 0; every other process gets its own endpoint,
   * its input endpoint and a write-only capability to the init endpoint.
   */
  spawn(name: string, now = 0, parent = A.PID_SUPERVISOR, causedBy: number | null = null): number {
    now = this.clock(now);
    if (!this.state.procs.has(A.PID_SUPERVISOR)) this.registerSupervisor(now);
    const pid = Math.max(this.state.nextPid, A.PID_INIT);
    this.commit(now, 'ProcessCreated', { pid, parent, name }, causedBy);
    const usage = { syscalls: 0, memoryBytes: 0 };
    this.usage.set(pid, usage);
    this.rt.set(pid, { wait: null, replyRights: new Set(), newestEndpoint: 0, usage });
    if (pid === A.PID_INIT) {
      this.createEndpoint(pid, A.SLOT_SELF, now, causedBy);
      return pid;
    }
    this.createEndpoint(pid, A.SLOT_SELF, now, causedBy);
    this.createEndpoint(pid, A.SLOT_INPUT, now, causedBy);
    // As INIT:GRANT does: from an init capability that holds write (init may
    // have weakened or moved its slot 0), so rights never grow down the tree
    // and init's REVOKE still reaches it. No init endpoint, no slot 2.
    if (this.state.endpoints.get(A.INIT_ENDPOINT_ID)?.owner === A.PID_INIT) {
      this.grantObject(pid, A.OBJ_ENDPOINT, A.INIT_ENDPOINT_ID, A.PERM_WRITE, now, causedBy, A.SLOT_INIT);
    }
    return pid;
  }

  kill(pid: number, now = 0, description = 'killed by the supervisor'): boolean {
    return this.fault(pid, 'killed', description, now);
  }

  /** Ends a process for a trap, an abort, a limit or a kill; cleans up as EXIT does. */
  fault(pid: number, reason: string, description: string, now = 0): boolean {
    if (this.state.procs.get(pid)?.status !== 'alive' || !this.rt.has(pid)) return false;
    this.end(pid, { reason, description }, this.clock(now), null);
    return true;
  }

  /** Console input arrives as CONSOLE_INPUT from PID 0 on slot 1 (ABI §4, §5). */
  deliverConsoleInput(pid: number, bytes: Uint8Array, now = 0): number {
    now = this.clock(now);
    if (bytes.length > A.MAX_PAYLOAD) return A.E_OVERFLOW;
    const input = this.inputEndpoint(pid);
    if (input === null) return A.E_BADF;
    const msg: Message = { from: A.PID_SUPERVISOR, tag: A.MSG_CONSOLE_INPUT, payload: bytes.slice(), caps: [], isCall: false };
    return this.enqueue(input, msg, false, now, null) ? A.E_OK : A.E_AGAIN;
  }

  /** Removes a capability and everything derived from it, notifying every holder. */
  revokeSlot(pid: number, slot: number, now = 0, causedBy: number | null = null): number {
    now = this.clock(now);
    const cap = this.state.procs.get(pid)?.cspace.get(slot);
    if (!cap) return A.E_BADF;
    this.revokeDescendants(cap, now, causedBy);
    this.commit(now, 'CapRemoved', { pid, slot, moving: 0 }, causedBy);
    this.notifyRevoked(pid, slot, cap, A.REVOKE_EXPLICIT, now, causedBy);
    return A.E_OK;
  }

  /**
   * Puts a capability into a process. For an endpoint it is granted from the
   * owner's capability, so the owner's REVOKE reaches it. Returns the slot or
   * a slot-shaped error.
   */
  grantObject(pid: number, type: number, object: number, perms: number, now = 0,
    causedBy: number | null = null, preferredSlot = 0): number {
    now = this.clock(now);
    const err = (code: number): number => (A.SLOT_ERROR_BIT | code) | 0;
    if (this.state.procs.get(pid)?.status !== 'alive' || pid === A.PID_SUPERVISOR) return err(A.E_NOENT);
    if (type < A.OBJ_ENDPOINT || type > A.OBJ_MEMORY) return err(A.E_INVAL);
    if (type === A.OBJ_PROCESS && this.state.procs.get(object)?.status !== 'alive') return err(A.E_NOENT);
    if (type === A.OBJ_ENDPOINT) {
      const ep = this.state.endpoints.get(object);
      if (!ep) return err(A.E_NOENT);
      // Granted from an owner's capability that holds every requested right:
      // the copy stays within its parent, and the owner's REVOKE reaches it.
      const root = [...this.proc(ep.owner).cspace.values()].find((c) => c.type === type && c.object === object
        && (perms & A.PERM_ALL & ~c.perms) === 0);
      return root ? this.copyCap(root, pid, perms & A.PERM_ALL, now, causedBy, preferredSlot) : err(A.E_PERM);
    }
    const slot = this.freeSlot(pid, preferredSlot);
    if (slot < 0) return err(A.E_NOMEM);
    this.commit(now, 'CapInserted', {
      pid, slot, cap_id: this.state.nextCapId, type, object_id: object, perms: perms & A.PERM_ALL, parent: 0,
    }, causedBy);
    return slot;
  }

  /**
   * A capability operation made from the UI on a process's behalf: the same
   * handler and rights checks as the syscall, logged with `by: 0`. Allowed
   * while the process waits, since these never block.
   */
  actFor(pid: number, num: number, a0: number, a1: number, a2: number, now = 0): number {
    if (![A.SYS_CAP_GRANT, A.SYS_CAP_DERIVE, A.SYS_CAP_REVOKE, A.SYS_CAP_DELETE].includes(num)) {
      return encodeError(num, A.E_INVAL);
    }
    now = this.clock(now);
    const request = this.syslog.request(pid, now, num, a0 | 0, a1 | 0, a2 | 0, A.PID_SUPERVISOR);
    const rt = this.rt.get(pid);
    const out = rt ? this.handlers[num]!({ pid, a0: a0 | 0, a1: a1 | 0, a2: a2 | 0, data: EMPTY, request, now, rt })
      : done(encodeError(num, A.E_NOENT));
    const result = out.kind === 'done' ? out.result : 0;
    this.syslog.response(request, now, result);
    return result;
  }

  /** Expires sleeps and receive timeouts whose time has come. */
  tick(now: number): void {
    now = this.clock(now);
    for (const [pid, rt] of this.rt) {
      const w = rt.wait;
      if (w && w.kind !== 'call' && w.deadline !== null && w.deadline <= now) this.wake(pid, 0, null, now);
    }
  }

  /** The earliest time at which tick() has something to do, or null. */
  nextDeadline(): number | null {
    let next: number | null = null;
    for (const rt of this.rt.values()) {
      const d = rt.wait && rt.wait.kind !== 'call' ? rt.wait.deadline : null;
      if (d !== null && (next === null || d < next)) next = d;
    }
    return next;
  }

  takeEvents(): KernelEvent[] {
    const out = this.events;
    this.events = [];
    return out;
  }

  /** Console output written since the last drain, per process. */
  drainConsole(): [number, Uint8Array][] {
    const out: [number, Uint8Array][] = [];
    for (const [pid, buf] of this.consoles) {
      const all = new Uint8Array(buf.bytes);
      let at = 0;
      for (const chunk of buf.chunks) { all.set(chunk, at); at += chunk.length; }
      out.push([pid, all]);
    }
    this.consoles.clear();
    return out;
  }

  takeDebug(): { time: number; pid: number; text: string }[] {
    return this.debugLines.splice(0);
  }

  setMemorySize(pid: number, bytes: number): void {
    const rt = this.rt.get(pid);
    if (rt) rt.usage.memoryBytes = bytes;
  }

  // ---------------------------------------------------------------------
  // Views for the supervisor, the UI and tests.

  processes(): ProcessInfo[] {
    return [...this.state.procs.values()].map((p) => {
      const rt = this.rt.get(p.pid);
      const state = p.status !== 'alive' ? A.STATE_EXITED : rt?.wait ? A.STATE_WAITING : A.STATE_RUNNING;
      return {
        pid: p.pid, parent: p.parent, name: p.name, state, status: p.status, exitCode: p.exitCode,
        fault: p.fault, syscalls: this.usage.get(p.pid)?.syscalls ?? 0,
        memoryBytes: this.usage.get(p.pid)?.memoryBytes ?? 0,
      };
    });
  }

  caps(pid?: number): CapInfo[] {
    return [...this.state.caps.values()].filter((c) => pid === undefined || c.pid === pid).map((c) => ({
      pid: c.pid!, slot: c.slot, id: c.id, type: c.type, object: c.object, perms: c.perms, parent: c.parent?.id ?? 0,
    }));
  }

  endpoints(): EndpointInfo[] {
    return [...this.state.endpoints.values()].map((e) => ({
      id: e.id, owner: e.owner, queued: this.queues.get(e.id)?.length ?? 0,
      holders: [...this.state.caps.values()].filter((c) => c.type === A.OBJ_ENDPOINT && c.object === e.id)
        .map((c) => ({ pid: c.pid!, slot: c.slot, perms: c.perms })),
    }));
  }

  isWaiting(pid: number): boolean {
    return !!this.rt.get(pid)?.wait;
  }

  stateHash(): string {
    return sha256Hex(this.state.canonical());
  }

  verifyIntegrity(): IntegrityReport {
    return this.commitLog.verifyIntegrity();
  }

  get commits() {
    return this.commitLog.commits;
  }

  // ---------------------------------------------------------------------
  // Machinery.

  private commit(now: number, type: CommitType, fields: CommitFields, causedBy: number | null): void {
    this.state.apply(this.commitLog.append(now, type, fields, causedBy));
  }

  /** Times given to the kernel never go backwards in its logs. */
  private clock(now: number): number {
    if (Number.isFinite(now) && now > this.lastTime) this.lastTime = now;
    return this.lastTime;
  }

  private debug(time: number, pid: number, text: string): void {
    this.debugLines.push({ time, pid, text });
    if (this.debugLines.length > 1000) this.debugLines.shift();
  }

  private proc(pid: number): ProcessRecord {
    return this.state.proc(pid);
  }

  private capIn(pid: number, slot: number): Cap | undefined {
    return this.state.procs.get(pid)?.cspace.get(slot);
  }

  private freeSlot(pid: number, preferred = -1): number {
    const cspace = this.proc(pid).cspace;
    if (preferred >= 0 && preferred < this.opt.maxSlots && !cspace.has(preferred)) return preferred;
    for (let s = 0; s < this.opt.maxSlots; s++) if (!cspace.has(s)) return s;
    return -1;
  }

  /** The request data as a payload of `len` bytes, or an error code. */
  private payload(c: Call, len: number): Uint8Array | number {
    if (len < 0 || len > c.data.length) return A.E_INVAL;
    if (len > A.MAX_PAYLOAD) return A.E_OVERFLOW;
    return c.data.slice(0, len);
  }

  private createEndpoint(owner: number, slot: number, now: number, causedBy: number | null): void {
    const id = this.state.nextEndpointId;
    this.commit(now, 'EndpointCreated', { id, owner }, causedBy);
    this.queues.set(id, new MessageQueue(this.opt.queueCapacity));
    this.commit(now, 'CapInserted', {
      pid: owner, slot, cap_id: this.state.nextCapId, type: A.OBJ_ENDPOINT, object_id: id, perms: A.PERM_ALL, parent: 0,
    }, causedBy);
    this.rt.get(owner)!.newestEndpoint = id;
  }

  /** GRANT and DERIVE: a child of `src` in `toPid`, with rights already attenuated. */
  private copyCap(src: Cap, toPid: number, perms: number, now: number, causedBy: number | null,
    preferredSlot = -1): number {
    if (this.state.procs.get(toPid)?.status !== 'alive' || toPid === A.PID_SUPERVISOR) {
      return (A.SLOT_ERROR_BIT | A.E_NOENT) | 0;
    }
    const slot = this.freeSlot(toPid, preferredSlot);
    if (slot < 0) return (A.SLOT_ERROR_BIT | A.E_NOMEM) | 0;
    this.commit(now, 'CapGranted', {
      from_pid: src.pid!, to_pid: toPid, from_slot: src.slot, to_slot: slot,
      new_cap_id: this.state.nextCapId, perms,
    }, causedBy);
    return slot;
  }

  /** REVOKE: every descendant goes, resident or in flight; each holder hears of it. */
  private revokeDescendants(root: Cap, now: number, causedBy: number | null): void {
    for (const cap of R.descendants(root)) {
      if (cap.pid === null) {
        cap.revokedInFlight = true; // a tombstone; if in flight, it must not land
        continue;
      }
      const { pid, slot } = cap;
      this.commit(now, 'CapRemoved', { pid, slot, moving: 0 }, causedBy);
      this.notifyRevoked(pid, slot, cap, A.REVOKE_EXPLICIT, now, causedBy);
    }
  }

  /**
   * Where PID 0's messages to a process go: the endpoint in its slot 1, and
   * only if the process owns it. Console input and notices come in the
   * kernel's name (notices even past the queue limit), so they must never
   * land in another's queue. A slot 1 may also name an endpoint being
   * destroyed, whose queue is already gone.
   */
  private inputEndpoint(pid: number): number | null {
    const cap = this.rt.has(pid) ? this.capIn(pid, A.SLOT_INPUT) : undefined;
    if (cap?.type !== A.OBJ_ENDPOINT || this.state.endpoints.get(cap.object)?.owner !== pid) return null;
    return this.queues.has(cap.object) ? cap.object : null;
  }

  /** One MSG_CAP_REVOKED per lost capability, to the holder's slot 1. */
  private notifyRevoked(pid: number, slot: number, cap: Cap, reason: number, now: number,
    causedBy: number | null): void {
    const input = this.inputEndpoint(pid);
    if (input === null) {
      this.notificationsDropped++;
      return;
    }
    const payload = new Uint8Array(14);
    const v = new DataView(payload.buffer);
    v.setUint32(0, slot, true);
    v.setUint8(4, cap.type);
    v.setBigUint64(5, BigInt(cap.object), true);
    v.setUint8(13, reason);
    const msg: Message = { from: A.PID_SUPERVISOR, tag: A.MSG_CAP_REVOKED, payload, caps: [], isCall: false };
    this.enqueue(input, msg, true, now, causedBy);
  }

  /**
   * Queues a message, or hands it straight to the owner if it is blocked in
   * RECEIVE on that endpoint (its queue is then empty, so FIFO holds).
   */
  private enqueue(endpoint: number, msg: Message, bypassCapacity: boolean, now: number,
    causedBy: number | null): boolean {
    const queue = this.queues.get(endpoint)!;
    const owner = this.state.endpoints.get(endpoint)!.owner;
    const wait = this.rt.get(owner)?.wait;
    const direct = wait?.kind === 'receive' && wait.endpoint === endpoint;
    if (!direct && !queue.push(msg, bypassCapacity)) {
      this.noteFull(endpoint, msg.from);
      return false;
    }
    this.commit(now, 'MessageSent', {
      from_pid: msg.from, to_endpoint: endpoint, tag: msg.tag, size: msg.payload.length,
    }, causedBy);
    if (direct) {
      const out = this.deliver(owner, msg, now, wait.request) as Extract<SyscallOutcome, { kind: 'done' }>;
      this.wake(owner, out.result, out.data, now);
    } else {
      this.events.push({ kind: 'message', pid: owner });
    }
    return true;
  }

  /** Remembers who found a queue full: they hear when there is room, so a yield can end early. */
  private noteFull(endpoint: number, pid: number): void {
    const senders = this.fullQueueSenders.get(endpoint) ?? new Set();
    this.fullQueueSenders.set(endpoint, senders.add(pid));
  }

  /**
   * Once a full queue has drained to half, those told E_AGAIN hear of it.
   * Not at the first free place: a sender woken per message would cost a
   * thread wake-up per message.
   */
  private announceRoom(endpoint: number): void {
    const senders = this.fullQueueSenders.get(endpoint);
    if (!senders || this.queues.get(endpoint)!.length > this.opt.queueCapacity / 2) return;
    this.fullQueueSenders.delete(endpoint);
    for (const pid of senders) this.events.push({ kind: 'room', pid });
  }

  /** Gives a received message to its receiver: moved capabilities land in new slots. */
  private deliver(pid: number, msg: Message, now: number, causedBy: number): SyscallOutcome {
    const slots = msg.caps.map((cap) => this.landInFlight(cap, pid, now, causedBy));
    if (msg.isCall && this.rt.get(msg.from)?.wait?.kind === 'call') this.rt.get(pid)!.replyRights.add(msg.from);
    const data = encodeReceived(msg, slots);
    return done(data.length, data);
  }

  /** SEND_CAP: the capability leaves its CSpace but keeps its place in the tree. */
  private takeInFlight(cap: Cap, now: number, causedBy: number): Cap {
    this.commit(now, 'CapRemoved', { pid: cap.pid!, slot: cap.slot, moving: 1 }, causedBy);
    return cap; // now a pinned tombstone: same id, same place, same descendants
  }

  private landInFlight(node: Cap, pid: number, now: number, causedBy: number): number {
    const objectGone = node.type === A.OBJ_ENDPOINT ? !this.state.endpoints.has(node.object)
      : node.type === A.OBJ_PROCESS && this.state.procs.get(node.object)?.status !== 'alive';
    const slot = node.revokedInFlight || objectGone ? -1 : this.freeSlot(pid);
    // A lost one stays a pinned tombstone: what was derived from it stays reachable from above.
    if (slot < 0) return A.SLOT_LOST_IN_TRANSIT;
    this.commit(now, 'CapInserted', {
      pid, slot, cap_id: node.id, type: node.type, object_id: node.object, perms: node.perms, parent: node.parent?.id ?? 0,
    }, causedBy);
    return slot;
  }

  private wake(pid: number, result: number, data: Uint8Array | null, now: number): void {
    const rt = this.rt.get(pid)!;
    const request = rt.wait!.request;
    rt.wait = null;
    this.syslog.response(request, now, result);
    this.events.push({ kind: 'wake', pid, result, data });
  }

  /**
   * EXIT, fault or kill: the commit that ends the process, then its
   * cleanup (ABI §3): callers it owed a reply fail, its endpoints are
   * destroyed and others' capabilities to them removed with reason 3, and
   * its own CSpace is dropped.
   */
  private end(pid: number, how: { code: number } | { reason: string; description: string }, now: number,
    causedBy: number | null): void {
    if ('code' in how) this.commit(now, 'ProcessExited', { pid, code: how.code }, causedBy);
    else this.commit(now, 'ProcessFaulted', { pid, ...how }, causedBy);
    const rt = this.rt.get(pid)!;
    if (rt.wait) this.syslog.response(rt.wait.request, now, -A.E_NOENT); // interrupted
    this.rt.delete(pid);
    for (const caller of rt.replyRights) this.failCall(caller, now);
    for (const other of this.rt.values()) other.replyRights.delete(pid);
    for (const senders of this.fullQueueSenders.values()) senders.delete(pid);
    for (const ep of [...this.state.endpoints.values()].filter((e) => e.owner === pid)) {
      this.destroyEndpoint(ep.id, pid, now, causedBy);
    }
    for (const cap of [...this.state.caps.values()]) {
      if (cap.type === A.OBJ_PROCESS && cap.object === pid && cap.pid !== pid) {
        this.removeWithNotice(cap, A.REVOKE_PROCESS_EXITED, now, causedBy);
      }
    }
    for (const slot of [...this.proc(pid).cspace.keys()]) this.commit(now, 'CapRemoved', { pid, slot, moving: 0 }, causedBy);
    this.events.push({ kind: 'ended', pid });
  }

  private destroyEndpoint(id: number, owner: number, now: number, causedBy: number | null): void {
    for (const msg of this.queues.get(id)?.drain() ?? []) {
      if (msg.isCall) this.failCall(msg.from, now);
    }
    this.queues.delete(id);
    this.fullQueueSenders.delete(id);
    for (const cap of [...this.state.caps.values()]) {
      if (cap.type === A.OBJ_ENDPOINT && cap.object === id && cap.pid !== owner) {
        this.removeWithNotice(cap, A.REVOKE_PROCESS_EXITED, now, causedBy);
      }
    }
    this.commit(now, 'EndpointDestroyed', { id }, causedBy);
  }

  private removeWithNotice(cap: Cap, reason: number, now: number, causedBy: number | null): void {
    const { pid, slot } = cap;
    this.commit(now, 'CapRemoved', { pid: pid!, slot, moving: 0 }, causedBy);
    this.notifyRevoked(pid!, slot, cap, reason, now, causedBy);
  }

  /** A CALL whose server is gone: the caller wakes with E_NOENT. */
  private failCall(caller: number, now: number): void {
    if (this.rt.get(caller)?.wait?.kind === 'call') this.wake(caller, -A.E_NOENT, null, now);
  }
}
