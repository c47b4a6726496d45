// Fuzzing through the real worker path: random syscall programs, generated
// here from a seed, assembled to WASM and run by several processes at once
// in both harnesses. Each run checks that the supervisor survives (the run
// ends with a summary), every answer has its syscall's shape (ABI §2), every
// process ends, a witness still gets answers, and the CommitLog verifies and
// replays.
//
//   ZOS_FUZZ_SEED  first seed (default 0x5eed); run k uses seed + k
//   ZOS_FUZZ_RUNS  number of runs (default 2; e.g. 50 for a longer run)
//   ZOS_FUZZ_PROCS processes per run (default 4)
//   ZOS_FUZZ_OPS   operations per process (default 300)
//
// A failing run names its seed: ZOS_FUZZ_SEED=<seed> ZOS_FUZZ_RUNS=1 replays it.

import type { Case } from '../model.ts';
import type { Helpers } from '../wat.ts';
import { A, i32, locals, M, sys, witness, WITNESS_LOCALS } from './common.ts';
import { FUZZ_HELPERS } from './fuzz-wat.ts';

export interface FuzzSettings { seed: number; runs: number; procs: number; ops: number }

const int = (name: string, fallback: number): number => {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number, got "${v}"`);
  return n;
};

export function fuzzSettings(): FuzzSettings {
  return { seed: int('ZOS_FUZZ_SEED', 0x5eed), runs: int('ZOS_FUZZ_RUNS', 2), procs: Math.max(1, int('ZOS_FUZZ_PROCS', 4)), ops: int('ZOS_FUZZ_OPS', 300) };
}

/** mulberry32: a small, good enough PRNG with a 32-bit seed. */
function prng(seed: number): { next(): number; int(n: number): number; pick<T>(xs: readonly T[]): T; chance(p: number): boolean } {
  let s = seed >>> 0;
  const next = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next, int: (n) => Math.floor(next() * n), pick: (xs) => xs[Math.floor(next() * xs.length)]!, chance: (p) => next() < p,
  };
}

type Rng = ReturnType<typeof prng>;

const TAGS = [0, 1, 0x2000, 0x2001, A.MSG_LOOKUP_SERVICE, A.MSG_GRANT_PERMISSION, A.MSG_REVOKE_PERMISSION, A.MSG_CAP_REVOKED, A.MSG_CONSOLE_INPUT, 0xdeadbeef | 0];
const slot = (r: Rng): number => (r.chance(0.8) ? r.int(9) : r.pick([-1, 64, 1023, 1024, 0x7fffffff, r.int(2000)]));
const notTwo = (s: number): number => (s === 2 ? 3 : s);
const pid = (r: Rng): string => (r.chance(0.3) ? '(call $get_pid)' : i32(r.pick([0, 1, 2, 999, -1, 1 << 20])));
const perms = (r: Rng): number => (r.chance(0.8) ? r.int(8) : r.int(256));
const len = (r: Rng): number => r.pick([0, 1, 4, 13, 100, 4088, 4089, 5000, -1, r.int(300)]);

/** Request data of `n` bytes (at most 5000) for the next syscall, or none. */
const data = (r: Rng, n: number): string => (n > 0 ? `(call $send_bytes (i32.const ${M.BIG + r.int(512)}) (i32.const ${Math.min(n, 5000)}))` : '');

/** One random operation as WAT; `k` numbers it for the failure message. */
function op(r: Rng, k: number): string {
  const check = (num: string, a0: string): string => `
    (if (i32.eqz (call $shape_ok ${num} ${a0} (local.get $r))) (then (call $bad (i32.const ${k}) ${num} (local.get $r))))`;
  const call = (num: number, a0: string | number, a1: string | number = 0, a2: string | number = 0, pre = ''): string => {
    const e = (x: string | number): string => (typeof x === 'number' ? i32(x) : x);
    return `${pre} (local.set $r ${sys(num, e(a0), e(a1), e(a2))}) ${check(i32(num), e(a0))}`;
  };
  switch (r.int(26)) {
    case 0: { const n = r.int(40); return call(A.SYS_DEBUG, r.chance(0.9) ? n : n + 10, 0, 0, data(r, n)); }
    case 1: return call(A.SYS_GET_TIME, r.int(3));
    case 2: return call(A.SYS_GET_PID, 0);
    case 3: return call(A.SYS_LIST_CAPS, 0);
    case 4: return call(A.SYS_LIST_PROCS, 0);
    case 5: return call(A.SYS_GET_WALLCLOCK, r.int(3));
    case 6: { const n = r.int(16); return call(A.SYS_CONSOLE_WRITE, n, 0, 0, data(r, n)); }
    case 7: return call(r.pick([A.SYS_THREAD_CREATE, A.SYS_YIELD, 0x20, 0x5f, 0x66, 0x7e, 0x99, 0x1000]), r.int(9), r.int(9), r.int(9));
    case 8: return call(A.SYS_SLEEP, r.int(1_000_000), 0);
    case 9: return call(A.SYS_CAP_GRANT, slot(r), pid(r), perms(r));
    case 10: return call(A.SYS_CAP_REVOKE, slot(r));
    case 11: return call(A.SYS_CAP_DELETE, notTwo(slot(r)));
    case 12: return call(A.SYS_CAP_INSPECT, slot(r));
    case 13: return call(A.SYS_CAP_DERIVE, slot(r), perms(r));
    case 14: return call(A.SYS_EP_CREATE, r.chance(0.7) ? 0 : r.int(5));
    case 15: { const n = len(r); return call(A.SYS_SEND, slot(r), r.pick(TAGS), n, data(r, r.chance(0.9) ? n : n - 1)); }
    case 16: return call(A.SYS_RECEIVE, slot(r), r.int(2), 1 + r.int(5));
    case 17: {
      // CALL only where an answer always comes: init (slot 2) or an empty slot.
      const n = Math.min(len(r), 4089);
      return call(A.SYS_CALL, r.chance(0.6) ? 2 : 500 + r.int(100), r.pick(TAGS), n, data(r, n));
    }
    case 18: { const n = r.int(20); return call(A.SYS_REPLY, pid(r), r.pick(TAGS), n, data(r, n)); }
    case 19: {
      const count = r.int(4);
      const slots = Array.from({ length: count }, () => notTwo(r.int(10)));
      const payload = r.int(8);
      const store = slots.map((s, i) => `(i32.store (i32.const ${M.BIG + 0x4000 + payload + 4 * i}) (i32.const ${s}))`).join(' ');
      return call(A.SYS_SEND_CAP, slot(r), r.pick(TAGS), payload | (count << 16),
        `${store} (call $send_bytes (i32.const ${M.BIG + 0x4000}) (i32.const ${payload + 4 * count}))`);
    }
    case 20: return call(A.SYS_ZOS_AXIOM, r.int(5), r.int(20));
    case 21: // request data past the limit: the next syscall fails with E_OVERFLOW
      return call(r.pick([A.SYS_DEBUG, A.SYS_SEND, A.SYS_CAP_DERIVE, A.SYS_RECEIVE]), 0, 0, 0,
        `(call $send_bytes (i32.const 0) (i32.const 65536)) (call $send_bytes (i32.const 0) (i32.const ${1 + r.int(100)}))`);
    case 22: // read response data, any size
      return `(drop (call $recv_bytes (i32.const ${M.BIG}) (i32.const ${r.int(5000)})))`;
    case 23: // zos leases: short ones expire during the run (expiry commits, notices, replay across them)
      return call(A.SYS_ZOS_LEASE, slot(r), perms(r), r.pick([1 + r.int(300), 1 + r.int(2000), 0, -1, A.MAX_LEASE_MS + 1, r.next() * 2 ** 32 | 0]));
    case 24: return call(A.SYS_ZOS_LEASE_LEFT, slot(r));
    default: // a message to itself and back
      return `(drop (call $snd (i32.const 0) (i32.const ${r.pick(TAGS)}) (i32.const ${M.BIG}) (i32.const ${r.int(64)})))
        (local.set $r (call $rcv (i32.const 0) (i32.const 0) (i32.const 0))) ${check(i32(A.SYS_RECEIVE), '(i32.const 0)')}`;
  }
}

const BAD = `
  (global $bad (mut i32) (i32.const 0))
  (func $bad (param $k i32) (param $num i32) (param $r i32)
    (if (i32.lt_u (global.get $bad) (i32.const 10)) (then
      (call $ch (i32.const 35)) (call $d (local.get $k)) (call $ch (i32.const 32))
      (call $ch (i32.const 110)) (call $ch (i32.const 117)) (call $ch (i32.const 109)) (call $ch (i32.const 61)) (call $hx (local.get $num))
      (call $ch (i32.const 32)) (call $ch (i32.const 61)) (call $ch (i32.const 62)) (call $ch (i32.const 32)) (call $val (local.get $r))
      (call $nl)))
    (global.set $bad (i32.add (global.get $bad) (i32.const 1))))`;

/** One fuzzing process: `ops` random operations, then its verdict. */
function fuzzProgram(seed: number, ops: number): (h: Helpers) => string {
  return (h) => {
    const r = prng(seed);
    const body = Array.from({ length: ops }, (_, k) => op(r, k)).join('\n');
    return `
      (memory.fill (i32.const ${M.BIG}) (i32.const ${seed & 0xff}) (i32.const 0x8000))
      ${body}
      ${h.say(`fuzz seed ${seed}: ${ops} operations`)}
      ${h.eq('every answer had its syscall\'s shape (count of others)', '(global.get $bad)', 0)}
      ${h.ok('init still answers (LOOKUP permission)', `(i32.ge_s (call $lookup ${h.s('permission')}) (i32.const 0))`)}
      (call $done)`;
  };
}

export function fuzzCases(settings = fuzzSettings()): Case[] {
  return Array.from({ length: settings.runs }, (_, run) => {
    const seed = (settings.seed + run) >>> 0;
    return {
      id: `fuzz.run-${run}`, suite: 'fuzz' as const, section: '§2 §3 §7 (fuzz)',
      title: `${settings.procs} processes × ${settings.ops} random syscalls, seed ${seed} (ZOS_FUZZ_SEED=${seed} ZOS_FUZZ_RUNS=1 replays it)`,
      exclusive: true, timeoutMs: 60_000,
      procs: [
        ...Array.from({ length: settings.procs }, (_, k) => ({
          role: `fuzz${k}`,
          opts: { locals: locals('r'), extra: FUZZ_HELPERS + BAD },
          body: fuzzProgram((Math.imul(seed, 0x9e3779b1) + k * 7919) >>> 0, settings.ops),
        })),
        { role: 'witness', opts: { locals: WITNESS_LOCALS }, body: witness(300) },
      ],
    };
  });
}
