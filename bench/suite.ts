// The benchmark suite, the same in Node and in Chromium: each figure is
// measured on a real supervisor with real workers. Round trips are read
// from the SysLog: the time between two consecutive requests of one process
// is one full round trip (its answer, its next call), stamped by the kernel
// side's clock, and the floor is measured the same way.

import { OBJ_ENDPOINT, PERM_WRITE, SYS_CALL, SYS_EXIT, SYS_GET_PID, SYS_SEND } from '../kernel/abi.ts';
import type { AppSource } from '../supervisor/apps.ts';
import type { WorkerHost } from '../supervisor/host.ts';
import { waitForRing } from '../supervisor/doorbell.ts';
import { moduleCache } from '../supervisor/module-cache.ts';
import { DEFAULT_SYSCALL_SPIN_MS, Supervisor, type DispatchMode } from '../supervisor/supervisor.ts';
import type { FloorStart } from './floor-loop.ts';
import type { ProgramName } from './programs.ts';
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
    streamerPoll: ['streamer', s.poll10Stream], sinkPoll: ['sink', s.poll10Stream],
    exitNow: ['exitNow'], idle: ['idle'], flood: ['flood'], consoleWriter: ['consoleWriter', s.consoleBytes],
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

export async function runSuite(b: BenchEnv): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const s = sizes(b.quick);
  const row = (name: string, samples: number[], unit: string, note?: string): void => {
    const { median, p99 } = summarize(samples);
    rows.push({ name, env: b.env, median: round(median), p99: round(p99), unit, ...(note ? { note } : {}) });
    b.log?.(`${b.env} ${name}: median ${round(median)} ${unit}, p99 ${round(p99)}`);
  };

  // First, in a fresh page: each process's wasm memory reserves address
  // space that a page gets back only some time after its worker ends.
  row('procs_alive', [await procsAlive(b, 100)], 'procs');
  row('floor_rtt_us', await floor(b, s.nullSyscalls), 'us');
  for (const mode of ['atomics', 'poll10'] as const) {
    const prefix = mode === 'poll10' ? 'poll10_' : '';
    const poll = mode === 'poll10';
    row(`${prefix}null_syscall_rtt_us`, await nullSyscall(b, mode, poll ? 'nullSyscallsPoll' : 'nullSyscalls'), 'us');
    row(`${prefix}ipc_call_rtt_us`, await callRtt(b, mode, poll ? 'callerPoll' : 'caller'), 'us');
    row(`${prefix}ipc_send_recv_rtt_us`, await sendRecvRtt(b, mode, poll ? 'pingerPoll' : 'pinger'), 'us');
    const runs: number[] = [];
    for (let i = 0; i < (poll ? 1 : s.streamRuns); i++) {
      runs.push(await throughput(b, mode, poll ? 'streamerPoll' : 'streamer', poll ? 'sinkPoll' : 'sink', poll ? s.poll10Stream : s.stream));
    }
    row(`${prefix}msg_throughput_per_s`, runs, 'msgs/s');
  }
  row('spawn_cached_ms', await spawnLatency(b, s.spawns, true), 'ms');
  row('spawn_uncached_ms', await spawnLatency(b, Math.ceil(s.spawns / 2), false), 'ms');
  const idle = await idleCpu(b, 32, s.idleSeconds);
  if (idle !== null) row('idle_cpu_pct_32', [idle.pct], '% of a core', `over the idle OS's own ${round(idle.baseline)} %`);
  const consoleRun = await consoleFlood(b, s.consoleBytes);
  row('console_4mb_ms', [consoleRun.ms], 'ms', consoleRun.label);
  row('console_bytes_lost', [consoleRun.lost], 'bytes');
  return rows;
}

const round = (n: number): number => (Math.abs(n) >= 100 ? Math.round(n) : Math.round(n * 100) / 100);

async function withSupervisor<T>(b: BenchEnv, mode: DispatchMode, body: (sup: Supervisor) => Promise<T>): Promise<T> {
  const sup = new Supervisor({ host: b.host, apps: b.apps, dispatch: mode, kernel: { syslogCapacity: 1_000_000 } });
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
  const mailbox = new SharedArrayBuffer(4);
  const doorbell = new SharedArrayBuffer(4);
  const h = new Int32Array(mailbox);
  const bell = new Int32Array(doorbell);
  const times: number[] = [];
  const done = b.floorWorker({ mailbox, doorbell, n, spinMs: DEFAULT_SYSCALL_SPIN_MS });
  // The kernel side of the floor: the same doorbell wait as the supervisor's pump.
  while (times.length < n) {
    const seen = Atomics.load(bell, 0);
    if (Atomics.load(h, 0) === 1) {
      times.push(b.host.now());
      Atomics.store(h, 0, 2);
      Atomics.notify(h, 0);
      continue;
    }
    await waitForRing(bell, seen, Infinity);
  }
  await done;
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

async function callRtt(b: BenchEnv, mode: DispatchMode, program: string): Promise<number[]> {
  return withSupervisor(b, mode, async (sup) => {
    const server = sup.spawn(b.binaries.replyServer!, { name: 'server' });
    const client = sup.spawn(b.binaries[program]!, { name: 'client' });
    connect(sup, client, server);
    sup.sendInput(client, 'go');
    await sup.waitForExit(client);
    return rtts(requestTimes(sup, client, SYS_CALL));
  });
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

