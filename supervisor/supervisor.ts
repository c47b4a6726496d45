// The supervisor: boots the kernel, runs every process in its own worker,
// and carries syscalls between the workers' mailboxes and the kernel.
//
// Dispatch (docs/performance.md): a worker rings the doorbell and blocks;
// the pump here wakes through Atomics.waitAsync, drains every pending
// mailbox round-robin within a time budget, answers, and sleeps again.

import * as A from '../kernel/abi.ts';
import {
  type Commit, Kernel, type KernelEvent, type KernelOptions, type KernelView, type ProcessInfo, type SpawnAnswer,
} from '../kernel/index.ts';
import { UnknownAppError, type AppSource } from './apps.ts';
import type { WorkerHandle, WorkerHost } from './host.ts';
import { DOORBELL_BYTES, H, MAILBOX_BYTES, mailboxViews, REQUEST, RESPONSE, RESPONSE_CAPACITY, WAITING, type MailboxViews } from './mailbox.ts';
import { blockedSpinAllowed, SPIN_WORD } from './answer-wait.ts';
import { waitForRing } from './doorbell.ts';
import { installFastSha256 } from './fast-sha256.ts';
import { moduleCache } from './module-cache.ts';
import type { WorkerReport } from './process-shim.ts';
import { DEFAULT_LIMITS, validateModule, type ValidatedModule } from './validate.ts';

export type DispatchMode = 'atomics' | 'poll10';

/** How long a worker spins for a syscall's answer before sleeping (answer-wait.ts). */
export const DEFAULT_SYSCALL_SPIN_MS = 0.05;

/**
 * Commits a supervisor keeps in memory by default: with a checkpoint every
 * 10,000, the log in memory stays between 20,000 and 30,000 commits (a few
 * MB, verified in well under 200 ms) however long the system runs.
 */
export const DEFAULT_RETAIN_COMMITS = 20_000;

/**
 * The longest a zos_yield parks when nothing wakes it (yield-park.ts): ABI
 * §1 lets the runtime park a yield until a message arrives "or a few ms
 * pass", so a yield always returns within a few ms, whatever a loop of
 * yields has done before.
 */
export const DEFAULT_YIELD_PARK_MAX_MS = 8;

export interface SupervisorOptions {
  host: WorkerHost;
  apps: AppSource;
  memoryLimitPages?: number;
  maxBinaryBytes?: number;
  /** Stop a process that runs this long without a syscall; 0 = never. */
  cpuLimitMs?: number;
  dispatch?: DispatchMode;
  /** Longest stretch the pump keeps the thread before giving it back. */
  turnBudgetMs?: number;
  /** A zos_yield's first park, in ms; each one that nothing woke parks twice as long, up to yieldParkMaxMs (yield-park.ts). */
  yieldParkMs?: number;
  yieldParkMaxMs?: number;
  /** How long a worker spins for a syscall's answer before it sleeps. */
  syscallSpinMs?: number;
  /**
   * Whether a worker whose syscall is parked (a blocking RECEIVE, a CALL)
   * spins `syscallSpinMs` more before it sleeps: 'auto' where the host has a
   * core for every live process and one for the kernel side (answer-wait.ts).
   */
  spinWhenParked?: 'auto' | 'always' | 'never';
  /**
   * Commits kept in memory at least (past a checkpoint, older ones go to
   * `onTrim` and are dropped); Infinity keeps every one (a trace). The
   * default keeps memory bounded however long the system runs.
   */
  retainCommits?: number;
  /** Receives the commits dropped from memory, oldest first, before they are gone (the page saves them). */
  onTrim?: (dropped: Commit[]) => void;
  kernel?: Omit<KernelOptions, 'spawnRequest' | 'bootWallclockMs' | 'programs' | 'retainCommits' | 'onTrim'>;
}

export interface SpawnOptions {
  name?: string;
  memoryLimitPages?: number;
  parent?: number;
  /** The SysLog request that asked for it (init's INIT:SPAWN), for its commits. */
  causedBy?: number;
  /** The process it is started for (init's requester); the parent when not given. */
  requester?: number;
  /** This process's CPU limit: stopped after running this long without a syscall; 0 = never. */
  cpuLimitMs?: number;
}

export type ConsoleListener = (pid: number, bytes: Uint8Array) => void;
export type ExitListener = (info: ProcessInfo) => void;
/** A process created, with the binary and options it was given (a run's record: record/run-recorder.ts). */
export type SpawnListener = (spawned: { pid: number; name: string; bytes: Uint8Array; options: SpawnOptions }) => void;
/** Console input queued for a process: one CONSOLE_INPUT message's bytes. */
export type InputListener = (pid: number, bytes: Uint8Array) => void;

interface Proc {
  pid: number;
  name: string;
  views: MailboxViews;
  sab: SharedArrayBuffer;
  worker: WorkerHandle | null;
  ended: boolean;
  runningSinceNs: number; // when it last left the kernel; for the CPU limit
  consoleFull: boolean; // told E_AGAIN by CONSOLE_WRITE: its yield ends when the console is drained
  cpuLimitMs: number; // 0 = none
}

const EMPTY = new Uint8Array(0);

/** Why deliverInput could not queue all of an input: the process ended, or takes no console input. */
export class InputNotDelivered extends Error {
  override readonly name = 'InputNotDelivered';
  constructor(readonly reason: string, readonly bytesLeft: number) {
    super(`console input not delivered (${bytesLeft} bytes left): ${reason}`);
  }
}

/**
 * Starts compiling every app into the module cache (off the thread where
 * the host can): a page calls it as soon as the programs are fetched, before
 * its supervisor exists. A broken app is left for its spawn to report.
 */
export function precompileApps(apps: AppSource, limits = { maxBinaryBytes: DEFAULT_LIMITS.maxBinaryBytes, memoryLimitPages: A.DEFAULT_MEMORY_LIMIT_PAGES }): void {
  for (const name of apps.names()) {
    try {
      moduleCache.getOrCompile(validateModule(name, apps.get(name)!, limits)).catch(() => {});
    } catch {
      // Refused here, refused again with its message when someone spawns it.
    }
  }
}

/** Gives the event loop a turn without the 4 ms clamp of nested setTimeout. */
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => {
  if (typeof setImmediate === 'function') setImmediate(resolve);
  else {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => resolve();
    ch.port2.postMessage(null);
  }
});

export class Supervisor {
  /** Private: callers read through `view` and act through the methods here. */
  private readonly kernel: Kernel;
  /** Everything about the kernel a caller may read, and nothing it could change. */
  readonly view: KernelView;
  private readonly host: WorkerHost;
  private readonly apps: AppSource;
  private readonly opt: Required<Omit<SupervisorOptions, 'host' | 'apps' | 'kernel' | 'retainCommits' | 'onTrim'>>;
  private readonly procs = new Map<number, Proc>();
  private readonly order: Proc[] = []; // live processes, in round-robin order
  private cursor = 0;
  private readonly doorbell = new SharedArrayBuffer(DOORBELL_BYTES);
  private readonly bell = new Int32Array(this.doorbell);
  private readonly scratch = new Uint8Array(A.MAX_REQUEST_DATA); // request data, unshared for the kernel
  private readonly origin: number;
  private readonly kernelOptions: NonNullable<SupervisorOptions['kernel']>;
  private readonly consoleListeners = new Map<number | '*', Set<ConsoleListener>>();
  private readonly exitListeners = new Set<ExitListener>();
  private readonly spawnListeners = new Set<SpawnListener>();
  private readonly inputListeners = new Set<InputListener>();
  private readonly exitWaiters = new Map<number, ((info: ProcessInfo) => void)[]>();
  private stopped = false;
  private pollTimer: ReturnType<typeof setInterval> | null = null;
  private ringHeard: (() => void) | null = null;
  private limitedProcs = 0; // live processes with a CPU limit
  private onPermissionSpawned = (): void => {};
  private readonly inputRoomWaiters = new Set<() => void>(); // deliverInput calls waiting for a full queue to drain
  readonly stats = { syscalls: 0, wakeups: 0, turns: 0, longestTurnMs: 0 };

  constructor(options: SupervisorOptions) {
    this.host = options.host;
    this.apps = options.apps;
    const { retainCommits = DEFAULT_RETAIN_COMMITS, onTrim, ...opt } = options;
    this.opt = {
      memoryLimitPages: A.DEFAULT_MEMORY_LIMIT_PAGES, maxBinaryBytes: DEFAULT_LIMITS.maxBinaryBytes,
      cpuLimitMs: 0, dispatch: 'atomics', turnBudgetMs: 4, yieldParkMs: 4, yieldParkMaxMs: DEFAULT_YIELD_PARK_MAX_MS, syscallSpinMs: DEFAULT_SYSCALL_SPIN_MS,
      spinWhenParked: 'auto',
      ...Object.fromEntries(Object.entries(opt).filter(([, v]) => v !== undefined)),
    } as Supervisor['opt'];
    this.origin = this.host.now();
    this.kernelOptions = options.kernel ?? {};
    this.host.prewarm?.();
    this.kernel = new Kernel({
      ...(this.host.maxProcesses !== undefined ? { maxProcesses: this.host.maxProcesses } : {}),
      ...options.kernel, retainCommits, onTrim,
      bootWallclockMs: this.host.wallclockMs(),
      spawnRequest: (name, _now, causedBy, requester) => this.spawnForInit(name, causedBy, requester),
      programs: () => this.apps.names(),
    });
    this.view = this.kernel.view;
  }

  /** ns since boot: the kernel's only clock. */
  nowNs(): number {
    return Math.round(this.host.now() - this.origin);
  }

  /** PID 0, then init as PID 1; resolves once init has asked for the permission service (PID 2). */
  async boot(timeoutMs = 10_000): Promise<void> {
    this.precompileApps();
    await installFastSha256(this.host.sha256);
    this.kernel.registerSupervisor(this.nowNs());
    this.startDispatch();
    const servicesUp = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`init did not start the permission service within ${timeoutMs} ms`)), timeoutMs);
      this.onPermissionSpawned = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    const init = this.spawn('init');
    if (init !== A.PID_INIT) throw new Error(`init came up as pid ${init}`);
    await servicesUp;
  }

  /**
   * Validates and creates a process, then starts its worker. Synchronous up
   * to the PID, so init's SPAWN can answer with it; throws ValidationError.
   */
  spawn(source: string | Uint8Array, options: SpawnOptions = {}): number {
    const name = options.name ?? (typeof source === 'string' ? source : 'process');
    const bytes = typeof source === 'string' ? this.apps.get(source) : source;
    if (!bytes) throw new UnknownAppError(name, this.apps.names());
    const memoryLimitPages = options.memoryLimitPages ?? this.opt.memoryLimitPages;
    const validated = validateModule(name, bytes, { maxBinaryBytes: this.opt.maxBinaryBytes, memoryLimitPages });
    const parent = options.parent ?? A.PID_SUPERVISOR;
    const pid = this.kernel.spawn(name, this.nowNs(), parent, options.causedBy ?? null, options.requester ?? parent);
    const sab = new SharedArrayBuffer(MAILBOX_BYTES);
    const proc: Proc = {
      pid, name, views: mailboxViews(sab), sab, worker: null, ended: false, runningSinceNs: this.nowNs(), consoleFull: false,
      cpuLimitMs: options.cpuLimitMs ?? this.opt.cpuLimitMs,
    };
    if (proc.cpuLimitMs > 0) this.limitedProcs++;
    this.procs.set(pid, proc);
    this.order.push(proc);
    this.updateParkedSpin();
    this.spawnListeners.forEach((l) => l({ pid, name, bytes, options }));
    this.startWorker(proc, validated).catch((e: Error) => this.fault(pid, 'start_failed', `cannot start a worker for ${name}: ${e.message}`));
    return pid;
  }

  kill(pid: number, why = 'killed by the supervisor'): boolean {
    const ok = this.kernel.kill(pid, this.nowNs(), why);
    this.afterKernel();
    return ok;
  }

  /**
   * A capability operation on a process's behalf (GRANT, DERIVE, REVOKE,
   * DELETE): the kernel's own handler and checks, logged with `by: 0`. Any
   * process it wakes (a shell told of a revocation) is answered at once.
   */
  actFor(pid: number, num: number, a0: number, a1 = 0, a2 = 0): number {
    const result = this.kernel.actFor(pid, num, a0, a1, a2, this.nowNs());
    this.afterKernel();
    return result;
  }

  /** Removes a process's capability and all derived from it; every holder is told. */
  removeCapability(pid: number, slot: number): number {
    const status = this.kernel.removeCapability(pid, slot, this.nowNs());
    this.afterKernel();
    return status;
  }

  /**
   * Puts a capability to an object into a process, as INIT:GRANT does (an
   * endpoint is granted from its owner's capability). A slot-shaped result.
   */
  grantObject(pid: number, type: number, object: number, perms: number, preferredSlot = 0): number {
    const result = this.kernel.grantObject(pid, type, object, perms, this.nowNs(), null, preferredSlot);
    this.afterKernel();
    return result;
  }

  /** The kernel's debug lines (DEBUG text, refused INIT requests) since the last call. */
  takeDebug(): { time: number; pid: number; text: string }[] {
    return this.kernel.takeDebug();
  }

  /** Console input for a process, as CONSOLE_INPUT messages of at most MAX_PAYLOAD bytes. */
  sendInput(pid: number, text: string | Uint8Array): number {
    const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text;
    let status: number = A.E_OK;
    for (let at = 0; at < bytes.length || at === 0; at += A.MAX_PAYLOAD) {
      status = this.queueInput(pid, bytes.subarray(at, at + A.MAX_PAYLOAD));
      if (status !== A.E_OK || bytes.length === 0) break;
    }
    this.afterKernel();
    return status;
  }

  /**
   * Console input delivered whole: every CONSOLE_INPUT chunk is queued, in
   * order, and a chunk that finds the queue full waits for room as a sending
   * process would (the kernel says when a queue that refused PID 0 has drained
   * to half). Resolves once the last chunk is queued; rejects if the process
   * ends first or has no console input, with what was not delivered.
   */
  async deliverInput(pid: number, text: string | Uint8Array): Promise<void> {
    const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text;
    let at = 0;
    do {
      const status = this.queueInput(pid, bytes.subarray(at, at + A.MAX_PAYLOAD));
      this.afterKernel();
      if (status === A.E_OK) {
        at += A.MAX_PAYLOAD;
        continue;
      }
      const info = this.info(pid);
      const name = info ? `${info.name} (pid ${pid})` : `pid ${pid}`;
      if (info?.status !== 'alive') throw new InputNotDelivered(`${name} has ended`, bytes.length - at);
      if (status !== A.E_AGAIN) throw new InputNotDelivered(`${name} takes no console input (its slot 1 holds no endpoint it owns)`, bytes.length - at);
      let wake = (): void => {};
      const room = new Promise<void>((resolve) => this.inputRoomWaiters.add(wake = resolve));
      await Promise.race([room, this.waitForExit(pid)]);
      this.inputRoomWaiters.delete(wake);
    } while (at < bytes.length);
  }

  /** Listens to console output of one PID, or of all with '*'. Returns the unsubscribe. */
  onConsole(pid: number | '*', listener: ConsoleListener): () => void {
    let set = this.consoleListeners.get(pid);
    if (!set) this.consoleListeners.set(pid, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  onExit(listener: ExitListener): () => void {
    this.exitListeners.add(listener);
    return () => this.exitListeners.delete(listener);
  }

  /** Listens to every process created from now on, with its binary. Returns the unsubscribe. */
  onSpawn(listener: SpawnListener): () => void {
    this.spawnListeners.add(listener);
    return () => this.spawnListeners.delete(listener);
  }

  /** Listens to console input as it is queued (sendInput, deliverInput). Returns the unsubscribe. */
  onInput(listener: InputListener): () => void {
    this.inputListeners.add(listener);
    return () => this.inputListeners.delete(listener);
  }

  /**
   * The limits in force: each process's memory and CPU limit and the
   * largest binary, and the kernel's bounds (the ABI's defaults unless this
   * supervisor's options changed them). A run's record carries them.
   */
  limits(): Record<string, number> {
    const k = this.kernelOptions;
    return {
      memoryLimitPages: this.opt.memoryLimitPages, cpuLimitMs: this.opt.cpuLimitMs, maxBinaryBytes: this.opt.maxBinaryBytes,
      maxProcesses: k.maxProcesses ?? this.host.maxProcesses ?? A.MAX_PROCESSES, maxChildren: k.maxChildren ?? A.MAX_CHILDREN,
      maxSlots: k.maxSlots ?? A.MAX_SLOTS, maxEndpoints: k.maxEndpoints ?? A.MAX_ENDPOINTS,
      maxUnaskedGrants: k.maxUnaskedGrants ?? A.MAX_UNASKED_GRANTS, queueCapacity: k.queueCapacity ?? A.DEFAULT_QUEUE_CAPACITY,
      consoleCapacity: k.consoleCapacity ?? A.CONSOLE_CAPACITY,
    };
  }

  waitForExit(pid: number): Promise<ProcessInfo> {
    const info = this.info(pid);
    if (!info) return Promise.reject(new Error(`no process ${pid}`));
    if (info.status !== 'alive') return Promise.resolve(info);
    return new Promise((resolve) => {
      const list = this.exitWaiters.get(pid) ?? [];
      list.push(resolve);
      this.exitWaiters.set(pid, list);
    });
  }

  info(pid: number): ProcessInfo | undefined {
    return this.view.process(pid);
  }

  /** Ends every worker and the pump. */
  shutdown(): void {
    this.stopped = true;
    if (this.pollTimer) clearInterval(this.pollTimer);
    Atomics.add(this.bell, 0, 1);
    Atomics.notify(this.bell, 0);
    for (const p of this.procs.values()) p.worker?.terminate();
  }

  // ---------------------------------------------------------------------

  /** One CONSOLE_INPUT message to the kernel; its listeners hear of it once it is queued. */
  private queueInput(pid: number, bytes: Uint8Array): number {
    const status = this.kernel.deliverConsoleInput(pid, bytes, this.nowNs());
    if (status === A.E_OK) this.inputListeners.forEach((l) => l(pid, bytes));
    return status;
  }

  /**
   * Starts compiling every built-in app at boot, so that init, the
   * permission service and the first shell (and later spawns) find their
   * module compiled. A broken app is left for its spawn to report.
   */
  private precompileApps(): void {
    precompileApps(this.apps, { maxBinaryBytes: this.opt.maxBinaryBytes, memoryLimitPages: this.opt.memoryLimitPages });
  }

  private spawnForInit(name: string, causedBy: number, requester: number): SpawnAnswer {
    try {
      const pid = this.spawn(name, { parent: A.PID_INIT, causedBy, requester });
      if (pid === A.PID_PERMISSION) this.onPermissionSpawned();
      return { pid };
    } catch (e) {
      const message = (e as Error).message;
      return { error: e instanceof UnknownAppError ? A.E_NOENT : A.E_INVAL, message };
    }
  }

  private async startWorker(proc: Proc, validated: ValidatedModule): Promise<void> {
    let module: WebAssembly.Module;
    try {
      module = await moduleCache.getOrCompile(validated);
    } catch (e) {
      this.fault(proc.pid, 'start_failed', `cannot compile ${proc.name}: ${(e as Error).message}`);
      return;
    }
    if (proc.ended) return; // killed before it started
    proc.runningSinceNs = this.nowNs();
    proc.worker = this.host.startWorker({
      pid: proc.pid, name: proc.name, module, mailbox: proc.sab, doorbell: this.doorbell, memory: validated.memory,
      ringByMessage: this.opt.dispatch === 'atomics' && typeof Atomics.waitAsync !== 'function',
      yieldParkMs: this.opt.yieldParkMs, yieldParkMaxMs: this.opt.yieldParkMaxMs, spinMs: this.opt.syscallSpinMs,
      parkedSpinMs: this.opt.spinWhenParked === 'never' ? 0 : this.opt.syscallSpinMs,
    }, (r) => this.onReport(proc, r), (why) => this.fault(proc.pid, 'worker_died', why));
  }

  private onReport(proc: Proc, r: WorkerReport): void {
    if (r.kind === 'fault') this.fault(proc.pid, r.reason, r.description);
    else this.ringHeard?.(); // a ring by message: waitAsync is missing here
  }

  /** The pump's wait where Atomics.waitAsync is missing: the next ring message, or the timeout. */
  private ringMessage(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = Number.isFinite(timeoutMs) ? setTimeout(() => this.ringHeard?.(), timeoutMs) : undefined;
      this.ringHeard = () => {
        clearTimeout(timer);
        this.ringHeard = null;
        resolve();
      };
    });
  }

  private fault(pid: number, reason: string, description: string): void {
    this.kernel.fault(pid, reason, description, this.nowNs());
    this.afterKernel();
  }

  private startDispatch(): void {
    if (this.opt.dispatch === 'poll10') {
      // The baseline of the Zero OS web supervisor: every 10 ms, one look at each mailbox.
      this.pollTimer = setInterval(() => {
        this.drain(true);
        this.kernel.tick(this.nowNs());
        this.afterKernel();
      }, 10);
      return;
    }
    void this.pump();
  }

  /** The dispatch loop: sleep on the doorbell, drain, repeat. */
  private async pump(): Promise<void> {
    let sliceStart = performance.now();
    while (!this.stopped) {
      const seen = Atomics.load(this.bell, 0);
      // Deadlines first, on every pass: a flood of syscalls must not hold back a SLEEP.
      this.kernel.tick(this.nowNs());
      const unfinished = this.drain();
      if (unfinished || performance.now() - sliceStart > this.opt.turnBudgetMs) {
        await yieldToEventLoop(); // hot for a whole slice: let the page paint and events run
        sliceStart = performance.now();
        continue;
      }
      const wait = waitForRing(this.bell, seen, this.sleepMs(), undefined, (ms) => this.ringMessage(ms));
      if (wait) {
        await wait;
        this.stats.wakeups++;
        sliceStart = performance.now();
      }
    }
  }

  /** How long the pump may sleep: until the next kernel deadline or CPU-limit check. */
  private sleepMs(): number {
    let ms = Infinity;
    const deadline = this.kernel.nextDeadline();
    if (deadline !== null) ms = Math.max(0, (deadline - this.nowNs()) / 1e6);
    for (const proc of this.order) if (proc.cpuLimitMs > 0) ms = Math.min(ms, proc.cpuLimitMs / 4);
    return ms;
  }

  /**
   * One turn: serve pending requests round-robin, one per process per round,
   * until none is left or the budget is spent. Returns true if work remains.
   */
  private drain(singlePass = false): boolean {
    const start = performance.now();
    this.stats.turns++;
    let unfinished = false;
    for (;;) {
      let served = 0;
      for (let i = 0; i < this.order.length; i++) {
        const proc = this.order[(this.cursor + i) % this.order.length]!;
        if (Atomics.load(proc.views.header, H.STATE) !== REQUEST) continue;
        this.serve(proc);
        served++;
      }
      this.cursor = this.order.length ? (this.cursor + 1) % this.order.length : 0;
      if (served === 0 || singlePass) break;
      if (performance.now() - start > this.opt.turnBudgetMs) {
        unfinished = true;
        break;
      }
    }
    this.checkCpuLimits();
    this.afterKernel();
    this.stats.longestTurnMs = Math.max(this.stats.longestTurnMs, performance.now() - start);
    return unfinished;
  }

  private serve(proc: Proc): void {
    const h = proc.views.header;
    const length = h[H.REQ_LEN]!;
    let data = EMPTY;
    if (length > 0) {
      this.scratch.set(proc.views.request.subarray(0, length));
      data = this.scratch.subarray(0, length);
    }
    this.kernel.setMemorySize(proc.pid, h[H.MEMORY_BYTES]!);
    this.stats.syscalls++;
    const num = h[H.NUM]!;
    const out = this.kernel.syscall(proc.pid, num, h[H.A0]!, h[H.A1]!, h[H.A2]!, data, this.nowNs(), length < 0);
    if (out.kind === 'done') {
      if (num === A.SYS_CONSOLE_WRITE && out.result === A.E_AGAIN) proc.consoleFull = true;
      this.respond(proc, out.result, out.data);
    }
    else if (out.kind === 'blocked') Atomics.store(h, H.STATE, WAITING);
    this.handleEvents(this.kernel.takeEvents());
  }

  private respond(proc: Proc, result: number, data: Uint8Array | null): void {
    const h = proc.views.header;
    const n = data ? Math.min(data.length, RESPONSE_CAPACITY) : 0;
    if (n > 0) proc.views.response.set(n === data!.length ? data! : data!.subarray(0, n)); // the kernel keeps data within MAX_RESPONSE_DATA
    h[H.RESULT] = result;
    h[H.RESP_LEN] = n;
    if (proc.cpuLimitMs > 0) proc.runningSinceNs = this.nowNs(); // a clock read per answer only where a CPU limit needs it
    Atomics.store(h, H.STATE, RESPONSE);
    Atomics.notify(h, H.STATE);
  }

  private handleEvents(events: KernelEvent[]): void {
    for (const e of events) {
      if (e.kind === 'room' && e.pid === A.PID_SUPERVISOR) this.inputRoomWaiters.forEach((wake) => wake());
      const proc = this.procs.get(e.pid);
      if (!proc || proc.ended) continue;
      if (e.kind === 'wake') this.respond(proc, e.result, e.data);
      else if (e.kind === 'message' || e.kind === 'room') this.unpark(proc);
      else this.finish(proc);
    }
  }

  /** Ends the process's zos_yield, or the next one: something happened for it. */
  private unpark(proc: Proc): void {
    Atomics.add(proc.views.header, H.PARK, 1);
    Atomics.notify(proc.views.header, H.PARK);
  }

  /** After any kernel call: act on its events and route console output. */
  private afterKernel(): void {
    this.handleEvents(this.kernel.takeEvents());
    this.routeConsole();
  }

  /** Console output written since the last drain, to its PID's listeners and the '*' ones. */
  private routeConsole(): void {
    for (const [pid, bytes] of this.kernel.drainConsole()) {
      for (const key of [pid, '*'] as const) this.consoleListeners.get(key)?.forEach((l) => l(pid, bytes));
      const proc = this.procs.get(pid);
      if (proc?.consoleFull) { // its console has room again: a writer waiting it out in zos_yield goes on
        proc.consoleFull = false;
        this.unpark(proc);
      }
    }
  }

  private finish(proc: Proc): void {
    proc.ended = true;
    if (proc.cpuLimitMs > 0) this.limitedProcs--;
    proc.worker?.terminate();
    this.order.splice(this.order.indexOf(proc), 1);
    this.updateParkedSpin();
    this.procs.delete(proc.pid); // its 128 KiB mailbox goes with it
    this.routeConsole(); // output written just before the end still reaches its listeners first
    const info = this.info(proc.pid)!;
    this.exitListeners.forEach((l) => l(info));
    this.exitWaiters.get(proc.pid)?.forEach((resolve) => resolve(info));
    this.exitWaiters.delete(proc.pid);
  }

  /** Tells the workers whether a parked syscall may spin before sleeping: as live processes come and go. */
  private updateParkedSpin(): void {
    const mode = this.opt.spinWhenParked;
    const allowed = mode === 'always' || (mode === 'auto' && blockedSpinAllowed(this.host.cores?.() ?? 1, this.order.length));
    Atomics.store(this.bell, SPIN_WORD, allowed ? 1 : 0);
  }

  /** A process that has run this long without entering the kernel is stopped. */
  private checkCpuLimits(): void {
    if (this.limitedProcs === 0) return;
    const now = this.nowNs();
    for (const proc of [...this.order]) {
      const h = proc.views.header;
      const state = Atomics.load(h, H.STATE);
      const inKernel = state === REQUEST || state === WAITING || Atomics.load(h, H.PARKED) === 1;
      if (inKernel || !proc.worker) {
        proc.runningSinceNs = now;
      } else if (proc.cpuLimitMs > 0 && now - proc.runningSinceNs > proc.cpuLimitMs * 1e6) {
        this.kernel.fault(proc.pid, 'cpu_limit', `ran ${proc.cpuLimitMs} ms without a syscall`, now);
      }
    }
  }

}
