// The benchmark suite, the same in Node and in Chromium: each figure is
// measured on a real supervisor with real workers. Round trips are read
// from the SysLog: the time between two consecutive requests of one process
// is one full round trip (its answer, its next call), stamped by the kernel
// side's clock, and the floor is measured the same way.

import { OBJ_ENDPOINT, PERM_WRITE, SYS_CALL, SYS_EXIT, SYS_GET_PID, SYS_SEND } from '../kernel/abi.ts';
import type { AppSource } from '../supervisor/apps.ts';
import type { WorkerHost } from '../supervisor/host.ts';
import { blockedSpinAllowed, SPIN_WORD } from '../supervisor/answer-wait.ts';
import { waitForRing } from '../supervisor/doorbell.ts';
import { DOORBELL_BYTES, REQUEST, RESPONSE, WAITING } from '../supervisor/mailbox.ts';
import { moduleCache } from '../supervisor/module-cache.ts';
import { DEFAULT_SYSCALL_SPIN_MS, Supervisor, type DispatchMode } from '../supervisor/supervisor.ts';
import type { FloorStart } from './floor-loop.ts';
import type { ProgramName } from './programs.ts';
import { replay } from '../kernel/replay.ts';
import type { RunRecord } from '../record/run-record.ts';
import { RunRecorder } from '../record/run-recorder.ts';
import { readTrace, traceText } from '../record/trace.ts';
import { summarize } from './stats.ts';

export interface BenchRow {
  name: string;
  env: 'node' | 'chromium';
  median: number;
  p99: number;
  unit: string;
  note?: string;
}

/** The sizes of each run; `quick` for a smoke run. */
export function sizes(quick: boolean) {
  return {
    nullSyscalls: quick ? 5_000 : 20_000,
    ipc: quick ? 2_000 : 10_000,
    stream: quick ? 20_000 : 100_000,
    streamRuns: quick ? 1 : 3,
    poll10: quick ? 100 : 300,
    poll10Stream: quick ? 500 : 2_000,
    spawns: quick ? 10 : 30,
    idleSeconds: quick ? 2 : 5,
    yieldWakes: quick ? 60 : 200,
    longRun: quick ? 200_000 : 1_000_000,
    traceRun: quick ? 50_000 : 200_000,
    consoleBytes: 4 * 1024 * 1024,
  };
}

export type Binaries = Record<string, Uint8Array>;

/** The binary names the suite asks for, with their program and size. */
export function programsNeeded(quick: boolean): Record<string, [ProgramName, number?]> {
  const s = sizes(quick);
  return {
    nullSyscalls: ['nullSyscalls', s.nullSyscalls], nullSyscallsPoll: ['nullSyscalls', s.poll10],
    caller: ['caller', s.ipc], callerPoll: ['caller', s.poll10], replyServer: ['replyServer'],
    pinger: ['pinger', s.ipc], pingerPoll: ['pinger', s.poll10], ponger: ['ponger'],
    streamer: ['streamer', s.stream], sink: ['sink', s.stream],
    streamerLong: ['streamer', s.longRun], sinkLong: ['sink', s.longRun],
    streamerTrace: ['streamer', s.traceRun], sinkTrace: ['sink', s.traceRun],
    streamerPoll: ['streamer', s.poll10Stream], sinkPoll: ['sink', s.poll10Stream],
    exitNow: ['exitNow'], idle: ['idle'], yieldPoller: ['yieldPoller'], flood: ['flood'], consoleWriter: ['consoleWriter', s.consoleBytes],
  };
}

export interface BenchEnv {
  env: 'node' | 'chromium';
  host: WorkerHost;
  apps: AppSource;
  binaries: Binaries;
  quick: boolean;
  /** Starts the floor worker: it makes `n` bare round trips, then reports done. */
  floorWorker(start: FloorStart): Promise<void>;
  /** CPU use of this whole environment over `ms`, in % of one core; null where it can't be read here. */
  cpuPercent?(ms: number): Promise<number | null>;
  log?(line: string): void;
  /** The heap in use after a full garbage collection, in MB (the kernel's thread); null where it can't be read. */
  heapMb?(): Promise<number | null>;
  /** The sections to run (all when omitted). */
  sections?: ReadonlySet<Section>;
  /** Where console output goes: a terminal in the page; by default it is only counted. */
  consoleSink?(): ConsoleSink;
}

export interface ConsoleSink {
  /** Takes a chunk; calls `written` once it is really shown. */
  write(chunk: Uint8Array, written: () => void): void;
  dispose(): void;
  readonly label: string;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const US = 1e3; // ns per µs

/** The suite's sections, in the order they run; `zos bench --section NAME` runs only some. */
export const SECTIONS = ['procs', 'rtt', 'spin', 'throughput', 'poll10', 'spawn', 'idle', 'yield', 'console', 'memory', 'trace'] as const;
export type Section = (typeof SECTIONS)[number];

export async function runSuite(b: BenchEnv): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const s = sizes(b.quick);
  const row = (name: string, samples: number[], unit: string, note?: string): void => {
    const { median, p99 } = summarize(samples);
    rows.push({ name, env: b.env, median: round(median), p99: round(p99), unit, ...(note ? { note } : {}) });
    b.log?.(`${b.env} ${name}: median ${round(median)} ${unit}, p99 ${round(p99)}`);
  };
  const modeRows = async (mode: DispatchMode): Promise<void> => {
    const prefix = mode === 'poll10' ? 'poll10_' : '';
    const poll = mode === 'poll10';
    row(`${prefix}null_syscall_rtt_us`, await nullSyscall(b, mode, poll ? 'nullSyscallsPoll' : 'nullSyscalls'), 'us');
    row(`${prefix}ipc_call_rtt_us`, await callRtt(b, mode, poll ? 'callerPoll' : 'caller'), 'us');
    row(`${prefix}ipc_send_recv_rtt_us`, await sendRecvRtt(b, mode, poll ? 'pingerPoll' : 'pinger'), 'us');
  };
  const throughputRow = async (mode: DispatchMode): Promise<void> => {
    const poll = mode === 'poll10';
    const runs: number[] = [];
    for (let i = 0; i < (poll ? 1 : s.streamRuns); i++) {
      runs.push(await throughput(b, mode, poll ? 'streamerPoll' : 'streamer', poll ? 'sinkPoll' : 'sink', poll ? s.poll10Stream : s.stream));
    }
    row(`${poll ? 'poll10_' : ''}msg_throughput_per_s`, runs, 'msgs/s');
  };

  const sections: Record<Section, () => Promise<void>> = {
    // First, in a fresh page: each process's wasm memory reserves address
    // space that a page gets back only some time after its worker ends.
    procs: async () => row('procs_alive', [await procsAlive(b, 100)], 'procs'),
    rtt: async () => {
      row('floor_rtt_us', await floor(b, s.nullSyscalls), 'us');
      row('ipc_floor_us', await ipcFloor(b, s.ipc), 'us', `both endpoints asleep; parked requests ${parkedSpinNote(b)}`);
      await modeRows('atomics');
    },
    spin: async () => {
      // What spinning parked requests does on this machine, whatever its cores: the same figures with it forced on.
      row('ipc_floor_spin_us', await ipcFloor(b, s.ipc, 'always'), 'us', `parked requests spin ${DEFAULT_SYSCALL_SPIN_MS * 1000} µs first, forced, on ${b.host.cores?.() ?? '?'} cores`);
      row('ipc_call_rtt_spin_us', await callRtt(b, 'atomics', 'caller', 'always'), 'us', `parked requests spin first, forced, on ${b.host.cores?.() ?? '?'} cores`);
    },
    throughput: () => throughputRow('atomics'),
    poll10: async () => {
      await modeRows('poll10');
      await throughputRow('poll10');
    },
    spawn: async () => {
      row('spawn_cached_ms', await spawnLatency(b, s.spawns, true), 'ms');
      row('spawn_uncached_ms', await spawnLatency(b, Math.ceil(s.spawns / 2), false), 'ms');
    },
    idle: async () => {
      const idle = await idleCpu(b, 32, s.idleSeconds);
      if (idle !== null) row('idle_cpu_pct_32', [idle.pct], '% of a core', `over the idle OS's own ${round(idle.baseline)} %`);
    },
    yield: () => withSupervisor(b, 'atomics', async (sup) => {
      const yieldIdle = await yieldIdleCpu(b, sup, 32, s.idleSeconds);
      if (yieldIdle !== null) {
        row('yield_idle_cpu_pct_32', [yieldIdle.pct], '% of a core', `32 receive+yield loops, after ${YIELD_SETTLE_MS / 1000} s; over the idle OS's own ${round(yieldIdle.baseline)} %`);
      }
      row('yield_wake_us', await yieldWake(b, sup, s.yieldWakes), 'us', 'console input → the parked loop\'s next RECEIVE, 32 loops parked');
    }),
    console: async () => {
      const consoleRun = await consoleFlood(b, s.consoleBytes);
      row('console_4mb_ms', [consoleRun.ms], 'ms', consoleRun.label);
      row('console_bytes_lost', [consoleRun.lost], 'bytes');
    },
    memory: async () => {
      const long = await longRun(b, s.longRun);
      if (long) {
        row('long_run_heap_mb', [long.growthMb], 'MB',
          `heap growth over ${s.longRun.toLocaleString('en-US')} messages, default retainCommits; ${long.kept.toLocaleString('en-US')} commits kept in memory at the end`);
        row('verify_tail_ms', long.verifyMs, 'ms', 'the kept CommitLog: chain check and replay from its checkpoint to the live state hash');
      }
      const trace = await longRun(b, s.traceRun, Infinity);
      if (trace) row('commitlog_bytes_per_msg', [trace.growthMb * 2 ** 20 / s.traceRun], 'bytes', 'every commit kept (retainCommits Infinity, as a trace does)');
    },
    trace: async () => {
      const t = await traceRoundTrips(b, s.stream, TRACE_ROUND_TRIPS);
      const what = `a ${t.commits.toLocaleString('en-US')}-commit run, ${t.syslog.toLocaleString('en-US')} SysLog events kept`;
      row('trace_export_ms', t.exportMs, 'ms', `${what}: the RunRecord to JSON Lines (traceText)`);
      row('trace_import_ms', t.importMs, 'ms', `${what}: readTrace, every line against its schema, the chain from Genesis, the replay to the state hash`);
      row('trace_bytes_per_commit', [t.bytes / t.commits], 'bytes', `the whole trace (${(t.bytes / 2 ** 20).toFixed(1)} MiB, its SysLog and console streams too) over its commits`);
    },
  };
  for (const name of SECTIONS) if (!b.sections || b.sections.has(name)) await sections[name]();
  return rows;
}

const round = (n: number): number => (Math.abs(n) >= 100 ? Math.round(n) : Math.round(n * 100) / 100);

/** Whether parked requests spin here ('auto': a core for each process of a two-process exchange and for the kernel side). */
const parkedSpinNote = (b: BenchEnv): string =>
  blockedSpinAllowed(b.host.cores?.() ?? 1, 2) ? `spin first (${b.host.cores?.()} cores)` : `sleep at once (${b.host.cores?.() ?? 1} cores: none to spare)`;

async function withSupervisor<T>(b: BenchEnv, mode: DispatchMode, body: (sup: Supervisor) => Promise<T>,
  spinWhenParked: 'auto' | 'always' = 'auto'): Promise<T> {
  const sup = new Supervisor({ host: b.host, apps: b.apps, dispatch: mode, kernel: { syslogCapacity: 1_000_000 }, spinWhenParked });
  await sup.boot();
  try {
    return await body(sup);
  } finally {
    sup.shutdown();
  }
}

/** Request times of one process for one syscall, from the SysLog, in ns. */
function requestTimes(sup: Supervisor, pid: number, num: number): number[] {
  return sup.view.syslog().flatMap((e) => (e.kind === 'request' && e.pid === pid && e.num === num ? [e.time] : []));
}

/**
 * Round trips in µs from consecutive request times, past a warm-up. Each
 * sample is the mean of a batch, sized for about 200 samples: a cross-origin
 * isolated page's clock ticks in 5 µs steps, far coarser than one round trip
 * (a batch of 100 resolves 0.05 µs).
 */
function rtts(times: number[]): number[] {
  const t = times.slice(Math.min(100, Math.floor(times.length / 10)));
  const batch = Math.max(1, Math.floor(t.length / 200));
  const out: number[] = [];
  for (let i = 0; i + batch < t.length; i += batch) out.push((t[i + batch]! - t[i]!) / batch / US);
  return out;
}

async function floor(b: BenchEnv, n: number): Promise<number[]> {
  const mailbox = new SharedArrayBuffer(8);
  const doorbell = new SharedArrayBuffer(DOORBELL_BYTES);
  const h = new Int32Array(mailbox);
  const bell = new Int32Array(doorbell);
  const times: number[] = [];
  const done = b.floorWorker({ kind: 'floor', mailbox, doorbell, n, spinMs: DEFAULT_SYSCALL_SPIN_MS, parkedSpinMs: 0 });
  // The kernel side of the floor: the same doorbell wait as the supervisor's pump.
  while (times.length < n) {
    const seen = Atomics.load(bell, 0);
    if (Atomics.load(h, 0) === REQUEST) {
      times.push(b.host.now());
      Atomics.store(h, 0, RESPONSE);
      Atomics.notify(h, 0);
      continue;
    }
    await waitForRing(bell, seen, Infinity);
  }
  await done;
  return rtts(times);
}

/**
 * The sleeping-endpoint floor of an IPC call (floor-loop.ts): a client and
 * a server worker, the kernel side handing each request to the other
 * sleeping side as the supervisor does (parked: WAITING; answered:
 * RESPONSE and a notify), with the same doorbell wait. Parked requests spin
 * first as the supervisor lets them (`spinWhenParked`, 'auto' by the
 * host's cores for these two processes).
 */
async function ipcFloor(b: BenchEnv, n: number, spinWhenParked: 'auto' | 'always' = 'auto'): Promise<number[]> {
  const client = new Int32Array(new SharedArrayBuffer(8));
  const server = new Int32Array(new SharedArrayBuffer(8));
  const doorbell = new SharedArrayBuffer(DOORBELL_BYTES);
  const bell = new Int32Array(doorbell);
  Atomics.store(bell, SPIN_WORD, spinWhenParked === 'always' || blockedSpinAllowed(b.host.cores?.() ?? 1, 2) ? 1 : 0);
  const start = { doorbell, n, spinMs: DEFAULT_SYSCALL_SPIN_MS, parkedSpinMs: DEFAULT_SYSCALL_SPIN_MS };
  const answer = (h: Int32Array): void => {
    Atomics.store(h, 0, RESPONSE);
    Atomics.notify(h, 0);
  };
  const serverDone = b.floorWorker({ ...start, kind: 'ipcServer', mailbox: server.buffer as SharedArrayBuffer });
  let clientDone: Promise<void> | null = null;
  let callPending = false; // the client is parked, waiting for the server's next request
  const times: number[] = [];
  while (times.length < n) {
    const seen = Atomics.load(bell, 0);
    let served = false;
    if (Atomics.load(server, 0) === REQUEST) { // the server: a reply (if a call is pending), then a receive
      served = true;
      Atomics.store(server, 0, WAITING);
      if (callPending) {
        callPending = false;
        answer(client);
      }
      clientDone ??= b.floorWorker({ ...start, kind: 'ipcClient', mailbox: client.buffer as SharedArrayBuffer });
    }
    if (Atomics.load(client, 0) === REQUEST) { // the client's call: parked, handed to the parked server
      served = true;
      times.push(b.host.now());
      Atomics.store(client, 0, WAITING);
      callPending = true;
      answer(server);
    }
    if (!served) await waitForRing(bell, seen, Infinity);
  }
  // The client's last call is answered by the server's next request; then the server is told to stop.
  while (callPending) {
    const seen = Atomics.load(bell, 0);
    if (Atomics.load(server, 0) === REQUEST) {
      Atomics.store(server, 0, WAITING);
      callPending = false;
      answer(client);
    } else await waitForRing(bell, seen, Infinity);
  }
  await clientDone;
  Atomics.store(server, 1, 1);
  for (;;) { // its parked receive ends: it sees the stop word
    if (Atomics.load(server, 0) === WAITING || Atomics.load(server, 0) === REQUEST) {
      answer(server);
      break;
    }
    await sleep(1);
  }
  await serverDone;
  return rtts(times);
}

async function nullSyscall(b: BenchEnv, mode: DispatchMode, program: string): Promise<number[]> {
  return withSupervisor(b, mode, async (sup) => {
    const pid = sup.spawn(b.binaries[program]!, { name: program });
    await sup.waitForExit(pid);
    return rtts(requestTimes(sup, pid, SYS_GET_PID));
  });
}

/** Gives `from` a write capability in slot 3 to `to`'s own endpoint. */
function connect(sup: Supervisor, from: number, to: number): void {
  const endpoint = sup.view.caps(to).find((c) => c.slot === 0)!.object;
  const slot = sup.grantObject(from, OBJ_ENDPOINT, endpoint, PERM_WRITE, 3);
  if (slot !== 3) throw new Error(`could not connect pid ${from} to pid ${to}: ${slot}`);
}

async function callRtt(b: BenchEnv, mode: DispatchMode, program: string, spinWhenParked: 'auto' | 'always' = 'auto'): Promise<number[]> {
  return withSupervisor(b, mode, async (sup) => {
    const server = sup.spawn(b.binaries.replyServer!, { name: 'server' });
    const client = sup.spawn(b.binaries[program]!, { name: 'client' });
    connect(sup, client, server);
    sup.sendInput(client, 'go');
    await sup.waitForExit(client);
    return rtts(requestTimes(sup, client, SYS_CALL));
  }, spinWhenParked);
}

async function sendRecvRtt(b: BenchEnv, mode: DispatchMode, program: string): Promise<number[]> {
  return withSupervisor(b, mode, async (sup) => {
    const pong = sup.spawn(b.binaries.ponger!, { name: 'ponger' });
    const ping = sup.spawn(b.binaries[program]!, { name: 'pinger' });
    connect(sup, ping, pong);
    connect(sup, pong, ping);
    sup.sendInput(ping, 'go');
    await sup.waitForExit(ping);
    return rtts(requestTimes(sup, ping, SYS_SEND));
  });
}

/** Messages per second, one sender to one receiver, first SEND to the receiver's EXIT. */
async function throughput(b: BenchEnv, mode: DispatchMode, streamer: string, sink: string, n: number): Promise<number> {
  return withSupervisor(b, mode, async (sup) => {
    const receiver = sup.spawn(b.binaries[sink]!, { name: 'sink' });
    const sender = sup.spawn(b.binaries[streamer]!, { name: 'streamer' });
    connect(sup, sender, receiver);
    sup.sendInput(sender, 'go');
    const info = await sup.waitForExit(receiver);
    if (info.exitCode !== 0) throw new Error(`sink ended badly: ${JSON.stringify(info)}`);
    const first = requestTimes(sup, sender, SYS_SEND)[0]!;
    const last = requestTimes(sup, receiver, SYS_EXIT)[0]!;
    return n / ((last - first) / 1e9);
  });
}

/** spawn() called → the process's first syscall reaches the kernel. */
async function spawnLatency(b: BenchEnv, n: number, cached: boolean): Promise<number[]> {
  return withSupervisor(b, 'atomics', async (sup) => {
    const out: number[] = [];
    sup.spawn(b.binaries.exitNow!, { name: 'warm' });
    for (let i = 0; i < n; i++) {
      await sleep(20); // an interactive pace: the worker pool refills between spawns
      if (!cached) moduleCache.clear();
      const t0 = sup.nowNs();
      const pid = sup.spawn(b.binaries.exitNow!, { name: 'exitNow' });
      await sup.waitForExit(pid);
      out.push((requestTimes(sup, pid, SYS_EXIT)[0]! - t0) / 1e6);
    }
    return out;
  });
}

async function spawnIdle(sup: Supervisor, b: BenchEnv, n: number): Promise<number[]> {
  const pids = Array.from({ length: n }, () => sup.spawn(b.binaries.idle!, { name: 'idle' }));
  const until = performance.now() + 60_000;
  while (pids.some((pid) => !sup.view.isWaiting(pid)) && performance.now() < until) await sleep(10);
  return pids;
}

async function procsAlive(b: BenchEnv, n: number): Promise<number> {
  return withSupervisor(b, 'atomics', async (sup) => {
    const pids = await spawnIdle(sup, b, n);
    const waiting = pids.filter((pid) => sup.view.isWaiting(pid));
    if (waiting.length < n) {
      const others = sup.view.processes().filter((p) => pids.includes(p.pid) && !waiting.includes(p.pid));
      b.log?.(`procs_alive: not waiting: ${JSON.stringify(others.slice(0, 5))}`);
    }
    return waiting.length;
  });
}

/** CPU of the booted OS with `n` idle processes, less the same OS without them. */
async function idleCpu(b: BenchEnv, n: number, seconds: number): Promise<{ pct: number; baseline: number } | null> {
  if (!b.cpuPercent) return null;
  return withSupervisor(b, 'atomics', async (sup) => {
    await sleep(200);
    const baseline = await b.cpuPercent!(seconds * 1000);
    await spawnIdle(sup, b, n);
    await sleep(200);
    const loaded = await b.cpuPercent!(seconds * 1000);
    return baseline === null || loaded === null ? null : { pct: Math.max(0, loaded - baseline), baseline };
  });
}

/** How long receive+yield loops are left before their idle cost is measured: their parks grow to the ceiling within it. */
const YIELD_SETTLE_MS = 3000;

async function spawnYieldPollers(sup: Supervisor, b: BenchEnv, n: number): Promise<number[]> {
  const pids = Array.from({ length: n }, (_, i) => sup.spawn(b.binaries.yieldPoller!, { name: `poller${i}` }));
  const until = performance.now() + 60_000; // each has made its first RECEIVE
  while (pids.some((pid) => (sup.view.process(pid)?.syscalls ?? 0) === 0) && performance.now() < until) await sleep(10);
  return pids;
}

/** CPU of the booted OS with `n` receive+yield loops (Zero OS's `idle`), less the same OS without them. */
async function yieldIdleCpu(b: BenchEnv, sup: Supervisor, n: number, seconds: number): Promise<{ pct: number; baseline: number } | null> {
  if (!b.cpuPercent) return null;
  await sleep(200);
  const baseline = await b.cpuPercent(seconds * 1000);
  await spawnYieldPollers(sup, b, n);
  await sleep(YIELD_SETTLE_MS);
  const loaded = await b.cpuPercent(seconds * 1000);
  return baseline === null || loaded === null ? null : { pct: Math.max(0, loaded - baseline), baseline };
}

/**
 * Console input to one of the parked receive+yield loops → its next RECEIVE
 * reaching the kernel, in µs; the loops taken in turn, so each waits long
 * enough between two messages for its park to grow again.
 */
async function yieldWake(b: BenchEnv, sup: Supervisor, samples: number): Promise<number[]> {
  const pollers = sup.view.processes().filter((p) => p.status === 'alive' && p.name.startsWith('poller')).map((p) => p.pid);
  if (pollers.length === 0) throw new Error('yield_wake_us: no receive+yield loops are running');
  const out: number[] = [];
  for (let i = 0; i < samples; i++) {
    const pid = pollers[i % pollers.length]!;
    await sleep(1000 / pollers.length + Math.random() * 10);
    const t0 = sup.nowNs();
    sup.sendInput(pid, 'x');
    const until = performance.now() + 5000;
    let woke: number | undefined;
    while (woke === undefined && performance.now() < until) {
      await sleep(2);
      woke = sup.view.syslog(500).find((e) => e.kind === 'request' && e.pid === pid && e.time >= t0)?.time;
    }
    if (woke === undefined) throw new Error(`yield_wake_us: pid ${pid} did not come back within 5 s of a message`);
    out.push((woke - t0) / US);
  }
  return out;
}

/**
 * Heap growth over a stream of `n` messages, one sender to one receiver,
 * with the supervisor's default retention or `retainCommits`; and how long
 * verifying what is kept takes (the chain, then a replay from its checkpoint
 * to the live state hash), 5 times.
 */
async function longRun(b: BenchEnv, n: number, retainCommits?: number): Promise<{ growthMb: number; kept: number; verifyMs: number[] } | null> {
  if (!b.heapMb) return null;
  const trace = retainCommits === Infinity;
  const sup = new Supervisor({ host: b.host, apps: b.apps, retainCommits });
  await sup.boot();
  try {
    const receiver = sup.spawn(b.binaries[trace ? 'sinkTrace' : 'sinkLong']!, { name: 'sink' });
    const sender = sup.spawn(b.binaries[trace ? 'streamerTrace' : 'streamerLong']!, { name: 'streamer' });
    connect(sup, sender, receiver);
    await sleep(200);
    const before = await b.heapMb();
    sup.sendInput(sender, 'go');
    const info = await sup.waitForExit(receiver);
    if (info.exitCode !== 0) throw new Error(`sink ended badly: ${JSON.stringify(info)}`);
    const after = await b.heapMb();
    if (before === null || after === null) return null;
    const verifyMs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      const chain = sup.view.verify();
      const r = replay(sup.view.commits(), undefined, sup.view.checkpoint() ?? undefined);
      if (!chain.ok || !r.ok || r.stateHash !== sup.view.stateHash()) throw new Error('the kept CommitLog does not verify and replay to the live state');
      verifyMs.push(performance.now() - t0);
    }
    return { growthMb: after - before, kept: sup.view.commitCount() - sup.view.firstCommit(), verifyMs };
  } finally {
    sup.shutdown();
  }
}

/** How many times the trace of one recorded run is written out and read back. */
const TRACE_ROUND_TRIPS = 5;

/**
 * A stream of `n` messages, recorded (every commit from Genesis, through the
 * supervisor's onTrim, as `zos run --trace` does); then its trace written
 * out and read back `times` times, each read checked against the run.
 */
async function traceRoundTrips(b: BenchEnv, n: number, times: number): Promise<{ exportMs: number[]; importMs: number[]; bytes: number; commits: number; syslog: number }> {
  const recorder = new RunRecorder('bench');
  const sup = new Supervisor({ host: b.host, apps: b.apps, onTrim: recorder.onTrim });
  recorder.attach(sup);
  await sup.boot();
  let run: RunRecord;
  try {
    const receiver = sup.spawn(b.binaries.sink!, { name: 'sink' });
    const sender = sup.spawn(b.binaries.streamer!, { name: 'streamer' });
    connect(sup, sender, receiver);
    sup.sendInput(sender, 'go');
    const info = await sup.waitForExit(receiver);
    if (info.exitCode !== 0) throw new Error(`sink ended badly: ${JSON.stringify(info)}`);
    await sup.waitForExit(sender);
    run = recorder.finish();
  } finally {
    sup.shutdown();
  }
  const exportMs: number[] = [];
  const importMs: number[] = [];
  let bytes = 0;
  for (let i = 0; i < times; i++) {
    const t0 = performance.now();
    const text = traceText(run);
    const t1 = performance.now();
    const back = readTrace(text);
    const t2 = performance.now();
    if (back.stateHash !== run.stateHash || back.commits.length !== run.commits.length) throw new Error('the trace does not read back to its run');
    exportMs.push(t1 - t0);
    importMs.push(t2 - t1);
    bytes = new TextEncoder().encode(text).length;
  }
  return { exportMs, importMs, bytes, commits: run.commits.length, syslog: run.syslog.length };
}

const countingSink: ConsoleSink = { write: (_chunk, written) => written(), dispose: () => {}, label: 'to the console listener' };

/** Spawn of a writer of `bytes` → the last byte shown by the sink. */
async function consoleFlood(b: BenchEnv, bytes: number): Promise<{ ms: number; lost: number; label: string }> {
  const sink = b.consoleSink?.() ?? countingSink;
  try {
    return await withSupervisor(b, 'atomics', async (sup) => {
      const expected = Math.ceil(bytes / 4000) * 4000;
      let shown = 0;
      let pid = -1;
      const t0 = performance.now();
      const allShown = new Promise<void>((resolve) => sup.onConsole('*', (p, chunk) => {
        if (p !== pid) return;
        sink.write(chunk, () => {
          shown += chunk.length;
          if (shown >= expected) resolve();
        });
      }));
      pid = sup.spawn(b.binaries.consoleWriter!, { name: 'writer' });
      await Promise.race([allShown, sup.waitForExit(pid).then(() => sleep(5000))]);
      return { ms: performance.now() - t0, lost: expected - shown, label: sink.label };
    });
  } finally {
    sink.dispose();
  }
}

