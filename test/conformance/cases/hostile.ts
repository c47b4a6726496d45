// The hostile processes: each case has a culprit (or several) and a witness.
// After the attack the culprit got a clear error or was stopped, the witness
// still gets answers from init and the permission service, no message was
// lost or duplicated where messages are involved, and the CommitLog verifies
// and replays (judge() checks that for every batch).

import { assemble } from '../../fixtures/wat.ts';
import type { Case, CaseRun } from '../model.ts';
import { outputOf } from '../model.ts';
import { program, type Helpers } from '../wat.ts';
import { FUZZ_HELPERS } from './fuzz-wat.ts';
import { A, derive, get, locals, locals64, loop, M, put, set, sys, witness, WITNESS_LOCALS } from './common.ts';

const W = (delayMs: number) => ({ role: 'witness', opts: { locals: WITNESS_LOCALS }, body: witness(delayMs) });

const validModule = (): Promise<Uint8Array> => assemble(program((h) => `${h.say('should not run')} (call $done)`), 'valid.wat');

/** Lines of a process's output that say something ran after the point it must not pass. */
const notAfter = (roles: string[], marker = 'after'): ((run: CaseRun) => string[]) => (run) =>
  roles.filter((r) => new RegExp(`^${marker}`, 'm').test(outputOf(run, r))).map((r) => `${r} went on past the bad operation`);

/**
 * hostile.message-flood: the receiver and the second sender start only once
 * the first sender has filled the queue alone (it registers "<svc>full" at
 * its first E_AGAIN), however late each worker started ($lookup gives up
 * after about 10 s).
 */
const awaitFull = (h: Helpers): string => `(drop (call $lookup ${h.s(`${h.svc}full`)}))`;

export const hostileCases: Case[] = [
  {
    id: 'hostile.spin', suite: 'hostile', section: '§1 CPU (supervisor limit)', title: 'an infinite loop with no syscalls is stopped by the CPU limit; a busy process making syscalls is not',
    cpuLimitMs: 300, timeoutMs: 20_000,
    procs: [
      { role: 'spinner', body: (h) => `${h.say('spinning')} (loop $l (br $l))`,
        expect: { fault: ['cpu_limit'], output: [/^spinning$/m] } },
      { role: 'busy', opts: { locals: locals('i', 'start') }, body: (h) => `
        ${set('start', '(call $now_ms)')}
        (loop $l
          (drop ${sys(A.SYS_YIELD)})
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $l (i32.lt_u (i32.sub (call $now_ms) (local.get $start)) (i32.const 1200))))
        ${h.ok('busy with syscalls for 1.2 s and not stopped', '(i32.gt_u (local.get $i) (i32.const 10))')}
        (call $done)` },
      W(1000),
    ],
  },
  {
    id: 'hostile.memory-bomb', suite: 'hostile', section: '§1 memory limit', title: 'a memory bomb stops at the limit: memory.grow returns -1 and the process goes on',
    procs: [
      { role: 'exported', opts: { locals: locals('pages') }, body: (h) => `
        ${h.eq('a huge grow at once returns -1', '(memory.grow (i32.const 65535))', -1)}
        (loop $l (br_if $l (i32.ne (memory.grow (i32.const 1)) (i32.const -1))))
        ${set('pages', '(memory.size)')}
        ${h.say('stopped at ', get('pages'), ' pages')}
        ${h.eq('stopped at the 16 MiB limit (256 pages)', get('pages'), 256)}
        (i32.store8 (i32.const 0xffffff) (i32.const 1))
        ${h.eq('the last byte is usable', '(i32.load8_u (i32.const 0xffffff))', 1)}
        ${h.eq('and the process goes on', sys(A.SYS_YIELD), 0)}
        (call $done)` },
      { role: 'imported', opts: { memory: '(import "env" "memory" (memory 2))', locals: locals('pages') }, body: (h) => `
        (loop $l (br_if $l (i32.ne (memory.grow (i32.const 3)) (i32.const -1))))
        (loop $l (br_if $l (i32.ne (memory.grow (i32.const 1)) (i32.const -1))))
        ${set('pages', '(memory.size)')}
        ${h.eq('an imported memory with no maximum also stops at 256 pages', get('pages'), 256)}
        ${h.eq('and the process goes on', sys(A.SYS_YIELD), 0)}
        (call $done)` },
      W(300),
    ],
  },
  {
    id: 'hostile.syscall-flood', suite: 'hostile', section: '§3 fairness (supervisor)', title: 'eight processes flooding syscalls for 4 s; a ninth doing fixed work (2000 syscalls) finishes while the flood is on, not starved',
    exclusive: true, timeoutMs: 30_000,
    procs: [
      ...Array.from({ length: 8 }, (_, k) => ({
        role: `flood${k}`, opts: { locals: locals('n', 'start', 'ms') }, body: (h: Helpers) => `
          ${set('start', '(call $now_ms)')}
          (block $end (loop $l
            (drop ${sys(A.SYS_GET_PID)}) (drop ${sys(A.SYS_CAP_INSPECT, 0)}) (drop ${sys(A.SYS_YIELD)}) (drop ${sys(A.SYS_CAP_DELETE, 999)})
            (local.set $n (i32.add (local.get $n) (i32.const 4)))
            (br_if $l (i32.and (local.get $n) (i32.const 252)))
            (br_if $end (i32.ge_u (i32.sub (call $now_ms) (local.get $start)) (i32.const 4000)))
            (br $l)))
          ${set('ms', '(i32.sub (call $now_ms) (local.get $start))')}
          ${h.say('flood: ', get('n'), ' syscalls in ', get('ms'), ' ms')}
          (call $done)`,
      })),
      { role: 'worker', opts: { locals: locals('i', 'start', 'ms', 'bad') }, body: (h) => `
        (call $sleep_ms (i32.const 300))
        ;; the fixed work: 2000 syscalls of the flooders' kind, timed
        ${set('start', '(call $now_ms)')}
        ${loop('i', 0, 500, `(drop ${sys(A.SYS_GET_PID)}) (drop ${sys(A.SYS_CAP_INSPECT, 0)}) (drop ${sys(A.SYS_YIELD)}) (drop ${sys(A.SYS_CAP_DELETE, 999)})`)}
        ${set('ms', '(i32.sub (call $now_ms) (local.get $start))')}
        ${h.say('worker: 2000 syscalls in ', get('ms'), ' ms')}
        ${h.ok('finished while the flood was still on (within 3 s)', '(i32.lt_u (local.get $ms) (i32.const 3000))')}
        ;; and messages still flow during the flood
        ${loop('i', 0, 100, `
          ${put(0, get('i'))}
          (local.set $bad (i32.add (local.get $bad) (call $snd (i32.const 0) (i32.const 5) (i32.const ${M.SBUF}) (i32.const 4))))
          (if (i32.ne (call $rcv (i32.const 0) (i32.const 0) (i32.const 0)) (i32.const 12)) (then (local.set $bad (i32.add (local.get $bad) (i32.const 1)))))
          (if (i32.ne (call $mu32 (i32.const 0)) (local.get $i)) (then (local.set $bad (i32.add (local.get $bad) (i32.const 1)))))`)}
        ${h.eq('100 messages to itself came back in order', get('bad'), 0)}
        (call $done)` },
    ],
    check: checkFairness,
  },
  {
    id: 'hostile.message-flood', suite: 'hostile', section: '§3 SEND queue bound', title: 'two senders flood a bounded queue: E_AGAIN, the queue never exceeds 256, nothing lost or duplicated',
    exclusive: true, timeoutMs: 40_000,
    procs: [
      { role: 'receiver', opts: { locals: locals('n', 'from', 'seq', 'total', 'finals', 'bad', 'idx', 'sum') }, body: (h) => `
        ${h.serve}
        ${awaitFull(h)}
        (block $end (loop $l
          ${set('n', '(call $wait (i32.const 0) (i32.const 10000))')}
          (if (i32.le_s (local.get $n) (i32.const 0)) (then (call $fail ${h.s('a message was missing (receive timed out)')}) (br $end)))
          ${set('from', '(call $mfrom)')}
          ${set('idx', `(i32.add (i32.const ${M.BIG}) (i32.shl (i32.and (local.get $from) (i32.const 63)) (i32.const 2)))`)}
          (if (i32.eq (call $mtag) (i32.const 0x3001))
            (then
              ${set('seq', '(call $mu32 (i32.const 0))')}
              (if (i32.ne (local.get $seq) (i32.load (local.get $idx))) (then
                (if (i32.lt_u (local.get $bad) (i32.const 5)) (then ${h.say('sender ', get('from'), ': got seq ', get('seq'), ' want ', '(i32.load (local.get $idx))')}))
                (local.set $bad (i32.add (local.get $bad) (i32.const 1)))))
              (i32.store (local.get $idx) (i32.add (local.get $seq) (i32.const 1)))
              (local.set $total (i32.add (local.get $total) (i32.const 1)))
              (if (i32.eqz (i32.and (local.get $total) (i32.const 63))) (then (call $sleep_ms (i32.const 1))))))
          (if (i32.eq (call $mtag) (i32.const 0x3002))
            (then
              (local.set $sum (i32.add (local.get $sum) (call $mu32 (i32.const 0))))
              (local.set $finals (i32.add (local.get $finals) (i32.const 1)))))
          (br_if $l (i32.lt_u (local.get $finals) (i32.const 2)))))
        ${h.say('received ', get('total'), ' messages')}
        ${h.eq('every sequence number in order, once (count of mismatches)', get('bad'), 0)}
        ${h.eq('as many as the senders sent', get('total'), get('sum'))}
        ${h.eq('3000 in all', get('total'), 3000)}
        ${h.eq('nothing more, nothing duplicated', sys(A.SYS_RECEIVE, 0, 0, 0), 0)}
        (call $done)` },
      ...['a', 'b'].map((who, k) => ({
        role: `sender-${who}`, opts: { locals: locals('srv', 'i', 'r', 'again', 'first', 'other') }, body: (h: Helpers) => `
          ${h.connect('$srv')}
          ${k === 1 ? awaitFull(h) : ''}
          ${set('first', '(i32.const -1)')}
          ${loop('i', 0, 1500, `
            ${put(0, get('i'))}
            (block $sent (loop $retry
              ${set('r', `(call $snd (local.get $srv) (i32.const 0x3001) (i32.const ${M.SBUF}) (i32.const 4))`)}
              (br_if $sent (i32.eqz (local.get $r)))
              (if (i32.ne (local.get $r) (i32.const ${A.E_AGAIN})) (then (local.set $other (i32.add (local.get $other) (i32.const 1))) (br $sent)))
              (if (i32.lt_s (local.get $first) (i32.const 0)) (then
                (local.set $first (local.get $i))
                ${k === 0 ? `(drop (call $register ${h.s(`${h.svc}full`)} (i32.const 0))) ${put(0, get('i'))}` : ''}))
              (local.set $again (i32.add (local.get $again) (i32.const 1)))
              (call $yield)
              (br $retry)))`)}
          ${put(0, 1500)}
          (loop $retry (br_if $retry (i32.eq (call $snd (local.get $srv) (i32.const 0x3002) (i32.const ${M.SBUF}) (i32.const 4)) (i32.const ${A.E_AGAIN}))))
          ${h.say('sent 1500; E_AGAIN ', get('again'), ' times, first at message ', get('first'))}
          ${h.ok('the queue filled up: E_AGAIN was answered', '(i32.gt_u (local.get $again) (i32.const 0))')}
          ${h.ok('never more than 256 queued before the first E_AGAIN', '(i32.le_s (local.get $first) (i32.const 256))')}
          ${k === 0 ? h.eq('alone at first: exactly 256 fit', get('first'), 256) : ''}
          ${h.eq('no other error than E_AGAIN', get('other'), 0)}
          (call $done)`,
      })),
      W(300),
    ],
  },
  {
    id: 'hostile.fuzz-slots', suite: 'hostile', section: '§2 §3 forged arguments', title: 'forged and random slots, PIDs, tags and lengths (three PRNG fuzzers): every answer has its shape, nothing else is hurt',
    exclusive: true, timeoutMs: 40_000,
    procs: [
      ...[0x1234567, 0x9e3779b9, 0x7f4a7c15].map((seed, k) => ({
        role: `fuzz${k}`, opts: { locals: locals('i', 'num', 'a0', 'a1', 'a2', 'r', 'k', 'bad', 'me'), extra: FUZZ_HELPERS }, body: (h: Helpers) => `
          (global.set $rng (i32.const ${seed | 0}))
          ${set('me', '(call $get_pid)')}
          ${loop('i', 0, 3000, `
            ${set('num', '(call $pick_num)')}
            ${set('a0', '(call $arg)')} ${set('a1', '(call $arg)')} ${set('a2', '(call $arg)')}
            ;; keep the fuzzer alive and bounded: no EXIT, no unbounded wait, CALL only where an answer comes
            (if (i32.eq (local.get $num) (i32.const ${A.SYS_EXIT})) (then (local.set $num (i32.const ${A.SYS_YIELD}))))
            (if (i32.eq (local.get $num) (i32.const ${A.SYS_SLEEP})) (then (local.set $a0 (call $randn (i32.const 1000000))) (local.set $a1 (i32.const 0))))
            (if (i32.and (i32.eq (local.get $num) (i32.const ${A.SYS_RECEIVE})) (i32.and (local.get $a1) (i32.const 1)))
              (then (local.set $a2 (i32.add (i32.const 1) (call $randn (i32.const 5))))))
            (if (i32.eq (local.get $num) (i32.const ${A.SYS_CALL}))
              (then (local.set $a0 (select (i32.const 2) (i32.add (i32.const 500) (call $randn (i32.const 100))) (i32.and (call $rand) (i32.const 1))))))
            (if (i32.and (i32.or (i32.eq (local.get $num) (i32.const ${A.SYS_CAP_DELETE})) (i32.eq (local.get $num) (i32.const ${A.SYS_ZOS_KILL})))
                         (i32.eq (local.get $a0) (i32.const 2)))
              (then (local.set $a0 (i32.const 3))))
            (if (i32.eq (local.get $num) (i32.const ${A.SYS_CAP_GRANT}))
              (then (if (i32.and (i32.gt_s (local.get $a1) (i32.const 2)) (i32.lt_s (local.get $a1) (i32.const 1000)))
                (then (local.set $a1 (local.get $me))))))
            (if (i32.eq (local.get $num) (i32.const ${A.SYS_CONSOLE_WRITE})) (then (local.set $a0 (call $randn (i32.const 8)))))
            (if (i32.and (i32.or (i32.eq (local.get $num) (i32.const ${A.SYS_SEND})) (i32.or (i32.eq (local.get $num) (i32.const ${A.SYS_CALL})) (i32.eq (local.get $num) (i32.const ${A.SYS_SEND_CAP}))))
                         (i32.or (i32.eq (local.get $a1) (i32.const ${A.MSG_REGISTER_SERVICE})) (i32.eq (local.get $a1) (i32.const ${A.MSG_SPAWN_SERVICE}))))
              (then (local.set $a1 (i32.const ${A.MSG_LOOKUP_SERVICE}))))
            (call $fill (local.get $num))
            ${set('r', '(call $syscall (local.get $num) (local.get $a0) (local.get $a1) (local.get $a2))')}
            (if (i32.eqz (call $shape_ok (local.get $num) (local.get $a0) (local.get $r)))
              (then
                (if (i32.lt_u (local.get $bad) (i32.const 10)) (then ${h.say('bad answer: syscall ', get('num'), ' (', get('a0'), ', ', get('a1'), ', ', get('a2'), ') -> ', get('r'))}))
                (local.set $bad (i32.add (local.get $bad) (i32.const 1)))))`)}
          ${h.say('fuzz: 3000 syscalls')}
          ${h.eq('every answer had its syscall\'s shape (count of others)', get('bad'), 0)}
          ${h.eq('slot 2 (init) was kept, and init still answers', `(i32.ge_s (call $lookup ${h.s('permission')}) (i32.const 0))`, 1)}
          (call $done)`,
      })),
      W(500),
    ],
  },
  {
    id: 'hostile.overflow', suite: 'hostile', section: '§1 request data limit', title: 'zos_send_bytes past 65536 bytes: the next syscall fails with E_OVERFLOW and the process goes on',
    procs: [
      { role: 'culprit', opts: { locals: locals('i') }, body: (h) => `
        ${loop('i', 0, 20, `(call $send_bytes (i32.const ${M.BIG}) (i32.const 4000))`)}
        ${h.eq('80000 bytes in 20 appends: SEND answers E_OVERFLOW', sys(A.SYS_SEND, 0, 1, 4), A.E_OVERFLOW)}
        ${h.eq('nothing was sent', sys(A.SYS_RECEIVE, 0, 0, 0), 0)}
        (call $send_bytes (i32.const 0) (i32.const 100000))
        ${h.eq('100000 bytes at once: CALL answers -E_OVERFLOW', sys(A.SYS_CALL, 2, A.MSG_LOOKUP_SERVICE, 4), -A.E_OVERFLOW)}
        (call $send_bytes ${h.s('fine')})
        ${h.eq('the next syscall is served normally', sys(A.SYS_DEBUG, 4), 0)}
        (call $done)` },
      W(200),
    ],
  },
  {
    id: 'hostile.bad-pointer', suite: 'hostile', section: '§1 zos_send_bytes, zos_recv_bytes', title: 'pointers and lengths outside memory stop the process with bad_pointer',
    procs: [
      { role: 'send-past-end', body: (h) => `${h.say('before')} (call $send_bytes (i32.const 0x1fff0) (i32.const 100)) ${h.say('after')} (call $done)`,
        expect: { fault: ['bad_pointer'], output: [/^before$/m] } },
      { role: 'send-negative', body: (h) => `${h.say('before')} (call $send_bytes (i32.const -1) (i32.const 4)) ${h.say('after')} (call $done)`,
        expect: { fault: ['bad_pointer'], output: [/^before$/m] } },
      { role: 'send-negative-len', body: (h) => `${h.say('before')} (call $send_bytes (i32.const 0) (i32.const -5)) ${h.say('after')} (call $done)`,
        expect: { fault: ['bad_pointer'], output: [/^before$/m] } },
      { role: 'recv-past-end', body: (h) => `${h.say('before')} (drop ${sys(A.SYS_CAP_INSPECT, 0)}) (drop (call $recv_bytes (i32.const 0x1fffc) (i32.const 16))) ${h.say('after')} (call $done)`,
        expect: { fault: ['bad_pointer'], output: [/^before$/m] } },
      { role: 'recv-huge', body: (h) => `${h.say('before')} (drop ${sys(A.SYS_CAP_INSPECT, 0)}) (drop (call $recv_bytes (i32.const 0x7ffffff0) (i32.const 16))) ${h.say('after')} (call $done)`,
        expect: { fault: ['bad_pointer'], output: [/^before$/m] } },
      W(300),
    ],
    check: notAfter(['send-past-end', 'send-negative', 'send-negative-len', 'recv-past-end', 'recv-huge']),
  },
  {
    id: 'hostile.malformed', suite: 'hostile', section: '§1 validation', title: 'malformed and truncated binaries are refused with a named error; nothing of them runs',
    procs: [
      { role: 'garbage', bytes: () => new Uint8Array(64).map((_, i) => (i * 37 + 11) & 0xff), refused: /magic|malformed|not a valid/i },
      { role: 'empty', bytes: () => new Uint8Array(0), refused: /end of the file|not a valid|malformed/i },
      { role: 'truncated-half', bytes: async () => { const b = await validModule(); return b.slice(0, b.length >> 1); }, refused: /past the end|not a valid|truncated/i },
      { role: 'truncated-9', bytes: async () => (await validModule()).slice(0, 9), refused: /end of the file|not a valid|truncated/i },
      { role: 'bad-version', bytes: async () => { const b = (await validModule()).slice(); b[4] = 2; return b; }, refused: /version|not a valid/i },
      { role: 'section-size', bytes: async () => { const b = (await validModule()).slice(); b[9] = 0x7f; return b; }, refused: /not a valid|section|malformed|rejects/i },
      W(100),
    ],
  },
  {
    id: 'hostile.forbidden-imports', suite: 'hostile', section: '§1 imports', title: 'forbidden imports are refused before anything runs',
    procs: [
      { role: 'wasi', module: () => '(module (import "wasi_snapshot_preview1" "proc_exit" (func (param i32))) (memory (export "memory") 1) (func (export "_start")))', refused: /wasi_snapshot_preview1/ },
      { role: 'math-random', module: () => '(module (import "env" "Math.random" (func (result f64))) (memory (export "memory") 1) (func (export "_start")))', refused: /Math\.random|import/ },
      { role: 'wrong-sig', module: () => '(module (import "env" "zos_yield" (func (param i32))) (memory (export "memory") 1) (func (export "_start")))', refused: /zos_yield|signature|import/i },
      { role: 'memory-as-func', module: () => '(module (import "env" "memory" (func)) (memory (export "memory") 1) (func (export "_start")))', refused: /memory|import/i },
      { role: 'table', module: () => '(module (import "env" "table" (table 1 funcref)) (memory (export "memory") 1) (func (export "_start")))', refused: /table|import/i },
      { role: 'global', module: () => '(module (import "env" "g" (global i32)) (memory (export "memory") 1) (func (export "_start")))', refused: /import/i },
      W(100),
    ],
  },
  {
    id: 'hostile.missing-start', suite: 'hostile', section: '§1 exports', title: 'a module without a callable _start is refused',
    procs: [
      { role: 'no-start', module: () => '(module (memory (export "memory") 1) (func (export "start")))', refused: /_start/ },
      { role: 'start-global', module: () => '(module (memory (export "memory") 1) (global (export "_start") i32 (i32.const 0)))', refused: /_start/ },
      { role: 'start-memory', module: () => '(module (memory (export "memory") 1) (export "_start" (memory 0)))', refused: /_start/ },
      W(100),
    ],
  },
  {
    id: 'hostile.trap-mid-syscalls', suite: 'hostile', section: '§3 EXIT cleanup (faults)', title: 'a trap in the middle of a syscall sequence: the process faults, its partner\'s CALL fails with -E_NOENT, its endpoints go',
    procs: [
      { role: 'culprit', opts: { locals: locals('e', 'd', 'n') }, body: (h) => `
        ${h.serve}
        ${set('e', sys(A.SYS_EP_CREATE, 0))}
        ${set('d', derive(0, 3))}
        (drop (call $snd (local.get $e) (i32.const 1) (i32.const 0) (i32.const 0)))
        (i32.store (i32.const ${M.SBUF}) (local.get $d))
        (call $send_bytes (i32.const ${M.SBUF}) (i32.const 4))
        (drop ${sys(A.SYS_SEND_CAP, get('e'), 2, 0 | (1 << 16))})
        ;; the partner's hello, then 200 ms for its CALL to queue behind it (however late its worker started)
        ${set('n', '(call $wait (i32.const 0) (i32.const 15000))')}
        ${h.eq('the partner says hello before it CALLs', '(call $mtag)', 0x2001)}
        (call $sleep_ms (i32.const 200))
        (call $send_bytes (i32.const ${M.BIG}) (i32.const 1000))
        ${h.say('trapping with a CALL queued, a capability in flight and request data pending')}
        (drop (i32.div_u (i32.const 1) (i32.sub (local.get $e) (local.get $e))))
        ${h.say('after')}
        (call $done)`, expect: { fault: ['trap'], faultText: /divi|zero/i } },
      { role: 'partner', opts: { locals: locals('srv', 'n') + locals64('id') }, body: (h) => `
        ${h.connect('$srv')}
        ${set('id', '(call $obj (local.get $srv))')}
        (drop (call $snd (local.get $srv) (i32.const 0x2001) (i32.const 0) (i32.const 0)))
        ${set('n', '(call $call (local.get $srv) (i32.const 0x2000) (i32.const 0) (i32.const 0))')}
        ${h.eq('the CALL to the faulted process: -E_NOENT', get('n'), -A.E_NOENT)}
        ${set('n', '(call $wait (i32.const 1) (i32.const 5000))')}
        ${h.eq('CAP_REVOKED for the capability to its endpoint', '(call $mtag)', A.MSG_CAP_REVOKED)}
        ${h.eq('... reason 3', '(call $r8 (i32.const 21))', A.REVOKE_PROCESS_EXITED)}
        ${h.eq('no capability to it is left', `(call $count_caps (i32.const 1) (local.get $id))`, 0)}
        ${h.eq('the partner goes on: SEND', sys(A.SYS_SEND, 0, 1, 0), 0)}
        (call $done)` },
      { role: 'trap-oob', body: (h) => `(drop ${sys(A.SYS_GET_PID)}) (drop (i32.load (i32.const 0x7ffffff0))) ${h.say('after')}`, expect: { fault: ['trap'] } },
      { role: 'trap-recursion', opts: { extra: '(func $deep (param i32) (result i32) (i32.add (call $deep (i32.add (local.get 0) (i32.const 1))) (i32.const 1)))' },
        body: (h) => `(drop ${sys(A.SYS_YIELD)}) (drop (call $deep (i32.const 0))) ${h.say('after')}`, expect: { fault: ['trap'] } },
      { role: 'trap-indirect', opts: { extra: '(table 2 funcref) (type $v (func))' },
        body: (h) => `(drop ${sys(A.SYS_YIELD)}) (call_indirect (type $v) (i32.const 1)) ${h.say('after')}`, expect: { fault: ['trap'] } },
      W(600),
    ],
    check: notAfter(['culprit', 'trap-oob', 'trap-recursion', 'trap-indirect']),
  },
  {
    id: 'hostile.exit-mid-call', suite: 'hostile', section: '§3 CALL, EXIT cleanup', title: 'a server exits with CALLs received and queued: every caller wakes with -E_NOENT and goes on',
    procs: [
      { role: 'server', opts: { locals: locals('n') }, body: (h) => `
        ${h.serve}
        ${set('n', '(call $wait (i32.const 0) (i32.const 10000))')}
        ${h.ok('first CALL received', '(i32.ge_s (local.get $n) (i32.const 8))')}
        ${set('n', '(call $wait (i32.const 0) (i32.const 10000))')}
        ${h.ok('second CALL received', '(i32.ge_s (local.get $n) (i32.const 8))')}
        ;; every client registers a name right before its CALL: once all three are there, the third CALL is queued
        ${[0, 1, 2].map((k) => `(drop (call $lookup ${h.s(`${h.svc}c${k}`)}))`).join(' ')}
        (call $sleep_ms (i32.const 250))
        ${h.say('exiting without replying')}
        (call $done)` },
      ...[0, 1, 2].map((k) => ({
        role: `client${k}`, opts: { locals: locals('srv', 'n') }, body: (h: Helpers) => `
          ${h.connect('$srv')}
          ${k === 2 ? '(call $sleep_ms (i32.const 100))' : ''}
          (drop (call $register ${h.s(`${h.svc}c${k}`)} (i32.const 0)))
          ${set('n', '(call $call (local.get $srv) (i32.const 0x2000) (i32.const 0) (i32.const 0))')}
          ${h.eq(k === 2 ? 'a CALL still queued when the server exits: -E_NOENT' : 'a CALL received but never answered: -E_NOENT', get('n'), -A.E_NOENT)}
          ${h.eq('the client goes on', sys(A.SYS_SEND, 0, 1, 0), 0)}
          (call $done)`,
      })),
      W(600),
    ],
  },
  {
    id: 'hostile.pid1-impersonation', suite: 'hostile', section: '§6 init channel', title: 'a process posing as init (INIT: requests over DEBUG, forged protocol messages) changes nothing',
    exclusive: true,
    procs: [
      { role: 'imposter', opts: { locals: locals('n', 'me', 'maxb', 'r') }, body: (h) => {
        const debug = (...parts: string[]): string => `
          ${set('n', h.text(...parts))}
          (call $send_bytes (i32.const ${M.SBUF}) (local.get $n))
          (drop ${sys(A.SYS_DEBUG, get('n'))})`;
        const name = (text: string): string => `
          (i32.store8 (i32.const ${M.SBUF}) (i32.const ${text.length}))
          (memory.copy (i32.const ${M.SBUF + 1}) ${h.s(text)})`;
        return `
        ${set('me', '(call $get_pid)')}
        (drop (call $procs))
        ${set('maxb', '(call $procs_find (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 2))')}
        ${debug('INIT:SPAWN:clock')}
        ${debug('INIT:SPAWN:init')}
        ${debug('INIT:GRANT:', get('me'), ':7:1:1:7')}
        ${debug('INIT:GRANT:', get('me'), ':8:5:1:3')}
        ${debug('INIT:REVOKE:2:0')}
        ${debug('INIT:REVOKE:1:0')}
        ;; forged protocol messages to init
        ${put(0, 2)} ${put(1, 0)}
        (drop (call $call (i32.const 2) (i32.const ${A.MSG_REVOKE_PERMISSION}) (i32.const ${M.SBUF}) (i32.const 8)))
        ${h.eq('REVOKE_PERMISSION straight to init, not from PID 2: E_PERM', '(call $r8 (i32.const 8))', A.E_PERM)}
        ${name('permission')}
        (i64.store (i32.const ${M.SBUF + 11}) (i64.const 1))
        (drop (call $call (i32.const 2) (i32.const ${A.MSG_REGISTER_SERVICE}) (i32.const ${M.SBUF}) (i32.const 19)))
        ${h.ok('REGISTER of init\'s own endpoint under "permission" is refused', '(i32.ne (call $r8 (i32.const 8)) (i32.const 0))')}
        ${set('r', `(call $register ${h.s('permission')} (i32.const 0))`)}
        ${h.ok('REGISTER of its own endpoint under the live "permission" is refused', '(i32.ne (local.get $r) (i32.const 0))')}
        (drop (call $snd (i32.const 0) (i32.const 0x77) (i32.const 0) (i32.const 0)))
        (drop (call $rcv (i32.const 0) (i32.const 0) (i32.const 0)))
        ${h.eq('a message\'s sender cannot be forged: from is the sender\'s PID', '(call $mfrom)', get('me'))}
        (call $sleep_ms (i32.const 300))
        (drop (call $procs))
        ${h.eq('no process was spawned', '(call $procs_find (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 2))', get('maxb'))}
        ${h.eq('no clock process', `(call $procs_find (i32.const 0) ${h.s('clock')} (i32.const 1))`, 0)}
        ${h.eq('nothing was granted in slot 7', '(call $present (i32.const 7))', 0)}
        ${h.eq('nothing was granted in slot 8', '(call $present (i32.const 8))', 0)}
        ${h.eq('still exactly three capabilities', '(call $caps)', 3)}
        ${h.ok('PID 1 alive', '(call $has_pid (i32.const 1))')}
        ${h.ok('PID 2 alive', '(call $has_pid (i32.const 2))')}
        (call $done)`;
      } },
      W(800),
    ],
  },
  {
    id: 'hostile.console-flood', suite: 'hostile', section: '§3 CONSOLE_WRITE', title: 'a console flood (4 MiB): accepted writes arrive whole, others are unharmed',
    exclusive: true, timeoutMs: 40_000,
    procs: [
      { role: 'flooder', opts: { locals: locals('i', 'r', 'ok', 'again', 'other') }, body: (h) => `
        (memory.fill (i32.const ${M.BIG}) (i32.const 120) (i32.const 8191))
        (i32.store8 (i32.const ${M.BIG + 8191}) (i32.const 10))
        ${loop('i', 0, 512, `
          (call $send_bytes (i32.const ${M.BIG}) (i32.const 8192))
          ${set('r', sys(A.SYS_CONSOLE_WRITE, 8192))}
          (if (i32.eqz (local.get $r)) (then (local.set $ok (i32.add (local.get $ok) (i32.const 1))))
            (else (if (i32.eq (local.get $r) (i32.const ${A.E_AGAIN}))
              (then (local.set $again (i32.add (local.get $again) (i32.const 1))))
              (else (local.set $other (i32.add (local.get $other) (i32.const 1)))))))`)}
        ${h.say('flood accepted=', get('ok'), ' again=', get('again'))}
        ${h.eq('CONSOLE_WRITE answered only 0 or E_AGAIN', get('other'), 0)}
        (call $done)` },
      W(300),
    ],
    check: checkConsoleFlood,
  },
];

// ------------------------------------------------------------------ helpers

function checkFairness(run: CaseRun): string[] {
  const rates: number[] = [];
  for (const p of run.procs.filter((x) => x.role.startsWith('flood'))) {
    const m = /flood: (\d+) syscalls in (\d+) ms/.exec(p.output);
    if (m) rates.push(Number(m[1]) / Number(m[2]));
  }
  const w = /worker: 2000 syscalls in (\d+) ms/.exec(outputOf(run, 'worker'));
  if (rates.length !== 8 || !w) return ['missing rate lines'];
  const workerMs = Number(w[1]);
  const workerRate = 2000 / Math.max(1, workerMs);
  const avg = rates.reduce((a, b) => a + b, 0) / rates.length;
  run.notes.push(`flooders: ${rates.map((r) => r.toFixed(0)).join(', ')} syscalls/ms; worker ${workerRate.toFixed(1)} syscalls/ms (${workerMs} ms)`);
  // Round-robin service gives each process one request per round; how often each worker thread gets a
  // CPU to make its next request is the OS scheduler's business on a 2-core machine, so only starvation
  // (a rate twenty times below the flooders') counts as unfair.
  return workerRate >= avg / 20 ? [] : [`worker got ${workerRate.toFixed(2)} syscalls/ms, under a twentieth of a flooder's ${avg.toFixed(2)}`];
}

function checkConsoleFlood(run: CaseRun): string[] {
  const out = outputOf(run, 'flooder');
  const m = /flood accepted=(\d+) again=(\d+)/.exec(out);
  if (!m) return ['no summary line from the flooder'];
  const accepted = Number(m[1]);
  const chunk = `${'x'.repeat(8191)}\n`;
  const whole = out.split(chunk).length - 1;
  run.notes.push(`flooder: ${accepted} writes of 8 KiB accepted, ${m[2]} answered E_AGAIN; ${whole} whole chunks in the console text`);
  // The page keeps the newest 1 Mi characters of a console (docs/web.md); Node keeps everything.
  if (run.harness === 'node') return whole === accepted ? [] : [`${whole} chunks arrived, ${accepted} were accepted`];
  const kept = Math.min(accepted, Math.floor((1 << 20) / 8192) - 1);
  return whole >= kept ? [] : [`${whole} whole chunks in the page's console text, want at least ${kept}`];
}
