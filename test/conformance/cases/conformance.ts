// The conformance cases: one per rule of /work/shared/ABI.md, in ABI order.
// Each is one or more WAT processes that check the rule themselves and say
// so on their console (`ok ...` / `FAIL ...`), exiting 0 when all held.

import type { Case, CaseRun } from '../model.ts';
import { outputOf } from '../model.ts';
import {
  A, asStringData, derive, expectMessage, get, i32, locals, locals64, loop, M, noticeChecks, parseCommits, printLog, put, section, set, slotErr, spawnService,
  sys, takeNotices, type LoggedCommit,
} from './common.ts';

const refuse = (id: string, section: string, title: string, wat: string, refused: RegExp): Case => ({
  id, suite: 'conformance', section, title, procs: [{ role: 'main', module: () => wat, refused }],
});

/**
 * Server: takes the first CALL (the client's) and answers it with the slot
 * of a capability (rw) to its slot-0 endpoint that it granted the caller;
 * then waits for the client's next message. Locals n, c, g.
 */
const grantToCaller = `
  ${set('n', '(call $wait (i32.const 0) (i32.const 10000))')}
  ${set('c', '(call $mfrom)')}
  ${set('g', sys(A.SYS_CAP_GRANT, 0, get('c'), 3))}
  ${put(0, get('g'))}
  (drop (call $reply (local.get $c) (i32.const 0x2000) (i32.const ${M.SBUF}) (i32.const 4)))
  ${set('n', '(call $wait (i32.const 0) (i32.const 10000))')}`;

/**
 * ABI §3 "Removal is immediate", with three processes: the receiver blocks
 * in RECEIVE on X, a read copy derived from P, after moving P (and a
 * write-only Q) to a holder; the holder removes P's subtree, by its own
 * REVOKE or through the init channel (REVOKE_PERMISSION to the permission
 * service, which has init send INIT:REVOKE). The receiver must wake with
 * -E_BADF before anything is sent (the holder waits for it to say so), and
 * the holder's message sent afterwards must come only through slot 0. The
 * holder revokes only once the SysLog shows the receiver's RECEIVE on X
 * (a request with no answer yet: it is blocked), however slowly its worker
 * runs. The kernel before the fix left the receiver waiting on the
 * endpoint: the holder heard nothing, and its SEND was delivered through
 * the revoked slot. Exclusive, so the SysLog tail is the case's own.
 */
// 1 when [np, np+nn) occurs in [hp, hp+hn).
const CONTAINS = `
  (func $contains (param $hp i32) (param $hn i32) (param $np i32) (param $nn i32) (result i32)
    (local $i i32)
    (block $no (loop $at
      (br_if $no (i32.gt_s (i32.add (local.get $i) (local.get $nn)) (local.get $hn)))
      (if (call $memeq (i32.add (local.get $hp) (local.get $i)) (local.get $np) (local.get $nn)) (then (return (i32.const 1))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $at)))
    (i32.const 0))`;

function removalIsImmediate(via: 'revoke' | 'init'): Case {
  const how = via === 'revoke' ? 'the holder of its parent REVOKEs it' : 'init revokes its parent (INIT:REVOKE, asked through the permission service)';
  return {
    id: via === 'revoke' ? 'sys.removal-immediate' : 'sys.removal-immediate-init', suite: 'conformance',
    section: via === 'revoke' ? '§3 Removal is immediate, CAP_REVOKE' : '§3 Removal is immediate, §6 INIT:REVOKE',
    title: `a RECEIVE blocked on a capability wakes at once with -E_BADF when ${how}; a later message comes only through another slot`,
    exclusive: true,
    procs: [
      { role: 'holder', opts: { locals: locals('n', 'p', 'q', 'perm', 'me', 'r', 'x', 'k', 'len'), extra: CONTAINS }, body: (h) => `
        ${h.serve}
        ${set('me', '(call $get_pid)')}
        ${set('n', '(call $wait (i32.const 0) (i32.const 10000))')}
        ${h.eq('the receiver moves P and Q here: 8 + 4 + two slots', get('n'), 20)}
        ${set('r', '(call $mfrom)')} ${set('x', '(call $r32 (i32.const 8))')}
        ${set('p', '(call $r32 (i32.const 12))')} ${set('q', '(call $r32 (i32.const 16))')}
        ${h.eq('P arrives with rwg', '(call $perms (local.get $p))', 7)}
        ${h.eq('Q arrives with write only', '(call $perms (local.get $q))', 2)}
        ${via === 'init' ? `${set('perm', `(call $lookup ${h.s('permission')})`)}` : ''}
        ;; until the SysLog tail shows the receiver's RECEIVE on X, unanswered: it is blocked (up to 10 s)
        (block $seen (loop $poll
          ${set('n', sys(A.SYS_ZOS_AXIOM, A.AXIOM_SYSLOG, 200))} (drop (call $rd))
          ${set('len', h.text('pid ', get('r'), ' RECEIVE(', get('x'), ', 1, 10000)'))}
          (br_if $seen (call $contains ${i32(M.RBUF)} (select (local.get $n) ${i32(M.RBUF_SIZE)} (i32.lt_s (local.get $n) ${i32(M.RBUF_SIZE)})) ${i32(M.SBUF)} (local.get $len)))
          (call $sleep_ms (i32.const 1))
          ${set('k', '(i32.add (local.get $k) (i32.const 1))')}
          (br_if $poll (i32.lt_u (local.get $k) (i32.const 5000)))))
        ${h.ok('the SysLog shows the receiver blocked in RECEIVE on X', '(i32.lt_u (local.get $k) (i32.const 5000))')}
        ${via === 'revoke' ? `
        ${h.eq('REVOKE of P, X\'s parent', sys(A.SYS_CAP_REVOKE, get('p')), 0)}
        ${h.eq('P itself stays', '(call $present (local.get $p))', 1)}` : `
        ${put(0, get('me'))} ${put(1, get('p'))}
        (drop (call $call (local.get $perm) ${i32(A.MSG_REVOKE_PERMISSION)} ${i32(M.SBUF)} (i32.const 8)))
        ${h.eq('REVOKE_PERMISSION of its own P: the permission service answers', '(call $mtag)', A.MSG_PERMISSION_RESPONSE)}
        ${h.eq('... init revoked it (status 0)', '(call $r8 (i32.const 8))', 0)}
        ${h.eq('INIT:REVOKE removes P itself too', '(call $present (local.get $p))', 0)}`}
        ${expectMessage(h, 'the receiver wakes and says so before anything is sent to it', 0, 5000, 0x2005)}
        ${put(0, 0x5eed)}
        ${h.eq('SEND to the receiver\'s endpoint through Q, after the revoke', `(call $snd (local.get $q) (i32.const 0x2006) ${i32(M.SBUF)} (i32.const 4))`, 0)}
        (call $done)` },
      { role: 'receiver', opts: { locals: locals('srv', 'n', 'p', 'x', 'q') + locals64('id') }, body: (h) => `
        ${h.connect('$srv')}
        ${set('id', '(call $obj (i32.const 0))')}
        ${set('p', derive(0, 7))} ${set('x', derive(get('p'), A.PERM_READ))} ${set('q', derive(0, A.PERM_WRITE))}
        ${put(0, get('x'))} ${put(1, get('p'))} ${put(2, get('q'))}
        (call $send_bytes ${i32(M.SBUF)} (i32.const 12))
        ${h.eq('SEND_CAP of P and Q to the holder', sys(A.SYS_SEND_CAP, get('srv'), 0x2004, 4 | (2 << 16)), 0)}
        ${set('n', '(call $rcv (local.get $x) (i32.const 1) (i32.const 10000))')}
        ${h.eq('the blocked RECEIVE on X wakes with -E_BADF', get('n'), -A.E_BADF)}
        ${h.eq('X is empty', '(call $present (local.get $x))', 0)}
        ${h.eq('tell the holder (SEND)', '(call $snd (local.get $srv) (i32.const 0x2005) (i32.const 0) (i32.const 0))', 0)}
        ${set('n', '(call $wait (i32.const 0) (i32.const 10000))')}
        ${h.eq('the holder\'s later message comes through slot 0: 8 + 4', get('n'), 12)}
        ${h.eq('... with its tag', '(call $mtag)', 0x2006)}
        ${h.eq('... and payload', '(call $mu32 (i32.const 0))', 0x5eed)}
        ${h.eq('RECEIVE on X now: -E_BADF', sys(A.SYS_RECEIVE, get('x'), 0, 0), -A.E_BADF)}
        ${h.eq('nothing else was queued', sys(A.SYS_RECEIVE, 0, 0, 0), 0)}
        ${set('n', '(call $wait (i32.const 1) (i32.const 2000))')}
        ${noticeChecks(h, A.REVOKE_EXPLICIT, get('id'))}
        ${h.eq('the notice names slot X', '(call $r32 (i32.const 8))', get('x'))}
        (call $done)` },
    ],
  };
}

export const conformanceCases: Case[] = [
  // ---------------------------------------------------------------- §1
  {
    id: 'imports.get-pid', suite: 'conformance', section: '§1 zos_get_pid', title: 'zos_get_pid answers the caller\'s PID, as GET_PID does',
    procs: [{ role: 'main', body: (h) => `
      ${h.eq('zos_get_pid equals GET_PID', '(call $get_pid)', sys(A.SYS_GET_PID))}
      ${h.eq('zos_get_pid is stable', '(call $get_pid)', '(call $get_pid)')}
      (call $done)` }],
  },
  {
    id: 'imports.send-bytes', suite: 'conformance', section: '§1 zos_send_bytes', title: 'several calls append; the buffer is cleared when the syscall returns',
    procs: [{ role: 'main', body: (h) => `
      (call $send_bytes ${h.s('ok appended ')}) (call $send_bytes ${h.s('in two calls\n')})
      ${h.eq('CONSOLE_WRITE of data appended in two calls', sys(A.SYS_CONSOLE_WRITE, 25), 0)}
      (call $send_bytes ${h.s('XXXX')})
      ${h.eq('DEBUG consumes request data', sys(A.SYS_DEBUG, 4), 0)}
      (call $send_bytes ${h.s('ok cleared after the syscall\n')})
      ${h.eq('a later CONSOLE_WRITE sees only its own data', sys(A.SYS_CONSOLE_WRITE, 29), 0)}
      (call $done)`, expect: { output: [/^ok appended in two calls$/m, /^ok cleared after the syscall$/m] } }],
  },
  {
    id: 'imports.recv-bytes', suite: 'conformance', section: '§1 zos_recv_bytes', title: 'copies at most max bytes, returns the count, and may be called again',
    procs: [{ role: 'main', opts: { locals: locals('a', 'b', 'c', 'd', 'r', 'z') }, body: (h) => `
      ;; every read before anything is printed: printing is a syscall, with its own (empty) response data
      ${set('r', sys(A.SYS_CAP_INSPECT, 0))}
      ${set('a', '(call $recv_bytes (i32.const 0x10000) (i32.const 4))')}
      ${set('b', '(call $recv_bytes (i32.const 0x10100) (i32.const 100))')}
      ${set('c', '(call $recv_bytes (i32.const 0x10200) (i32.const 0))')}
      ${set('d', '(call $recv_bytes (i32.const 0x10300) (i32.const 16))')}
      (drop ${sys(A.SYS_GET_PID)})
      ${set('z', '(call $recv_bytes (i32.const 0x10400) (i32.const 16))')}
      ${h.eq('CAP_INSPECT slot 0 is present', get('r'), 1)}
      ${h.eq('max 4: copies 4', get('a'), 4)}
      ${h.eq('bytes past max are untouched', '(i32.load (i32.const 0x10004))', 0)}
      ${h.eq('called again with max 100: the whole 16 bytes', get('b'), 16)}
      ${h.eq('the same data again', '(i32.load (i32.const 0x10100))', '(i32.load (i32.const 0x10000))')}
      ${h.eq('max 0: copies nothing', get('c'), 0)}
      ${h.eq('a fourth call still has the data', get('d'), 16)}
      ${h.eq('... the same 16 bytes', '(call $memeq (i32.const 0x10300) (i32.const 0x10100) (i32.const 16))', 1)}
      ${h.eq('after a syscall without response data: 0', get('z'), 0)}
      (call $done)` }],
  },
  {
    id: 'imports.yield', suite: 'conformance', section: '§1 zos_yield', title: 'zos_yield gives up the CPU and returns',
    procs: [{ role: 'main', opts: { locals: locals('i') }, body: (h) => `
      ${loop('i', 0, 50, '(call $yield)')}
      ${h.eq('50 zos_yield calls returned', get('i'), 50)}
      (call $done)` }],
  },
  {
    id: 'imports.memory-imported', suite: 'conformance', section: '§1 memory import', title: 'an imported memory gets the declared minimum and maximum',
    procs: [{ role: 'main', opts: { memory: '(import "env" "memory" (memory 2 4))' }, body: (h) => `
      ${h.eq('the declared minimum', '(memory.size)', 2)}
      ${h.eq('memory.grow within the declared maximum', '(memory.grow (i32.const 2))', 2)}
      ${h.eq('memory.grow past the declared maximum returns -1', '(memory.grow (i32.const 1))', -1)}
      (i32.store (i32.const 0x3fffc) (i32.const 42))
      ${h.eq('the grown memory is usable', '(i32.load (i32.const 0x3fffc))', 42)}
      (call $done)` }],
  },
  {
    id: 'imports.memory-shared', suite: 'conformance', section: '§1 memory import', title: 'an imported shared memory is supplied',
    procs: [{ role: 'main', opts: { memory: '(import "env" "memory" (memory 2 16 shared))' }, body: (h) => `
      ${h.eq('the declared minimum', '(memory.size)', 2)}
      (drop (i32.atomic.rmw.add (i32.const 0x10000) (i32.const 5)))
      ${h.eq('atomics on the shared memory', '(i32.atomic.load (i32.const 0x10000))', 5)}
      ${h.eq('memory.grow', '(memory.grow (i32.const 1))', 2)}
      ${h.eq('syscalls with a shared memory', '(call $inspect (i32.const 0))', 1)}
      (call $done)` }],
  },
  {
    id: 'imports.abort', suite: 'conformance', section: '§1 abort', title: 'abort faults the process with its message',
    procs: [{
      role: 'main',
      opts: { imports: '(import "env" "abort" (func $abort (param i32 i32 i32 i32)))', extra: asStringData(0x12000, 'conformance abort') },
      body: (h) => `
        ${h.say('before abort')}
        (call $abort (i32.const 0x12004) (i32.const 0) (i32.const 12) (i32.const 34))
        ${h.say('after abort')}
        (call $done)`,
      expect: { fault: ['abort'], faultText: /conformance abort/, output: [/^before abort$/m] },
    }],
    check: (run) => (/after abort/.test(outputOf(run, 'main')) ? ['the process went on after abort'] : []),
  },
  refuse('imports.forbidden', '§1 imports', 'any other import is refused before the process starts',
    `(module (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
      (memory (export "memory") 1) (func (export "_start")))`, /wasi_snapshot_preview1|import/i),
  refuse('imports.wrong-signature', '§1 imports', 'an ABI import with another signature is refused',
    `(module (import "env" "zos_syscall" (func (param i32) (result i32)))
      (memory (export "memory") 1) (func (export "_start")))`, /zos_syscall|signature|import/i),
  refuse('exports.missing-start', '§1 exports', '_start is required',
    '(module (memory (export "memory") 1) (func (export "main")))', /_start/),
  refuse('exports.missing-memory', '§1 exports', 'memory must be exported unless imported',
    '(module (func (export "_start")))', /memory/i),
  {
    id: 'limits.memory-max', suite: 'conformance', section: '§1 memory limit', title: 'the 16 MiB limit acts as a maximum: memory.grow past it returns -1 and the process goes on',
    procs: [{ role: 'main', body: (h) => `
      ${h.eq('initial size', '(memory.size)', 2)}
      ${h.eq('growing past 256 pages at once returns -1', '(memory.grow (i32.const 255))', -1)}
      ${h.eq('growing to exactly 256 pages', '(memory.grow (i32.const 254))', 2)}
      ${h.eq('size at the limit', '(memory.size)', 256)}
      ${h.eq('one page more returns -1', '(memory.grow (i32.const 1))', -1)}
      (i32.store (i32.const 0xfffffc) (i32.const 7))
      ${h.eq('the last page is usable', '(i32.load (i32.const 0xfffffc))', 7)}
      ${h.eq('the process goes on: syscalls work', sys(A.SYS_YIELD), 0)}
      (call $done)` }],
  },
  refuse('limits.memory-min-over', '§1 memory limit', 'a module whose declared minimum exceeds the limit is refused',
    '(module (memory (export "memory") 257) (func (export "_start")))', /257|limit|memory/i),
  {
    id: 'limits.memory-configured', suite: 'conformance', section: '§1 memory limit', title: 'the memory limit is configurable per spawn (here 8 pages): grow stops there, a larger minimum is refused',
    memoryLimitPages: 8,
    procs: [
      { role: 'main', body: (h) => `
        (loop $l (br_if $l (i32.ne (memory.grow (i32.const 1)) (i32.const -1))))
        ${h.eq('memory.grow stops at the configured 8 pages', '(memory.size)', 8)}
        ${h.eq('the process goes on', sys(A.SYS_YIELD), 0)}
        (call $done)` },
      { role: 'too-big', module: () => '(module (memory (export "memory") 9) (func (export "_start")))', refused: /9|limit|memory/i },
    ],
  },
  {
    id: 'limits.request-data', suite: 'conformance', section: '§1 request data limit', title: 'request data up to 65536 bytes; more fails the syscall with E_OVERFLOW in its shape',
    procs: [{ role: 'main', body: (h) => `
      (call $send_bytes (i32.const 0) (i32.const 65536))
      ${h.eq('exactly 65536 bytes are accepted (DEBUG)', sys(A.SYS_DEBUG, 0), 0)}
      (call $send_bytes (i32.const 0) (i32.const 65536)) (call $send_bytes (i32.const 0) (i32.const 1))
      ${h.eq('65537 bytes: status E_OVERFLOW (DEBUG)', sys(A.SYS_DEBUG, 0), A.E_OVERFLOW)}
      (call $send_bytes (i32.const 0) (i32.const 65536)) (call $send_bytes (i32.const 0) (i32.const 1))
      ${h.eq('65537 bytes: slot-shaped E_OVERFLOW (CAP_DERIVE)', derive(0, 7), slotErr(A.E_OVERFLOW))}
      (call $send_bytes (i32.const 0) (i32.const 65536)) (call $send_bytes (i32.const 0) (i32.const 1))
      ${h.eq('65537 bytes: length-shaped E_OVERFLOW (RECEIVE)', sys(A.SYS_RECEIVE, 0, 0, 0), -A.E_OVERFLOW)}
      (call $send_bytes (i32.const 0) (i32.const 40000)) (call $send_bytes (i32.const 0) (i32.const 40000))
      ${h.eq('two appends past the limit: E_OVERFLOW (SEND)', sys(A.SYS_SEND, 0, 1, 0), A.E_OVERFLOW)}
      ${h.eq('the failed CAP_DERIVE made no slot', '(call $caps)', 3)}
      ${h.eq('the failed SEND queued nothing', sys(A.SYS_RECEIVE, 0, 0, 0), 0)}
      (call $send_bytes ${h.s('ok request data cleared after E_OVERFLOW\n')})
      (drop ${sys(A.SYS_CONSOLE_WRITE, 41)})
      (call $done)`, expect: { output: [/^ok request data cleared after E_OVERFLOW$/m] } }],
  },
  {
    id: 'limits.payload', suite: 'conformance', section: '§1 payload limit', title: 'IPC payload up to 4088 bytes, so a received message fits in 4096',
    procs: [{ role: 'main', opts: { locals: locals('i') }, body: (h) => `
      ${loop('i', 0, 4089, '(i32.store8 (i32.add (i32.const 0x10000) (local.get $i)) (i32.mul (local.get $i) (i32.const 7)))')}
      (call $send_bytes (i32.const 0x10000) (i32.const 4088))
      ${h.eq('SEND of a 4088-byte payload', sys(A.SYS_SEND, 0, 0x55, 4088), 0)}
      ${h.eq('RECEIVE of it: exactly 4096 bytes', '(call $rcv (i32.const 0) (i32.const 0) (i32.const 0))', 4096)}
      ${h.eq('the payload arrives intact', `(call $memeq (i32.const ${M.RBUF + 8}) (i32.const 0x10000) (i32.const 4088))`, 1)}
      (call $send_bytes (i32.const 0x10000) (i32.const 4089))
      ${h.eq('SEND of 4089 bytes: E_OVERFLOW', sys(A.SYS_SEND, 0, 0x55, 4089), A.E_OVERFLOW)}
      ${h.eq('nothing was queued', sys(A.SYS_RECEIVE, 0, 0, 0), 0)}
      (call $send_bytes (i32.const 0x10000) (i32.const 4089))
      ${h.eq('CALL of 4089 bytes: -E_OVERFLOW', sys(A.SYS_CALL, 2, A.MSG_LOOKUP_SERVICE, 4089), -A.E_OVERFLOW)}
      (call $send_bytes (i32.const 0x10000) (i32.const 4089))
      ${h.eq('SEND_CAP of 4089 bytes: E_OVERFLOW', sys(A.SYS_SEND_CAP, 0, 0x55, 4089), A.E_OVERFLOW)}
      (call $done)` }],
  },

  // ---------------------------------------------------------------- §2
  {
    id: 'ret.status', suite: 'conformance', section: '§2 status shape', title: 'status: 0 on success, else the positive error code',
    procs: [{ role: 'main', body: (h) => `
      ${h.eq('success: 0 (YIELD)', sys(A.SYS_YIELD), 0)}
      ${h.eq('E_BADF 7: CAP_DELETE of an empty slot', sys(A.SYS_CAP_DELETE, 500), A.E_BADF)}
      ${h.eq('E_PERM 1: CAP_REVOKE without grant', sys(A.SYS_CAP_REVOKE, 2), A.E_PERM)}
      (call $done)` }],
  },
  {
    id: 'ret.slot', suite: 'conformance', section: '§2 slot shape', title: 'slot: the slot (bit 31 clear), else 0x80000000 | code',
    procs: [{ role: 'main', opts: { locals: locals('s') }, body: (h) => `
      ${set('s', derive(0, 7))}
      ${h.ok('success: a slot with bit 31 clear (CAP_DERIVE)', '(i32.ge_s (local.get $s) (i32.const 3))')}
      ${h.eq('the slot holds the capability', '(call $present (local.get $s))', 1)}
      ${h.eq('0x80000000 | E_BADF (CAP_DERIVE of an empty slot)', derive(500, 7), slotErr(A.E_BADF))}
      ${h.eq('0x80000000 | E_PERM (CAP_GRANT without grant)', sys(A.SYS_CAP_GRANT, 2, '(call $get_pid)', 2), slotErr(A.E_PERM))}
      (call $done)` }],
  },
  {
    id: 'ret.length', suite: 'conformance', section: '§2 length shape', title: 'length: > 0 bytes of data, 0 for nothing, -code on error',
    procs: [{ role: 'main', body: (h) => `
      ${h.eq('nothing: 0 (RECEIVE on an empty queue)', sys(A.SYS_RECEIVE, 0, 0, 0), 0)}
      ${h.eq('-E_BADF (RECEIVE on an empty slot)', sys(A.SYS_RECEIVE, 500, 0, 0), -A.E_BADF)}
      (call $send_bytes ${h.s('four')})
      (drop ${sys(A.SYS_SEND, 0, 9, 4)})
      ${h.eq('data: its length, 8 + payload', '(call $rcv (i32.const 0) (i32.const 0) (i32.const 0))', 12)}
      (call $done)` }],
  },
  {
    id: 'ret.nosys', suite: 'conformance', section: '§2 E_NOSYS', title: 'an unknown syscall number returns status E_NOSYS',
    procs: [{ role: 'main', body: (h) => [0x00, 0x08, 0x0f, 0x14, 0x1f, 0x36, 0x3f, 0x45, 0x4f, 0x80, 0xff, 0x100, 0x12345, -1]
      .map((n) => h.eq(`syscall ${n < 0 ? n : '0x' + n.toString(16)} answers E_NOSYS`, sys(n, 1, 2, 3), A.E_NOSYS)).join('\n') + '\n(call $done)' }],
  },
  {
    id: 'ret.reserved', suite: 'conformance', section: '§3 reserved ranges', title: '0x20-0x2F, 0x50-0x5F and 0x60-0x6F answer E_NOSYS',
    procs: [{ role: 'main', opts: { locals: locals('i', 'r', 'bad') }, body: (h) => `
      ${[0x20, 0x50, 0x60].map((base) => loop('i', base, base + 16, `
        ${set('r', '(call $syscall (local.get $i) (i32.const 1) (i32.const 0) (i32.const 0))')}
        (if (i32.ne (local.get $r) (i32.const ${A.E_NOSYS})) (then
          ${h.say('reserved syscall ', '(local.get $i)', ' answered ', '(local.get $r)')}
          (local.set $bad (i32.add (local.get $bad) (i32.const 1)))))`)).join('\n')}
      ${h.eq('all 48 reserved numbers answer E_NOSYS (count of others)', get('bad'), 0)}
      (call $done)` }],
  },

  // ---------------------------------------------------------------- §3
  {
    id: 'sys.debug', suite: 'conformance', section: '§3 DEBUG', title: 'DEBUG takes len bytes of text and answers status 0',
    procs: [{ role: 'main', body: (h) => `
      (call $send_bytes ${h.s('conformance: a debug line')})
      ${h.eq('DEBUG of a text', sys(A.SYS_DEBUG, 25), 0)}
      ${h.eq('DEBUG of nothing', sys(A.SYS_DEBUG, 0), 0)}
      (call $done)` }],
  },
  {
    id: 'sys.get-time', suite: 'conformance', section: '§3 GET_TIME', title: 'u32 halves of ns since boot, never going backwards',
    procs: [{ role: 'main', opts: { locals: locals('i', 'bad') + locals64('t0', 't1', 't2') }, body: (h) => `
      ${set('t0', '(call $now_ns)')}
      ${h.ok('ns since boot: positive and under 10 minutes', '(i32.and (i64.gt_u (local.get $t0) (i64.const 0)) (i64.lt_u (local.get $t0) (i64.const 600000000000)))')}
      ${loop('i', 0, 200, `${set('t1', '(call $now_ns)')}
        (if (i64.lt_u (local.get $t1) (local.get $t0)) (then (local.set $bad (i32.add (local.get $bad) (i32.const 1)))))
        ${set('t0', get('t1'))}`)}
      ${h.eq('200 reads never went backwards', get('bad'), 0)}
      ${set('t1', '(call $now_ns)')}
      (call $sleep_ms (i32.const 10))
      ${set('t2', '(call $now_ns)')}
      ${h.ok('after SLEEP 10 ms it advanced by at least 10 ms', '(i64.ge_u (i64.sub (local.get $t2) (local.get $t1)) (i64.const 10000000))')}
      ${h.ok('part 1 is the high half', `(i32.le_u ${sys(A.SYS_GET_TIME, 1)} (i32.wrap_i64 (i64.shr_u (call $now_ns) (i64.const 32))))`)}
      (call $done)` }],
  },
  {
    id: 'sys.get-pid', suite: 'conformance', section: '§3 GET_PID', title: 'GET_PID answers the caller\'s PID',
    procs: [{ role: 'main', body: (h) => `
      ${h.eq('GET_PID equals zos_get_pid', sys(A.SYS_GET_PID), '(call $get_pid)')}
      ${h.ok('GET_PID is 3 or more', `(i32.ge_u ${sys(A.SYS_GET_PID)} (i32.const 3))`)}
      (call $done)` }],
  },
  {
    id: 'sys.list-caps', suite: 'conformance', section: '§3 LIST_CAPS', title: 'count u32, then per cap slot u32, type u8, object_id u64 (13 bytes)',
    procs: [{ role: 'main', opts: { locals: locals('e', 'i', 'at', 'sum', 'seen', 'r', 'n') + locals64('id') }, body: (h) => `
      ${set('e', sys(A.SYS_EP_CREATE, 0))}
      ${set('id', `(i64.or (i64.extend_i32_u ${sys(A.SYS_EP_CREATE, 1)}) (i64.shl (i64.extend_i32_u ${sys(A.SYS_EP_CREATE, 2)}) (i64.const 32)))`)}
      ${set('r', sys(A.SYS_LIST_CAPS))}
      ${set('n', '(call $rd)')}
      ${h.eq('LIST_CAPS answers status 0', get('r'), 0)}
      ${h.eq('data: 4 + 13 x 4 bytes', get('n'), 4 + 13 * 4)}
      ${h.eq('count u32', '(call $r32 (i32.const 0))', 4)}
      ${loop('i', 0, 4, `
        ${set('at', `(i32.add (i32.const 4) (i32.mul (local.get $i) (i32.const 13)))`)}
        (local.set $sum (i32.add (local.get $sum) (call $r32 (local.get $at))))
        (if (i32.ne (call $r8 (i32.add (local.get $at) (i32.const 4))) (i32.const 1)) (then (call $fail ${h.s('an entry whose type is not Endpoint')})))
        (if (i32.eq (call $r32 (local.get $at)) (i32.const 2)) (then
          (local.set $seen (i32.or (local.get $seen) (i32.const 1)))
          ${h.eq64('slot 2 entry: object_id 1', '(call $r64 (i32.add (local.get $at) (i32.const 5)))', 1n)}))
        (if (i32.eq (call $r32 (local.get $at)) (local.get $e)) (then
          (local.set $seen (i32.or (local.get $seen) (i32.const 2)))
          ${h.eq64('new endpoint entry: its object_id', '(call $r64 (i32.add (local.get $at) (i32.const 5)))', get('id'))}))`)}
      ${h.eq('the slots listed are 0, 1, 2 and the new one', get('sum'), `(i32.add (i32.const 3) (local.get $e))`)}
      ${h.eq('both entries found', get('seen'), 3)}
      (call $done)` }],
  },
  {
    id: 'sys.list-procs', suite: 'conformance', section: '§3 LIST_PROCS', title: 'count u32, then per process pid u32, name_len u16, name',
    procs: [{ role: 'main', body: (h) => `
      ${h.ok('status 0 and the entries fill the data exactly', '(i32.gt_s (call $procs) (i32.const 2))')}
      ${h.ok('PID 1 is listed', `(call $procs_find (i32.const 1) (i32.const 0) (i32.const 0) (i32.const 0))`)}
      ${h.ok('PID 2 is listed', `(call $procs_find (i32.const 2) (i32.const 0) (i32.const 0) (i32.const 0))`)}
      ${h.ok('the caller is listed', `(call $procs_find (call $get_pid) (i32.const 0) (i32.const 0) (i32.const 0))`)}
      ${h.ok('PID 1 is named init', `(call $procs_find (i32.const 1) ${h.s('init')} (i32.const 3))`)}
      ${h.eq('no PID is listed twice (PID 1)', `(call $procs_find (i32.const 1) (i32.const 0) (i32.const 0) (i32.const 0))`, 1)}
      (call $done)` }],
  },
  {
    id: 'sys.get-wallclock', suite: 'conformance', section: '§3 GET_WALLCLOCK', title: 'u32 halves of ms since the Unix epoch',
    procs: [{ role: 'main', opts: { locals: locals('i', 'bad', 'hi') + locals64('w0', 'w1', 'w2'), extra: `
      (func $wall (result i64) (local $hi i32) (local $lo i32)
        (loop $again
          (local.set $hi ${sys(A.SYS_GET_WALLCLOCK, 1)})
          (local.set $lo ${sys(A.SYS_GET_WALLCLOCK, 0)})
          (br_if $again (i32.ne (local.get $hi) ${sys(A.SYS_GET_WALLCLOCK, 1)})))
        (i64.or (i64.shl (i64.extend_i32_u (local.get $hi)) (i64.const 32)) (i64.extend_i32_u (local.get $lo))))` }, body: (h) => `
      ${set('w0', '(call $wall)')}
      ${h.ok('ms since the epoch: after 2020 and before 2100', '(i32.and (i64.gt_u (local.get $w0) (i64.const 1577836800000)) (i64.lt_u (local.get $w0) (i64.const 4102444800000)))')}
      ${loop('i', 0, 50, `${set('w1', '(call $wall)')}
        (if (i64.lt_u (local.get $w1) (local.get $w0)) (then (local.set $bad (i32.add (local.get $bad) (i32.const 1)))))
        ${set('w0', get('w1'))}`)}
      ${h.eq('50 reads never went backwards', get('bad'), 0)}
      (call $sleep_ms (i32.const 30))
      ${set('w2', '(call $wall)')}
      ${h.ok('after SLEEP 30 ms it advanced by 25 ms or more', '(i64.ge_u (i64.sub (local.get $w2) (local.get $w1)) (i64.const 25))')}
      (call $done)` }],
  },
  {
    id: 'sys.console-write', suite: 'conformance', section: '§3 CONSOLE_WRITE', title: 'len bytes go to the caller\'s own console, unchanged',
    procs: [{ role: 'main', body: (h) => `
      (call $send_bytes ${h.s('héllo, wörld ✓ conformance\n')})
      ${h.eq('CONSOLE_WRITE of UTF-8 text', sys(A.SYS_CONSOLE_WRITE, new TextEncoder().encode('héllo, wörld ✓ conformance\n').length), 0)}
      ${h.eq('CONSOLE_WRITE of nothing', sys(A.SYS_CONSOLE_WRITE, 0), 0)}
      (call $done)`, expect: { output: [/^héllo, wörld ✓ conformance$/m] } }],
  },
  {
    id: 'sys.thread-create', suite: 'conformance', section: '§3 THREAD_CREATE', title: 'THREAD_CREATE answers status E_NOSYS',
    procs: [{ role: 'main', body: (h) => `
      ${h.eq('THREAD_CREATE', sys(A.SYS_THREAD_CREATE, 0), A.E_NOSYS)}
      (call $done)` }],
  },
  {
    id: 'sys.exit', suite: 'conformance', section: '§3 EXIT', title: 'EXIT ends the process with its code and never returns',
    procs: [{ role: 'main', body: (h) => `
      ${h.say('exiting with 7')}
      (drop ${sys(A.SYS_EXIT, 7)})
      (call $fail ${h.s('EXIT returned')})
      (unreachable)`, expect: { exit: 7, output: [/^exiting with 7$/m] } }],
  },
  {
    id: 'sys.yield', suite: 'conformance', section: '§3 YIELD', title: 'YIELD answers status 0',
    procs: [{ role: 'main', body: (h) => `
      ${h.eq('YIELD', sys(A.SYS_YIELD), 0)}
      ${h.eq('YIELD again', sys(A.SYS_YIELD), 0)}
      (call $done)` }],
  },
  {
    id: 'sys.sleep', suite: 'conformance', section: '§3 SLEEP', title: 'SLEEP answers 0 after the time (ns_low, ns_high)',
    procs: [{ role: 'main', opts: { locals: locals('r') + locals64('t1', 't2') }, body: (h) => `
      ${set('t1', '(call $now_ns)')}
      ${set('r', '(call $sleep_ns (i64.const 20000000))')}
      ${set('t2', '(call $now_ns)')}
      ${h.eq('SLEEP 20 ms answers 0', get('r'), 0)}
      ${h.ok('... after at least 20 ms', '(i64.ge_u (i64.sub (local.get $t2) (local.get $t1)) (i64.const 20000000))')}
      ${h.eq('SLEEP 0 answers 0', sys(A.SYS_SLEEP, 0, 0), 0)}
      (call $done)` }],
  },
  {
    id: 'sys.cap-grant', suite: 'conformance', section: '§3 CAP_GRANT', title: 'needs grant; the copy gets source ∩ perms; source errors before target errors',
    procs: [{ role: 'main', opts: { locals: locals('me', 'g', 'd', 'e', 'x') }, body: (h) => `
      ${set('me', '(call $get_pid)')}
      ${set('g', sys(A.SYS_CAP_GRANT, 0, get('me'), 3))}
      ${h.ok('GRANT of slot 0 (rwg) to self with rw: a slot', '(i32.ge_s (local.get $g) (i32.const 0))')}
      ${h.eq('the copy has source ∩ perms = 3', '(call $perms (local.get $g))', 3)}
      ${h.eq64('the copy names the same object', '(call $obj (local.get $g))', '(call $obj (i32.const 0))')}
      ${h.eq('GRANT from a slot without grant: E_PERM', sys(A.SYS_CAP_GRANT, get('g'), get('me'), 3), slotErr(A.E_PERM))}
      ${h.eq('GRANT from an empty slot: E_BADF', sys(A.SYS_CAP_GRANT, 600, get('me'), 3), slotErr(A.E_BADF))}
      ${h.eq('empty source and unknown target: E_BADF first', sys(A.SYS_CAP_GRANT, 600, 999999, 3), slotErr(A.E_BADF))}
      ${h.eq('source without grant and unknown target: E_PERM first', sys(A.SYS_CAP_GRANT, get('g'), 999999, 3), slotErr(A.E_PERM))}
      ${set('x', sys(A.SYS_CAP_GRANT, 0, 999999, 3))}
      ${h.ok('GRANT to a PID that does not exist: an error (bit 31 set)', '(i32.lt_s (local.get $x) (i32.const 0))')}
      ${set('d', derive(0, A.PERM_READ | A.PERM_GRANT))}
      ${set('e', sys(A.SYS_CAP_GRANT, get('d'), get('me'), 7))}
      ${h.eq('rights never grow: r+g granted with rwg gives r+g', '(call $perms (local.get $e))', 5)}
      ${h.eq('bits beyond rwg are dropped', `(call $perms ${sys(A.SYS_CAP_GRANT, 0, get('me'), 0xff)})`, 7)}
      (call $done)` }],
  },
  {
    id: 'sys.cap-grant-other', suite: 'conformance', section: '§3 CAP_GRANT, RECEIVE', title: 'GRANT into another process; RECEIVE there is refused to a non-owner even with read',
    procs: [
      { role: 'server', opts: { locals: locals('n', 'c', 'd', 'g1', 'g2', 'g3') }, body: (h) => `
        ${h.serve}
        ${set('n', '(call $wait (i32.const 0) (i32.const 10000))')}
        ${h.ok('the client\'s CALL arrives', '(i32.ge_s (local.get $n) (i32.const 8))')}
        ${set('c', '(call $mfrom)')}
        ${set('d', derive(0, 5))}
        ${set('g1', sys(A.SYS_CAP_GRANT, 0, get('c'), 3))}
        ${set('g2', sys(A.SYS_CAP_GRANT, get('d'), get('c'), 7))}
        ${set('g3', sys(A.SYS_CAP_GRANT, 0, get('c'), 2))}
        ${h.ok('GRANT rw into the client', '(i32.ge_s (local.get $g1) (i32.const 0))')}
        ${h.ok('GRANT from r+g into the client', '(i32.ge_s (local.get $g2) (i32.const 0))')}
        ${h.ok('GRANT w into the client', '(i32.ge_s (local.get $g3) (i32.const 0))')}
        ${put(0, get('g1'))} ${put(1, get('g2'))} ${put(2, get('g3'))}
        ${h.eq('REPLY with the slots', `(call $reply (local.get $c) (i32.const 0x2000) (i32.const ${M.SBUF}) (i32.const 12))`, 0)}
        ${set('n', '(call $wait (i32.const 0) (i32.const 10000))')}
        ${h.eq('a message sent through the granted capability arrives', '(call $mtag)', 0x2001)}
        ${h.eq('... from the client', '(call $mfrom)', get('c'))}
        (call $done)` },
      { role: 'client', opts: { locals: locals('srv', 'n', 'g1', 'g2', 'g3') }, body: (h) => `
        ${h.connect('$srv')}
        ${set('n', '(call $call (local.get $srv) (i32.const 0x2000) (i32.const 0) (i32.const 0))')}
        ${h.eq('the reply: 8 + 12 bytes', get('n'), 20)}
        ${set('g1', '(call $mu32 (i32.const 0))')} ${set('g2', '(call $mu32 (i32.const 1))')} ${set('g3', '(call $mu32 (i32.const 2))')}
        ${h.eq('the rw capability is in the slot GRANT named', '(call $perms (local.get $g1))', 3)}
        ${h.eq64('... naming the server\'s endpoint', '(call $obj (local.get $g1))', '(call $obj (local.get $srv))')}
        ${h.eq('granted from r+g with rwg: r+g', '(call $perms (local.get $g2))', 5)}
        ${h.eq('granted w', '(call $perms (local.get $g3))', 2)}
        ${h.eq('RECEIVE on another process\'s endpoint, even with read: -E_PERM', sys(A.SYS_RECEIVE, get('g1'), 0, 0), -A.E_PERM)}
        ${h.eq('SEND through the granted capability', '(call $snd (local.get $g1) (i32.const 0x2001) (i32.const 0) (i32.const 0))', 0)}
        (call $done)` },
    ],
  },
  {
    id: 'sys.cap-revoke', suite: 'conformance', section: '§3 CAP_REVOKE, §5 CAP_REVOKED', title: 'REVOKE needs grant, removes descendants transitively, keeps the slot; one notice per lost capability',
    procs: [{ role: 'main', opts: { locals: locals('a', 'b', 'c', 'g', 'n', 'cnt', 'mask', 's') + locals64('id') }, body: (h) => `
      ${set('a', derive(0, 7))} ${set('b', derive(get('a'), 7))} ${set('c', derive(get('b'), 3))}
      ${set('g', sys(A.SYS_CAP_GRANT, 0, '(call $get_pid)', 7))}
      ${h.eq('REVOKE without grant: E_PERM', sys(A.SYS_CAP_REVOKE, get('c')), A.E_PERM)}
      ${h.eq('REVOKE of slot 2 (write only): E_PERM', sys(A.SYS_CAP_REVOKE, 2), A.E_PERM)}
      ${h.eq('REVOKE of an empty slot: E_BADF', sys(A.SYS_CAP_REVOKE, 700), A.E_BADF)}
      ${set('id', '(call $obj (i32.const 0))')}
      ${h.eq('REVOKE of slot 0', sys(A.SYS_CAP_REVOKE, 0), 0)}
      ${h.eq('the slot itself stays', '(call $present (i32.const 0))', 1)}
      ${h.eq('derived a is gone', '(call $present (local.get $a))', 0)}
      ${h.eq('derived from a (b) is gone', '(call $present (local.get $b))', 0)}
      ${h.eq('derived from b (c) is gone', '(call $present (local.get $c))', 0)}
      ${h.eq('granted g is gone', '(call $present (local.get $g))', 0)}
      ${h.eq('slots 1 and 2 are untouched', '(call $caps)', 3)}
      (block $end (loop $more
        ${set('n', '(call $rcv (i32.const 1) (i32.const 0) (i32.const 0))')}
        (br_if $end (i32.le_s (local.get $n) (i32.const 0)))
        ${noticeChecks(h, A.REVOKE_EXPLICIT, get('id'))}
        ${set('s', '(call $r32 (i32.const 8))')}
        (if (i32.lt_u (local.get $s) (i32.const 32)) (then (local.set $mask (i32.or (local.get $mask) (i32.shl (i32.const 1) (local.get $s))))))
        (local.set $cnt (i32.add (local.get $cnt) (i32.const 1)))
        (br_if $more (i32.lt_u (local.get $cnt) (i32.const 20)))))
      ${h.eq('four notices: one per lost capability', get('cnt'), 4)}
      ${h.eq('the notices name exactly the lost slots', get('mask'),
        '(i32.or (i32.or (i32.shl (i32.const 1) (local.get $a)) (i32.shl (i32.const 1) (local.get $b))) (i32.or (i32.shl (i32.const 1) (local.get $c)) (i32.shl (i32.const 1) (local.get $g))))')}
      (call $done)` }],
  },
  {
    id: 'sys.cap-revoke-other', suite: 'conformance', section: '§3 CAP_REVOKE', title: 'REVOKE reaches derived and granted copies in every process; each holder is notified',
    procs: [
      { role: 'server', opts: { locals: locals('n', 'c', 'g', 'r') }, body: (h) => `
        ${h.serve}
        ${grantToCaller}
        ${h.eq('second CALL: revoke now', '(call $mtag)', 0x2001)}
        ${set('r', sys(A.SYS_CAP_REVOKE, 0))}
        ${h.eq('REVOKE of slot 0', get('r'), 0)}
        ${h.eq('the slot itself stays', '(call $present (i32.const 0))', 1)}
        ${put(0, get('r'))}
        (drop (call $reply (local.get $c) (i32.const 0x2001) (i32.const ${M.SBUF}) (i32.const 4)))
        (call $done)` },
      { role: 'client', opts: { locals: locals('srv', 'n', 'held', 'cnt', 's') + locals64('id') }, body: (h) => `
        ${h.connect('$srv')}
        ${set('id', '(call $obj (local.get $srv))')}
        (drop (call $call (local.get $srv) (i32.const 0x2000) (i32.const 0) (i32.const 0)))
        ${set('held', `(call $count_caps (i32.const ${A.OBJ_ENDPOINT}) (local.get $id))`)}
        ${h.ok('holds two or more capabilities to the server endpoint (LOOKUP\'s and GRANT\'s)', '(i32.ge_u (local.get $held) (i32.const 2))')}
        ${set('n', '(call $call (local.get $srv) (i32.const 0x2001) (i32.const 0) (i32.const 0))')}
        ${h.eq('the server\'s REVOKE answered 0', '(call $mu32 (i32.const 0))', 0)}
        ${takeNotices(h, A.REVOKE_EXPLICIT, 2000)}
        ${h.eq('no capability to the server endpoint is left', `(call $count_caps (i32.const ${A.OBJ_ENDPOINT}) (local.get $id))`, 0)}
        ${h.eq('no further notice', sys(A.SYS_RECEIVE, 1, 0, 0), 0)}
        ${h.eq('SEND on a revoked slot: E_BADF', sys(A.SYS_SEND, get('srv'), 1, 0), A.E_BADF)}
        (call $done)` },
    ],
  },
  removalIsImmediate('revoke'),
  removalIsImmediate('init'),
  {
    id: 'sys.cap-delete', suite: 'conformance', section: '§3 CAP_DELETE', title: 'DELETE removes the caller\'s own slot, silently; what was derived from it stays',
    procs: [{ role: 'main', opts: { locals: locals('a', 'b') }, body: (h) => `
      ${h.eq('DELETE of an empty slot: E_BADF', sys(A.SYS_CAP_DELETE, 800), A.E_BADF)}
      ${set('a', derive(0, 7))} ${set('b', derive(get('a'), 3))}
      ${h.eq('DELETE', sys(A.SYS_CAP_DELETE, get('a')), 0)}
      ${h.eq('the slot is empty', '(call $present (local.get $a))', 0)}
      ${h.eq('what was derived from it stays', '(call $present (local.get $b))', 1)}
      ${h.eq('no notification', sys(A.SYS_RECEIVE, 1, 0, 0), 0)}
      ${h.eq('DELETE needs no right (slot 2, write only)', sys(A.SYS_CAP_DELETE, 2), 0)}
      ${h.eq('slot 2 is empty', '(call $present (i32.const 2))', 0)}
      (call $done)` }],
  },
  {
    id: 'sys.cap-inspect', suite: 'conformance', section: '§3 CAP_INSPECT', title: '1 if present, 0 if empty; type u8, perms u8, pad u16, slot u32, object_id u64',
    procs: [{ role: 'main', opts: { locals: locals('e', 'r', 'n') + locals64('id') }, body: (h) => `
      ${set('e', sys(A.SYS_EP_CREATE, 0))}
      ${set('id', `(i64.or (i64.extend_i32_u ${sys(A.SYS_EP_CREATE, 1)}) (i64.shl (i64.extend_i32_u ${sys(A.SYS_EP_CREATE, 2)}) (i64.const 32)))`)}
      ${set('r', sys(A.SYS_CAP_INSPECT, get('e')))}
      ${set('n', '(call $rd)')}
      ${h.eq('present: 1', get('r'), 1)}
      ${h.eq('16 bytes of data', get('n'), 16)}
      ${h.eq('type u8 at 0: Endpoint', '(call $r8 (i32.const 0))', A.OBJ_ENDPOINT)}
      ${h.eq('perms u8 at 1: rwg', '(call $r8 (i32.const 1))', 7)}
      ${h.eq('pad u16 at 2', '(i32.load16_u (i32.const 0x4002))', 0)}
      ${h.eq('slot u32 at 4', '(call $r32 (i32.const 4))', get('e'))}
      ${h.eq64('object_id u64 at 8', '(call $r64 (i32.const 8))', get('id'))}
      ${set('r', sys(A.SYS_CAP_INSPECT, 2))}
      (drop (call $rd))
      ${h.eq('slot 2: present', get('r'), 1)}
      ${h.eq('slot 2: type Endpoint', '(call $r8 (i32.const 0))', 1)}
      ${h.eq('slot 2: perms w', '(call $r8 (i32.const 1))', 2)}
      ${h.eq('slot 2: slot field', '(call $r32 (i32.const 4))', 2)}
      ${h.eq64('slot 2: object_id 1', '(call $r64 (i32.const 8))', 1n)}
      ${h.eq('empty slot: 0', sys(A.SYS_CAP_INSPECT, 900), 0)}
      (call $done)` }],
  },
  {
    id: 'sys.cap-derive', suite: 'conformance', section: '§3 CAP_DERIVE', title: 'needs no right; makes source ∩ perms in the caller\'s own CSpace',
    procs: [{ role: 'main', opts: { locals: locals('d', 'r', 'x') }, body: (h) => `
      ${set('d', derive(2, 7))}
      ${h.ok('DERIVE from slot 2 (write only, no grant) works', '(i32.ge_s (local.get $d) (i32.const 0))')}
      ${h.eq('rights never grow: w ∩ rwg = w', '(call $perms (local.get $d))', 2)}
      ${h.eq64('same object', '(call $obj (local.get $d))', 1n)}
      ${set('r', derive(0, 1))}
      ${h.eq('rwg ∩ r = r', '(call $perms (local.get $r))', 1)}
      ${set('x', derive(0, 0xff))}
      ${h.eq('bits beyond rwg are dropped', '(call $perms (local.get $x))', 7)}
      ${h.eq('DERIVE of an empty slot: E_BADF', derive(900, 7), slotErr(A.E_BADF))}
      ${h.eq('the copies are in the caller\'s CSpace', '(call $caps)', 6)}
      (call $done)` }],
  },
  {
    id: 'sys.ep-create', suite: 'conformance', section: '§3 EP_CREATE', title: 'part 0 creates (rwg) and returns the slot; parts 1/2 give the newest endpoint\'s id',
    procs: [{ role: 'main', opts: { locals: locals('s', 't') }, body: (h) => {
      const newest = `(i64.or (i64.extend_i32_u ${sys(A.SYS_EP_CREATE, 1)}) (i64.shl (i64.extend_i32_u ${sys(A.SYS_EP_CREATE, 2)}) (i64.const 32)))`;
      return `
      ${set('s', sys(A.SYS_EP_CREATE, 0))}
      ${h.ok('part 0: a slot', '(i32.ge_s (local.get $s) (i32.const 3))')}
      ${h.eq('the creator gets rwg', '(call $perms (local.get $s))', 7)}
      ${h.eq('of an Endpoint', '(call $itype)', A.OBJ_ENDPOINT)}
      ${h.eq64('parts 1/2: the new endpoint\'s id', newest, '(call $obj (local.get $s))')}
      ${set('t', sys(A.SYS_EP_CREATE, 0))}
      ${h.ok('a second endpoint is another object', '(i64.ne (call $obj (local.get $t)) (call $obj (local.get $s)))')}
      ${h.eq64('parts 1/2 follow the newest', newest, '(call $obj (local.get $t))')}
      ${h.ok("it is not slot 0's endpoint", '(i64.ne (call $obj (local.get $t)) (call $obj (i32.const 0)))')}
      (drop (call $snd (local.get $t) (i32.const 0x42) (i32.const 0) (i32.const 0)))
      ${h.eq('the creator receives on it', '(call $rcv (local.get $t) (i32.const 0) (i32.const 0))', 8)}
      (call $done)`;
    } }],
  },
  {
    id: 'sys.send', suite: 'conformance', section: '§3 SEND', title: 'SEND needs write on an Endpoint capability; FIFO per endpoint',
    procs: [{ role: 'main', opts: { locals: locals('r', 'i', 'bad', 'me') }, body: (h) => `
      ${set('me', '(call $get_pid)')}
      ${set('r', derive(0, 1))}
      ${h.eq('SEND without write: E_PERM', sys(A.SYS_SEND, get('r'), 1, 0), A.E_PERM)}
      ${h.eq('SEND on an empty slot: E_BADF', sys(A.SYS_SEND, 900, 1, 0), A.E_BADF)}
      ${loop('i', 0, 5, `${put(0, get('i'))}
        (if (call $snd (i32.const 0) (i32.add (i32.const 0x100) (local.get $i)) (i32.const ${M.SBUF}) (i32.const 4))
          (then (local.set $bad (i32.add (local.get $bad) (i32.const 1)))))`)}
      ${h.eq('five SENDs answered 0', get('bad'), 0)}
      ${loop('i', 0, 5, `
        (if (i32.or (i32.or (i32.ne (call $rcv (i32.const 0) (i32.const 0) (i32.const 0)) (i32.const 12))
                            (i32.ne (call $mtag) (i32.add (i32.const 0x100) (local.get $i))))
                    (i32.or (i32.ne (call $mu32 (i32.const 0)) (local.get $i)) (i32.ne (call $mfrom) (local.get $me))))
          (then (local.set $bad (i32.add (local.get $bad) (i32.const 1)))))`)}
      ${h.eq('received in the order sent (count out of order)', get('bad'), 0)}
      ${h.eq('nothing more', sys(A.SYS_RECEIVE, 0, 0, 0), 0)}
      (call $done)` }],
  },
  {
    id: 'sys.queue-bound', suite: 'conformance', section: '§3 SEND queue bound', title: 'a queue holds 256 messages; a full queue answers E_AGAIN and loses nothing',
    procs: [{ role: 'main', opts: { locals: locals('i', 'bad') }, body: (h) => `
      ${loop('i', 0, 256, `${put(0, get('i'))}
        (if (call $snd (i32.const 0) (i32.const 7) (i32.const ${M.SBUF}) (i32.const 4))
          (then (local.set $bad (i32.add (local.get $bad) (i32.const 1)))))`)}
      ${h.eq('256 messages fit', get('bad'), 0)}
      ${put(0, 256)}
      ${h.eq('message 257: E_AGAIN', `(call $snd (i32.const 0) (i32.const 7) (i32.const ${M.SBUF}) (i32.const 4))`, A.E_AGAIN)}
      ${loop('i', 0, 256, `
        (if (i32.or (i32.ne (call $rcv (i32.const 0) (i32.const 0) (i32.const 0)) (i32.const 12))
                    (i32.ne (call $mu32 (i32.const 0)) (local.get $i)))
          (then (local.set $bad (i32.add (local.get $bad) (i32.const 1)))))`)}
      ${h.eq('all 256 received in order', get('bad'), 0)}
      ${h.eq('nothing more: the refused one was not queued', sys(A.SYS_RECEIVE, 0, 0, 0), 0)}
      ${put(0, 257)}
      ${h.eq('after draining, SEND works again', `(call $snd (i32.const 0) (i32.const 7) (i32.const ${M.SBUF}) (i32.const 4))`, 0)}
      (call $done)` }],
  },
  {
    id: 'sys.receive', suite: 'conformance', section: '§3 RECEIVE', title: 'needs read; flags 0 non-blocking, bit 0 blocks until a message or the timeout (then 0); from, tag, payload',
    procs: [{ role: 'main', opts: { locals: locals('w', 'n') + locals64('t1', 't2') }, body: (h) => `
      ${set('w', derive(0, 2))}
      ${h.eq('RECEIVE without read: -E_PERM', sys(A.SYS_RECEIVE, get('w'), 0, 0), -A.E_PERM)}
      ${h.eq('RECEIVE on an empty slot: -E_BADF', sys(A.SYS_RECEIVE, 900, 0, 0), -A.E_BADF)}
      ${h.eq('non-blocking on an empty queue: 0', sys(A.SYS_RECEIVE, 0, 0, 0), 0)}
      ${set('t1', '(call $now_ns)')}
      ${set('n', sys(A.SYS_RECEIVE, 0, 1, 30))}
      ${set('t2', '(call $now_ns)')}
      ${h.eq('blocking with a 30 ms timeout: 0 when it runs out', get('n'), 0)}
      ${h.ok('... after at least 30 ms', '(i64.ge_u (i64.sub (local.get $t2) (local.get $t1)) (i64.const 30000000))')}
      (drop (call $snd (i32.const 0) (i32.const 0xabcd) ${h.s('payload')}))
      ${set('n', '(call $rcv (i32.const 0) (i32.const 1) (i32.const 1000))')}
      ${h.eq('length: 8 + payload', get('n'), 15)}
      ${h.eq('from u32: the sender', '(call $mfrom)', '(call $get_pid)')}
      ${h.eq('tag u32', '(call $mtag)', 0xabcd)}
      ${h.eq('payload', `(call $memeq (i32.const ${M.RBUF + 8}) ${h.s('payload')})`, 1)}
      (call $done)` }],
  },
  {
    id: 'sys.receive-blocking', suite: 'conformance', section: '§3 RECEIVE', title: 'a blocking RECEIVE with timeout 0 waits, without limit, for a message from another process',
    procs: [
      { role: 'server', opts: { locals: locals('n', 'c', 'k') }, body: (h) => `
        ${h.serve}
        ${set('n', '(call $wait (i32.const 0) (i32.const 10000))')}
        ${set('c', '(call $mfrom)')}
        (drop (call $reply (local.get $c) (i32.const 0x2000) (i32.const 0) (i32.const 0)))
        ${set('n', '(call $wait (i32.const 0) (i32.const 10000))')}
        ${h.eq('the client sends the slot of its grant', '(call $mtag)', 0x2001)}
        ${set('k', '(call $mu32 (i32.const 0))')}
        ${h.eq('the client granted write on its endpoint', '(call $perms (local.get $k))', 2)}
        (call $sleep_ms (i32.const 60))
        ${put(0, 0x5eed)}
        ${h.eq('SEND to the blocked client', `(call $snd (local.get $k) (i32.const 0x2002) (i32.const ${M.SBUF}) (i32.const 4))`, 0)}
        (call $done)` },
      { role: 'client', opts: { locals: locals('srv', 'n', 'spid', 'k') + locals64('t1', 't2') }, body: (h) => `
        ${h.connect('$srv')}
        (drop (call $call (local.get $srv) (i32.const 0x2000) (i32.const 0) (i32.const 0)))
        ${set('spid', '(call $mfrom)')}
        ${set('k', sys(A.SYS_CAP_GRANT, 0, get('spid'), 2))}
        ${h.ok('GRANT write on slot 0 to the server', '(i32.ge_s (local.get $k) (i32.const 0))')}
        ${put(0, get('k'))}
        (drop (call $snd (local.get $srv) (i32.const 0x2001) (i32.const ${M.SBUF}) (i32.const 4)))
        ${set('t1', '(call $now_ns)')}
        ${set('n', sys(A.SYS_RECEIVE, 0, 1, 0))}
        (drop (call $rd))
        ${set('t2', '(call $now_ns)')}
        ${h.eq('it wakes with the message', get('n'), 12)}
        ${h.eq('from the server', '(call $mfrom)', get('spid'))}
        ${h.eq('tag', '(call $mtag)', 0x2002)}
        ${h.eq('payload', '(call $mu32 (i32.const 0))', 0x5eed)}
        ${h.ok('it waited for the server (40 ms or more)', '(i64.ge_u (i64.sub (local.get $t2) (local.get $t1)) (i64.const 40000000))')}
        (call $done)` },
    ],
  },
  {
    id: 'sys.call-reply', suite: 'conformance', section: '§3 CALL, REPLY', title: 'CALL blocks until the REPLY; REPLY only to a caller whose CALL was received and not answered (else E_NOENT)',
    procs: [
      { role: 'server', opts: { locals: locals('n', 'c') }, body: (h) => `
        ${h.serve}
        ${set('n', '(call $wait (i32.const 0) (i32.const 10000))')}
        ${h.eq('the CALL arrives: 8 + 8 bytes', get('n'), 16)}
        ${set('c', '(call $mfrom)')}
        ${h.eq('with its tag', '(call $mtag)', 0x2000)}
        ${h.eq('and payload', '(call $mu32 (i32.const 1))', 1234)}
        ${h.eq('REPLY to a process that has not called: E_NOENT', sys(A.SYS_REPLY, 1, 0, 0), A.E_NOENT)}
        (call $sleep_ms (i32.const 40))
        ${put(0, 1235)}
        ${h.eq('REPLY to the caller', `(call $reply (local.get $c) (i32.const 0x2001) (i32.const ${M.SBUF}) (i32.const 4))`, 0)}
        ${h.eq('a second REPLY to the same CALL: E_NOENT', `(call $reply (local.get $c) (i32.const 0x2001) (i32.const ${M.SBUF}) (i32.const 4))`, A.E_NOENT)}
        ${set('n', '(call $wait (i32.const 0) (i32.const 10000))')}
        ${h.eq('a plain SEND arrives', '(call $mtag)', 0x2002)}
        ${h.eq('REPLY to a plain SEND: E_NOENT', '(call $reply (local.get $c) (i32.const 0) (i32.const 0) (i32.const 0))', A.E_NOENT)}
        ${set('n', '(call $wait (i32.const 0) (i32.const 10000))')}
        ${h.eq('the last CALL arrives', '(call $mtag)', 0x2003)}
        (drop (call $reply (local.get $c) (i32.const 0x2004) (i32.const 0) (i32.const 0)))
        (call $done)` },
      { role: 'client', opts: { locals: locals('srv', 'n') + locals64('t1', 't2') }, body: (h) => `
        ${h.connect('$srv')}
        ${put(0, 0x676e6970)} ${put(1, 1234)}
        ${set('t1', '(call $now_ns)')}
        ${set('n', `(call $call (local.get $srv) (i32.const 0x2000) (i32.const ${M.SBUF}) (i32.const 8))`)}
        ${set('t2', '(call $now_ns)')}
        ${h.eq('CALL returns the reply\'s length: 8 + 4', get('n'), 12)}
        ${h.ok('CALL blocked until the REPLY (40 ms or more)', '(i64.ge_u (i64.sub (local.get $t2) (local.get $t1)) (i64.const 40000000))')}
        ${h.ok('the reply comes from the server', '(i32.and (i32.ne (call $mfrom) (call $get_pid)) (i32.ge_u (call $mfrom) (i32.const 3)))')}
        ${h.eq('reply tag', '(call $mtag)', 0x2001)}
        ${h.eq('reply payload', '(call $mu32 (i32.const 0))', 1235)}
        ${h.eq('a plain SEND', '(call $snd (local.get $srv) (i32.const 0x2002) (i32.const 0) (i32.const 0))', 0)}
        ${h.eq('a last CALL', '(call $call (local.get $srv) (i32.const 0x2003) (i32.const 0) (i32.const 0))', 8)}
        ${h.eq('its reply tag', '(call $mtag)', 0x2004)}
        (call $done)` },
    ],
  },
  {
    id: 'sys.send-cap', suite: 'conformance', section: '§3 SEND_CAP', title: 'capabilities move with the message into new slots listed after the payload; all or none',
    procs: [{ role: 'main', opts: { locals: locals('e', 'd', 'n', 's1', 's2', 'x', 'r') + locals64('eid') }, body: (h) => `
      ${set('e', sys(A.SYS_EP_CREATE, 0))} ${set('eid', '(call $obj (local.get $e))')}
      ${set('d', derive(0, 3))}
      (i32.store (i32.const ${M.SBUF}) (i32.const 0x73706163))
      (i32.store (i32.const ${M.SBUF + 4}) (local.get $e)) (i32.store (i32.const ${M.SBUF + 8}) (local.get $d))
      (call $send_bytes (i32.const ${M.SBUF}) (i32.const 12))
      ${h.eq('SEND_CAP of two capabilities', sys(A.SYS_SEND_CAP, 0, 0x44, 4 | (2 << 16)), 0)}
      ${h.eq('the endpoint capability left the sender', '(call $present (local.get $e))', 0)}
      ${h.eq('the derived capability left the sender', '(call $present (local.get $d))', 0)}
      ${set('n', '(call $rcv (i32.const 0) (i32.const 0) (i32.const 0))')}
      ${h.eq('received: 8 + payload + 2 slots', get('n'), 20)}
      ${h.eq('tag', '(call $mtag)', 0x44)}
      ${h.eq('payload', '(call $r32 (i32.const 8))', 0x73706163)}
      ${set('s1', '(call $r32 (i32.const 12))')} ${set('s2', '(call $r32 (i32.const 16))')}
      ${h.eq64('first listed slot holds the endpoint', '(call $obj (local.get $s1))', get('eid'))}
      ${h.eq('... with its rights', '(call $perms (local.get $s1))', 7)}
      ${h.eq64('second listed slot holds the derived capability', '(call $obj (local.get $s2))', '(call $obj (i32.const 0))')}
      ${h.eq('... with its rights', '(call $perms (local.get $s2))', 3)}
      ${set('x', derive(0, 1))}
      (i32.store (i32.const ${M.SBUF}) (local.get $x)) (i32.store (i32.const ${M.SBUF + 4}) (i32.const 950))
      (call $send_bytes (i32.const ${M.SBUF}) (i32.const 8))
      ${set('r', sys(A.SYS_SEND_CAP, 0, 0x45, 0 | (2 << 16)))}
      ${h.ok('SEND_CAP listing an empty slot fails', '(i32.ne (local.get $r) (i32.const 0))')}
      ${h.eq('... and moves nothing', '(call $present (local.get $x))', 1)}
      ${h.eq('... and sends nothing', sys(A.SYS_RECEIVE, 0, 0, 0), 0)}
      (call $done)` }],
  },
  {
    id: 'sys.send-cap-other', suite: 'conformance', section: '§3 SEND_CAP', title: 'a capability moved to another process works there',
    procs: [
      { role: 'server', opts: { locals: locals('n', 's') }, body: (h) => `
        ${h.serve}
        ${set('n', '(call $wait (i32.const 0) (i32.const 10000))')}
        ${h.eq('the message: 8 + 4 + one slot', get('n'), 16)}
        ${set('s', '(call $r32 (i32.const 12))')}
        ${h.eq('the moved capability is in the listed slot', '(call $present (local.get $s))', 1)}
        ${h.eq('with write only', '(call $perms (local.get $s))', 2)}
        ${put(0, '(call $perms (local.get $s))')}
        ${h.eq('SEND through it', `(call $snd (local.get $s) (i32.const 0x2001) (i32.const ${M.SBUF}) (i32.const 4))`, 0)}
        (call $done)` },
      { role: 'client', opts: { locals: locals('srv', 'e', 'd', 'n') }, body: (h) => `
        ${h.connect('$srv')}
        ${set('e', sys(A.SYS_EP_CREATE, 0))}
        ${set('d', derive(get('e'), 2))}
        (i32.store (i32.const ${M.SBUF}) (i32.const 0x656b6174)) (i32.store (i32.const ${M.SBUF + 4}) (local.get $d))
        (call $send_bytes (i32.const ${M.SBUF}) (i32.const 8))
        ${h.eq('SEND_CAP to the server', sys(A.SYS_SEND_CAP, get('srv'), 0x2000, 4 | (1 << 16)), 0)}
        ${h.eq('the capability left the client', '(call $present (local.get $d))', 0)}
        ${set('n', '(call $wait (local.get $e) (i32.const 10000))')}
        ${h.eq('the server sent through it', get('n'), 12)}
        ${h.eq('tag', '(call $mtag)', 0x2001)}
        ${h.eq('the server saw write only', '(call $mu32 (i32.const 0))', 2)}
        (call $done)` },
    ],
  },
  {
    id: 'exit.cleanup', suite: 'conformance', section: '§3 EXIT cleanup', title: 'on EXIT the endpoints are destroyed; others\' capabilities to them go with CAP_REVOKED reason 3',
    procs: [
      { role: 'server', opts: { locals: locals('n', 'c', 'g') }, body: (h) => `
        ${h.serve}
        ${grantToCaller}
        ${h.eq('the client says bye', '(call $mtag)', 0x2009)}
        (call $done)` },
      { role: 'client', opts: { locals: locals('srv', 'n', 'held', 'cnt', 's') + locals64('id') }, body: (h) => `
        ${h.connect('$srv')}
        ${set('id', '(call $obj (local.get $srv))')}
        (drop (call $call (local.get $srv) (i32.const 0x2000) (i32.const 0) (i32.const 0)))
        ${set('held', `(call $count_caps (i32.const ${A.OBJ_ENDPOINT}) (local.get $id))`)}
        (drop (call $snd (local.get $srv) (i32.const 0x2009) (i32.const 0) (i32.const 0)))
        ${h.ok('holds two or more capabilities to the server endpoint', '(i32.ge_u (local.get $held) (i32.const 2))')}
        ${takeNotices(h, A.REVOKE_PROCESS_EXITED, 5000)}
        ${h.eq('no capability to the dead endpoint is left', `(call $count_caps (i32.const ${A.OBJ_ENDPOINT}) (local.get $id))`, 0)}
        ${h.eq('SEND on the removed slot: E_BADF', sys(A.SYS_SEND, get('srv'), 1, 0), A.E_BADF)}
        (call $done)` },
    ],
  },
  {
    id: 'exit.fault-cleanup', suite: 'conformance', section: '§3 EXIT cleanup', title: 'a fault ends the process with the same cleanup as EXIT',
    procs: [
      { role: 'server', opts: { locals: locals('n', 'c') }, body: (h) => `
        ${h.serve}
        ${set('n', '(call $wait (i32.const 0) (i32.const 10000))')}
        ${set('c', '(call $mfrom)')}
        (drop (call $reply (local.get $c) (i32.const 0x2000) (i32.const 0) (i32.const 0)))
        ${set('n', '(call $wait (i32.const 0) (i32.const 10000))')}
        ${h.eq('the client says bye', '(call $mtag)', 0x2009)}
        ${h.say('trapping now')}
        (unreachable)`, expect: { fault: ['trap'], output: [/^trapping now$/m] } },
      { role: 'client', opts: { locals: locals('srv', 'n', 'held', 'cnt', 's') + locals64('id') }, body: (h) => `
        ${h.connect('$srv')}
        ${set('id', '(call $obj (local.get $srv))')}
        (drop (call $call (local.get $srv) (i32.const 0x2000) (i32.const 0) (i32.const 0)))
        ${set('held', `(call $count_caps (i32.const ${A.OBJ_ENDPOINT}) (local.get $id))`)}
        (drop (call $snd (local.get $srv) (i32.const 0x2009) (i32.const 0) (i32.const 0)))
        ${takeNotices(h, A.REVOKE_PROCESS_EXITED, 5000)}
        ${h.eq('no capability to the dead endpoint is left', `(call $count_caps (i32.const ${A.OBJ_ENDPOINT}) (local.get $id))`, 0)}
        (call $done)` },
    ],
  },

  // ---------------------------------------------------------------- §4
  {
    id: 'boot.pids', suite: 'conformance', section: '§4 boot', title: 'PID 1 is init, PID 2 the permission service, others are 3+',
    procs: [{ role: 'main', body: (h) => `
      ${h.ok('GET_PID is 3 or more', `(i32.ge_u ${sys(A.SYS_GET_PID)} (i32.const 3))`)}
      (drop (call $procs))
      ${h.ok('PID 1 is listed, named init', `(call $procs_find (i32.const 1) ${h.s('init')} (i32.const 3))`)}
      ${h.ok('PID 2 is listed', `(call $procs_find (i32.const 2) (i32.const 0) (i32.const 0) (i32.const 0))`)}
      (call $done)` }],
    browserLogs: true,
    check: (run) => {
      // In the browser the page API shows the kernel's process table, PID 0 included (ABI §4: named in logs).
      const t = run.browserLogs?.processes;
      if (!t) return [];
      const f: string[] = [];
      if (!t.some((p) => p.pid === 0)) f.push('processes(): no PID 0 (the supervisor) in the process table');
      if (t.find((p) => p.pid === 1)?.status !== 'alive') f.push('processes(): PID 1 is not alive');
      if (t.find((p) => p.pid === 2)?.status !== 'alive') f.push('processes(): PID 2 is not alive');
      return f;
    },
  },
  {
    id: 'boot.slots', suite: 'conformance', section: '§4 spawn slots', title: 'exactly three capabilities at spawn: slot 0 own endpoint rwg, slot 1 input endpoint rwg, slot 2 write-only to init endpoint 1',
    procs: [{ role: 'main', body: (h) => `
      ${h.eq('three capabilities (LIST_CAPS count)', '(call $caps)', 3)}
      ${h.eq('slot 0 present', '(call $inspect (i32.const 0))', 1)}
      ${h.eq('slot 0 type Endpoint', '(call $itype)', A.OBJ_ENDPOINT)}
      ${h.eq('slot 0 perms rwg', '(call $iperms)', 7)}
      ${h.eq('slot 1 present', '(call $inspect (i32.const 1))', 1)}
      ${h.eq('slot 1 type Endpoint', '(call $itype)', A.OBJ_ENDPOINT)}
      ${h.eq('slot 1 perms rwg', '(call $iperms)', 7)}
      ${h.eq('slot 2 present', '(call $inspect (i32.const 2))', 1)}
      ${h.eq('slot 2 type Endpoint', '(call $itype)', A.OBJ_ENDPOINT)}
      ${h.eq('slot 2 perms write only', '(call $iperms)', A.PERM_WRITE)}
      ${h.eq64('slot 2 object is the init endpoint, id 1', '(call $iobj)', 1n)}
      ${h.ok('slots 0 and 1 are different endpoints', '(i64.ne (call $obj (i32.const 0)) (call $obj (i32.const 1)))')}
      ${h.ok('slot 0 is not the init endpoint', '(i64.ne (call $obj (i32.const 0)) (i64.const 1))')}
      ${h.ok('slot 1 is not the init endpoint', '(i64.ne (call $obj (i32.const 1)) (i64.const 1))')}
      ${h.eq('slot 0 is its own: RECEIVE allowed', sys(A.SYS_RECEIVE, 0, 0, 0), 0)}
      ${h.eq('slot 1 is its own: RECEIVE allowed', sys(A.SYS_RECEIVE, 1, 0, 0), 0)}
      ${h.eq('slot 2: RECEIVE refused (no read)', sys(A.SYS_RECEIVE, 2, 0, 0), -A.E_PERM)}
      ${h.eq('slot 2: SEND to init allowed (SERVICE_READY)', sys(A.SYS_SEND, 2, A.MSG_SERVICE_READY, 0), 0)}
      (call $done)` }],
  },
  {
    id: 'boot.console-input', suite: 'conformance', section: '§4 slot 1, §5 CONSOLE_INPUT', title: 'console input arrives on slot 1 as CONSOLE_INPUT (0x0002) UTF-8 text from PID 0',
    input: 'conformance input: héllo ✓',
    procs: [{ role: 'main', opts: { locals: locals('n') }, body: (h) => {
      const text = 'conformance input: héllo ✓';
      const len = new TextEncoder().encode(text).length;
      return `
      ${set('n', '(call $wait (i32.const 1) (i32.const 10000))')}
      ${h.eq('a message on slot 1: 8 + text', get('n'), 8 + len)}
      ${h.eq('from PID 0', '(call $mfrom)', 0)}
      ${h.eq('tag CONSOLE_INPUT', '(call $mtag)', A.MSG_CONSOLE_INPUT)}
      ${h.eq('the UTF-8 text', `(call $memeq (i32.const ${M.RBUF + 8}) ${h.s(text)})`, 1)}
      (call $done)`;
    } }],
  },
  {
    id: 'boot.spawn-pids', suite: 'conformance', section: '§4 PIDs, §5 SPAWN_SERVICE', title: 'spawned PIDs are new and increasing (never reused); SPAWN_RESPONSE; the Process capability',
    procs: [{ role: 'main', opts: { locals: locals('n', 'p1', 'p2', 's1', 's2', 'cnt') }, body: (h) => {
      const spawn = (name: string): string => spawnService(h, name);
      return `
      ${spawn('hello')}
      ${h.eq('SPAWN_RESPONSE: 8 + 9 bytes', get('n'), 17)}
      ${h.eq('tag SPAWN_RESPONSE', '(call $mtag)', A.MSG_SPAWN_RESPONSE)}
      ${h.eq('status 0', '(call $r8 (i32.const 8))', 0)}
      ${set('p1', '(call $r32 (i32.const 9))')} ${set('s1', '(call $r32 (i32.const 13))')}
      ${h.ok('the child\'s PID is above the caller\'s', '(i32.gt_u (local.get $p1) (call $get_pid))')}
      ${h.ok('a Process capability slot', '(i32.ge_s (local.get $s1) (i32.const 3))')}
      ${spawn('hello')}
      ${set('p2', '(call $r32 (i32.const 9))')} ${set('s2', '(call $r32 (i32.const 13))')}
      ${h.ok('a second child gets a higher PID', '(i32.gt_u (local.get $p2) (local.get $p1))')}
      ${spawn('no-such-program')}
      ${h.eq('an unknown program: status E_NOENT', '(call $r8 (i32.const 8))', A.E_NOENT)}
      (block $end (loop $more
        ${set('n', '(call $wait (i32.const 1) (i32.const 5000))')}
        (br_if $end (i32.le_s (local.get $n) (i32.const 0)))
        ${h.eq('when a child ends: CAP_REVOKED', '(call $mtag)', A.MSG_CAP_REVOKED)}
        ${h.eq('... for a Process capability', '(call $r8 (i32.const 12))', A.OBJ_PROCESS)}
        ${h.eq('... reason 3', '(call $r8 (i32.const 21))', A.REVOKE_PROCESS_EXITED)}
        ${h.ok('... naming a Process capability slot and its child', `(i32.or
          (i32.and (i32.eq (call $r32 (i32.const 8)) (local.get $s1)) (i64.eq (call $r64 (i32.const 13)) (i64.extend_i32_u (local.get $p1))))
          (i32.and (i32.eq (call $r32 (i32.const 8)) (local.get $s2)) (i64.eq (call $r64 (i32.const 13)) (i64.extend_i32_u (local.get $p2)))))`)}
        (local.set $cnt (i32.add (local.get $cnt) (i32.const 1)))
        (br_if $more (i32.lt_u (local.get $cnt) (i32.const 2)))))
      ${h.eq('both children ended (two notices)', get('cnt'), 2)}
      (call $done)`;
    } }],
  },

  // ---------------------------------------------------------------- §5
  {
    id: 'msg.register-lookup', suite: 'conformance', section: '§5 REGISTER_SERVICE, LOOKUP_SERVICE', title: 'register an endpoint id with init; LOOKUP_RESPONSE found u8, endpoint id u64',
    procs: [{ role: 'main', opts: { locals: locals('n') + locals64('id') }, body: (h) => {
      const lookup = (name: string): string => `
        (i32.store8 (i32.const ${M.SBUF}) (i32.const ${name.length}))
        (memory.copy (i32.const ${M.SBUF + 1}) ${h.s(name)})
        (local.set $n (call $call (i32.const 2) (i32.const ${A.MSG_LOOKUP_SERVICE}) (i32.const ${M.SBUF}) (i32.const ${name.length + 1})))`;
      return `
      ${set('id', '(call $obj (i32.const 0))')}
      ${h.eq('REGISTER_SERVICE: init answers status 0', `(call $register ${h.s(h.svc)} (i32.const 0))`, 0)}
      ${lookup(h.svc)}
      ${h.eq('LOOKUP_RESPONSE: 8 + 9 bytes', get('n'), 17)}
      ${h.eq('tag LOOKUP_RESPONSE', '(call $mtag)', A.MSG_LOOKUP_RESPONSE)}
      ${h.eq('found 1', '(call $r8 (i32.const 8))', 1)}
      ${h.eq64('the registered endpoint id', '(call $r64 (i32.const 9))', get('id'))}
      ${h.ok('a write capability to it was granted', `(i32.ge_s (call $find_cap (i32.const 1) (local.get $id) (i32.const 2)) (i32.const 0))`)}
      ${lookup('zz-no-such-service')}
      ${h.eq('an unknown name: found 0', '(call $r8 (i32.const 8))', 0)}
      ${h.eq('SERVICE_READY to init', sys(A.SYS_SEND, 2, A.MSG_SERVICE_READY, 0), 0)}
      (call $done)`;
    } }],
  },

  {
    id: 'msg.register-plain', suite: 'conformance', section: '§5 REGISTER_SERVICE', title: 'a plain REGISTER_SERVICE from the endpoint\'s owner is accepted: the registrant grants init nothing',
    exclusive: true, // the commit tail must be this process's own
    procs: [{ role: 'main', opts: { locals: locals('n') }, body: (h) => `
      ${h.serve}
      ${printLog(h, A.AXIOM_COMMITS, 12, 'commits')}
      (call $done)` }],
    check: checkPlainRegister,
  },

  // ---------------------------------------------------------------- §6
  {
    id: 'init.channel', suite: 'conformance', section: '§6 init channel', title: 'INIT: requests over DEBUG from a non-init process are only logged: no spawn, grant or revoke',
    exclusive: true,
    procs: [{ role: 'main', opts: { locals: locals('n', 'me', 'maxb', 'hellob') }, body: (h) => {
      const debug = (...parts: string[]): string => `
        ${set('n', h.text(...parts))}
        (call $send_bytes (i32.const ${M.SBUF}) (local.get $n))
        ${h.eq(`DEBUG "${parts.map((p) => (p.startsWith('(') ? '<pid>' : p)).join('')}" answers 0`, sys(A.SYS_DEBUG, get('n')), 0)}
        ${h.eq('... with no answer data', '(call $recv_bytes (i32.const 0x10000) (i32.const 16))', 0)}`;
      return `
      ${set('me', '(call $get_pid)')}
      (drop (call $procs))
      ${set('maxb', '(call $procs_find (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 2))')}
      ${set('hellob', `(call $procs_find (i32.const 0) ${h.s('hello')} (i32.const 1))`)}
      ${debug('INIT:SPAWN:hello')}
      ${debug('INIT:GRANT:', get('me'), ':9:1:1:7')}
      ${debug('INIT:REVOKE:', get('me'), ':0')}
      ${debug('INIT:REVOKE:2:0')}
      (call $sleep_ms (i32.const 300))
      (drop (call $procs))
      ${h.eq('no process was spawned (highest PID unchanged)', '(call $procs_find (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 2))', get('maxb'))}
      ${h.eq('no hello process appeared', `(call $procs_find (i32.const 0) ${h.s('hello')} (i32.const 1))`, get('hellob'))}
      ${h.eq('INIT:GRANT gave nothing: slot 9 is empty', '(call $present (i32.const 9))', 0)}
      ${h.eq('still exactly three capabilities', '(call $caps)', 3)}
      ${h.eq('INIT:REVOKE took nothing: slot 0 is still there', '(call $present (i32.const 0))', 1)}
      ${h.ok('the permission service still has its endpoint: LOOKUP permission works', `(i32.ge_s (call $lookup ${h.s('permission')}) (i32.const 0))`)}
      (call $done)`;
    } }],
  },

  {
    id: 'init.requests-logged', suite: 'conformance', section: '§6 init channel, §7 SysLog', title: 'every init request (DEBUG from PID 1) and its outcome is in the SysLog',
    exclusive: true, browserLogs: true,
    procs: [{ role: 'main', opts: { locals: locals('n') }, body: (h) => `
      ${spawnService(h, 'hello')}
      ${h.eq('init spawned hello (SPAWN_RESPONSE status 0)', '(call $r8 (i32.const 8))', 0)}
      ${printLog(h, A.AXIOM_SYSLOG, 80, 'syslog')}
      (call $done)` }],
    check: (run) => {
      const out = outputOf(run, 'main');
      const lines = section(out, '--- syslog ---', '--- end ---');
      if (!lines) return ['no SysLog tail in the output'];
      const requests = lines.map((l) => /^#(\d+) pid 1 DEBUG\((\d+), /.exec(l)).filter((m): m is RegExpExecArray => m !== null);
      const f: string[] = [];
      // SPAWN_SERVICE makes init ask the supervisor twice: INIT:SPAWN, then INIT:GRANT of the Process capability.
      if (requests.length < 2) f.push(`${requests.length} DEBUG requests of PID 1 in the SysLog tail, want the INIT:SPAWN and INIT:GRANT of this spawn: ${lines.join(' | ')}`);
      for (const m of requests) {
        const answered = lines.find((l) => new RegExp(`^#\\d+ -> #${m[1]} `).test(l));
        if (!answered) f.push(`init's DEBUG #${m[1]} has no response event`);
        else if (!/ E_OK$/.test(answered)) f.push(`init's request #${m[1]} failed: ${answered}`);
      }
      return f;
    },
  },

  // ---------------------------------------------------------------- §7
  {
    id: 'log.syslog', suite: 'conformance', section: '§7 SysLog', title: 'every syscall gives a request and a response event; ids monotonic; times non-decreasing',
    exclusive: true, browserLogs: true,
    procs: [{ role: 'main', opts: { locals: locals('n') }, body: (h) => `
      (drop ${sys(A.SYS_GET_PID)})
      (drop ${sys(A.SYS_YIELD)})
      (call $send_bytes ${h.s('syslog case')}) (drop ${sys(A.SYS_DEBUG, 11)})
      (drop ${sys(A.SYS_CAP_INSPECT, 0)})
      (drop ${sys(A.SYS_CAP_DELETE, 900)})
      (drop ${sys(0x99, 1, 2, 3)})
      (drop ${sys(A.SYS_SLEEP, 2000000, 0)})
      (drop ${sys(A.SYS_RECEIVE, 0, 1, 5)})
      (drop ${sys(A.SYS_SEND, 0, 0x77, 0)})
      (drop ${sys(A.SYS_RECEIVE, 0, 0, 0)})
      (drop ${sys(A.SYS_EP_CREATE, 0)})
      ${printLog(h, A.AXIOM_SYSLOG, 60, 'syslog')}
      ${h.ok('ZOS_AXIOM gives the SysLog tail', '(i32.gt_s (local.get $n) (i32.const 0))')}
      (call $done)` }],
    check: checkSyslogCase,
  },
  {
    id: 'log.commits', suite: 'conformance', section: '§7 CommitLog', title: 'every state change is a commit of its type and fields (MessageSent: metadata only); the chain verifies',
    exclusive: true, browserLogs: true,
    procs: [{ role: 'main', opts: { locals: locals('n', 'e', 'd') }, body: (h) => `
      ${set('e', sys(A.SYS_EP_CREATE, 0))}
      ${set('d', derive(get('e'), 3))}
      (call $send_bytes (i32.const 0x10000) (i32.const 123))
      (drop ${sys(A.SYS_SEND, get('e'), 0x77, 123)})
      (drop ${sys(A.SYS_RECEIVE, get('e'), 0, 0)})
      (drop ${sys(A.SYS_CAP_REVOKE, get('e'))})
      (drop ${sys(A.SYS_CAP_DELETE, get('e'))})
      ${h.say('slots e=', get('e'), ' d=', get('d'))}
      ${set('n', sys(A.SYS_ZOS_AXIOM, A.AXIOM_COMMITS, 12))}
      (drop (call $rd))
      ${h.say('--- commits ---')}
      (call $out (i32.const ${M.RBUF}) (local.get $n))
      ${h.say('--- verify ---')}
      ${set('n', sys(A.SYS_ZOS_AXIOM, A.AXIOM_VERIFY, 0))}
      (drop (call $rd))
      (call $out (i32.const ${M.RBUF}) (local.get $n))
      ${h.say('--- hash ---')}
      ${set('n', sys(A.SYS_ZOS_AXIOM, A.AXIOM_STATE_HASH, 0))}
      (drop (call $rd))
      (call $out (i32.const ${M.RBUF}) (local.get $n))
      ${h.say('--- end ---')}
      (call $done)` }],
    check: checkCommitsCase,
  },
  {
    id: 'log.replay', suite: 'conformance', section: '§7 Replay', title: 'replaying the CommitLog from Genesis gives the live state hash',
    procs: [{ role: 'main', opts: { locals: locals('e', 'g') }, body: (h) => `
      ${set('e', sys(A.SYS_EP_CREATE, 0))}
      ${set('g', sys(A.SYS_CAP_GRANT, get('e'), '(call $get_pid)', 3))}
      (drop ${sys(A.SYS_SEND, get('g'), 1, 0)})
      (drop ${sys(A.SYS_CAP_REVOKE, get('e'))})
      ${h.ok('state changes made', '(i32.ge_s (local.get $g) (i32.const 0))')}
      (call $done)` }],
    check: (run) => (run.logs?.replayMatches ? [] : ['replay does not match']),
  },
];

// ------------------------------------------------------------------ log checks

const REQ = /^#(\d+) pid (\d+) (\S+)\((-?\d+), (-?\d+), (-?\d+)\)$/;
const RESP = /^#(\d+) -> #(\d+) (.*)$/;

/** The SysLog tail the process printed: pairing, ordering, and its own syscalls in order. */
function checkSyslogCase(run: CaseRun): string[] {
  const f: string[] = [];
  const proc = run.procs.find((p) => p.role === 'main');
  const lines = proc ? section(proc.output, '--- syslog ---', '--- end ---') : null;
  if (!proc || !lines) return ['no SysLog tail in the output'];
  const events = lines.filter((l) => !l.startsWith('('));
  let prevId = -1;
  const requests = new Map<number, { pid: number; name: string; answered: number }>();
  const firstId = Number(/^#(\d+)/.exec(events[0] ?? '')?.[1] ?? NaN);
  const mine: string[] = [];
  for (const line of events) {
    const q = REQ.exec(line);
    const r = RESP.exec(line);
    const id = Number((q ?? r)?.[1] ?? NaN);
    if (!q && !r) { f.push(`unparsable SysLog line: ${line}`); continue; }
    if (!(id > prevId)) f.push(`SysLog ids not increasing at #${id} (after #${prevId})`);
    if (prevId >= 0 && id !== prevId + 1) f.push(`SysLog tail has a gap before #${id}`);
    prevId = id;
    if (q) {
      requests.set(id, { pid: Number(q[2]), name: q[3]!, answered: 0 });
      if (Number(q[2]) === proc.pid) mine.push(q[3]!);
    } else {
      const rq = Number(r![2]);
      const req = requests.get(rq);
      if (req) {
        req.answered++;
        if (req.answered > 1) f.push(`request #${rq} answered twice`);
      } else if (rq >= firstId) {
        f.push(`response #${id} names request #${rq}, which is not an earlier request`);
      }
      if (rq >= id) f.push(`response #${id} comes before its request #${rq}`);
    }
  }
  for (const [id, q] of requests) {
    if (q.pid === proc.pid && q.answered !== 1 && q.name !== 'ZOS_AXIOM') f.push(`request #${id} (${q.name}) of the case has ${q.answered} responses, want 1`);
  }
  const want = ['GET_PID', 'YIELD', 'DEBUG', 'CAP_INSPECT', 'CAP_DELETE', 'UNKNOWN_0x99', 'SLEEP', 'RECEIVE', 'SEND', 'RECEIVE', 'EP_CREATE', 'ZOS_AXIOM'];
  const tail = mine.slice(-want.length);
  if (tail.join(',') !== want.join(',')) f.push(`the case's own syscalls in the SysLog: ${tail.join(',')}, want ${want.join(',')}`);
  if (run.logs && run.logs.syslog < 2 * want.length) f.push(`the run's SysLog count (${run.logs.syslog}) is under two events per syscall of this case alone`);
  if (run.browserLogs) f.push(...checkBrowserSyslog(run));
  return f;
}

/** Browser harness: the SysLog events from the page API, whole. */
function checkBrowserSyslog(run: CaseRun): string[] {
  const f: string[] = [];
  const events = run.browserLogs!.syslog as { kind: string; id: number; request_id?: number; time: number; pid?: number }[];
  if (!Array.isArray(events) || events.length === 0) return ['page API syslog() gave no events'];
  let prev: { id: number; time: number } | null = null;
  const open = new Map<number, number>(); // request id -> pid
  const answered = new Set<number>();
  const first = events[0]!.id;
  for (const e of events) {
    if (prev && !(e.id > prev.id)) f.push(`syslog(): id ${e.id} after ${prev.id}`);
    if (prev && e.time < prev.time) f.push(`syslog(): time goes back at id ${e.id}`);
    prev = e;
    if (e.kind === 'request') open.set(e.id, e.pid ?? -1);
    else if (e.kind === 'response') {
      const rq = e.request_id!;
      if (answered.has(rq)) f.push(`syslog(): request ${rq} answered twice`);
      answered.add(rq);
      if (!open.has(rq) && rq >= first) f.push(`syslog(): response ${e.id} to unknown request ${rq}`);
      open.delete(rq);
    } else f.push(`syslog(): event of kind ${String(e.kind)}`);
    if (f.length > 10) break;
  }
  const mine = run.procs.find((p) => p.role === 'main')?.pid;
  for (const [id, pid] of open) if (pid === mine) f.push(`syslog(): request ${id} of the exited case process has no response`);
  return f;
}

/** The registration is in the commit tail (a MessageSent to init), and no CapGranted from the registrant to init. */
function checkPlainRegister(run: CaseRun): string[] {
  const proc = run.procs.find((p) => p.role === 'main');
  const lines = proc && section(proc.output, '--- commits ---', '--- end ---');
  if (!proc || !lines) return ['no commit tail in the output'];
  const cs = parseCommits(lines);
  if (!cs) return [`unparsable commit line in: ${lines.join(' | ')}`];
  const f: string[] = [];
  const mine = (c: LoggedCommit): boolean => c.fields.from_pid === proc.pid;
  if (!cs.some((c) => c.type === 'MessageSent' && mine(c) && c.fields.to_endpoint === A.INIT_ENDPOINT_ID && c.fields.tag === A.MSG_REGISTER_SERVICE)) {
    f.push(`no REGISTER_SERVICE to init in the commit tail: ${lines.join(' | ')}`);
  }
  for (const c of cs.filter((x) => x.type === 'CapGranted' && mine(x) && x.fields.to_pid === A.PID_INIT)) {
    f.push(`the registrant granted init a capability (commit ${c.seq}: ${JSON.stringify(c.fields)})`);
  }
  return f;
}

/** The commit tail the process printed: types, fields, MessageSent metadata, the chain verified, a state hash. */
function checkCommitsCase(run: CaseRun): string[] {
  const f: string[] = [];
  const proc = run.procs.find((p) => p.role === 'main');
  if (!proc) return ['no process'];
  const lines = section(proc.output, '--- commits ---', '--- verify ---');
  const verify = section(proc.output, '--- verify ---', '--- hash ---');
  const hash = section(proc.output, '--- hash ---', '--- end ---');
  const slots = /slots e=(\d+) d=(\d+)/.exec(proc.output);
  if (!lines || !verify || !hash || !slots) return ['missing log sections in the output'];
  const [e, d] = [Number(slots[1]), Number(slots[2])];
  const cs = parseCommits(lines);
  if (!cs) return [`unparsable commit line in: ${lines.join(' | ')}`];
  for (let i = 1; i < cs.length; i++) if (cs[i]!.seq !== cs[i - 1]!.seq + 1) f.push(`commit seqs not consecutive: ${cs[i - 1]!.seq} then ${cs[i]!.seq}`);
  const pid = proc.pid;
  const find = (type: string, pred: (x: Record<string, number | string>) => boolean): number =>
    cs.findIndex((c) => c.type === type && pred(c.fields));
  const inserted = find('CapInserted', (x) => x.pid === pid && x.slot === e && x.type === 1 && x.perms === 7);
  const epId = inserted >= 0 ? cs[inserted]!.fields.object_id : undefined;
  const steps = [
    ['EndpointCreated{id, owner}', find('EndpointCreated', (x) => x.owner === pid && x.id === epId)],
    ['CapInserted{pid, slot e, type 1, object_id, perms 7}', inserted],
    ['CapGranted{from_pid = to_pid, from_slot e, to_slot d, perms 3}', find('CapGranted', (x) => x.from_pid === pid && x.to_pid === pid && x.from_slot === e && x.to_slot === d && x.perms === 3)],
    ['MessageSent{from_pid, to_endpoint, tag 0x77, size 123}', find('MessageSent', (x) => x.from_pid === pid && x.to_endpoint === epId && x.tag === 0x77 && x.size === 123)],
    ['CapRemoved{pid, slot d} (revoke)', find('CapRemoved', (x) => x.pid === pid && x.slot === d)],
    ['CapRemoved{pid, slot e} (delete)', find('CapRemoved', (x) => x.pid === pid && x.slot === e)],
  ] as const;
  let last = -1;
  for (const [what, at] of steps) {
    if (at < 0) f.push(`no commit ${what} in: ${lines.join(' | ')}`);
    else if (at < last) f.push(`commit ${what} out of order`);
    else last = at;
  }
  const sent = cs.find((c) => c.type === 'MessageSent' && c.fields.from_pid === pid);
  if (sent && Object.keys(sent.fields).sort().join(',') !== 'from_pid,size,tag,to_endpoint') {
    f.push(`MessageSent carries more than metadata: ${Object.keys(sent.fields).join(',')}`);
  }
  if (!/^chain ok: \d+ commits/.test(verify[0] ?? '')) f.push(`in-kernel verification: ${verify.join(' ')}`);
  const lastSeq = cs[cs.length - 1]!.seq;
  if (run.logs && run.logs.commits < lastSeq + 1) f.push(`the run's commit count (${run.logs.commits}) is below seq ${lastSeq} + 1`);
  if (!/^[0-9a-f]{64}$/.test(hash[0] ?? '')) f.push(`state hash: ${hash.join(' ')}`);
  if (run.browserLogs) f.push(...checkBrowserCommits(run));
  return f;
}

/** Browser harness: the commits from the page API link up and start at Genesis. */
function checkBrowserCommits(run: CaseRun): string[] {
  const f: string[] = [];
  const commits = run.browserLogs!.commits as { seq: number; prev_hash: string; hash: string; type: string; caused_by: number | null }[];
  if (!Array.isArray(commits) || commits.length === 0) return ['page API commits() gave no commits'];
  if (commits[0]!.seq === 0 && commits[0]!.type !== 'Genesis') f.push('commit 0 is not Genesis');
  if (commits[0]!.seq === 0 && commits[0]!.prev_hash !== '0'.repeat(64)) f.push('Genesis prev_hash is not 64 zeros');
  for (let i = 1; i < commits.length; i++) {
    const [a, b] = [commits[i - 1]!, commits[i]!];
    if (b.seq !== a.seq + 1) f.push(`commits(): seq ${a.seq} then ${b.seq}`);
    if (b.prev_hash !== a.hash) f.push(`commits(): ${b.seq} does not link to ${a.seq}`);
    if (b.caused_by !== null && typeof b.caused_by !== 'number') f.push(`commits(): ${b.seq} caused_by is ${String(b.caused_by)}`);
    if (f.length > 10) break;
  }
  return f;
}
