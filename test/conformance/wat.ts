// The WAT side of the conformance suite: a prelude every test process links
// (the ABI imports, a fixed memory layout, printing and checking helpers, the
// service protocol through init), and `program()`, which wraps a case body
// into a module and interns its strings into a data segment.
//
// A case body is WAT text written with the helpers `h` gives it:
//
//   program((h) => `
//     ${h.eq('GET_PID equals zos_get_pid', '(call $syscall (i32.const 0x03) (i32.const 0) (i32.const 0) (i32.const 0))', '(call $get_pid)')}
//     (call $done)`)
//
// Every check prints `ok <name>` or `FAIL <name>: got X want Y` on the
// process's console; `$done` prints `done: N failed` and exits with the
// number of failed checks (0 = pass). Nothing is ever checked in as a binary:
// the harness assembles these with wabt at test time (test/fixtures/wat.ts).

import * as A from '../../kernel/abi.ts';
import { ZOS_IMPORTS } from '../fixtures/wat.ts';

export { A };

// Memory layout (bytes). Two pages unless a case declares its own memory.
export const M = {
  TMP: 0x0000, // 256 bytes of scratch words
  IBUF: 0x0040, // CAP_INSPECT answers (16 bytes)
  LBUF: 0x0100, // the line being printed (0x0100..0x0fff)
  LBUF_END: 0x0f00,
  SBUF: 0x1000, // request data being built (8 KiB)
  RBUF: 0x4000, // response data of the last syscall (16 KiB)
  RBUF_SIZE: 0x4000,
  DATA: 0x8000, // interned strings (32 KiB)
  BIG: 0x10000, // the second page: large payloads
} as const;

const hex = (n: number): string => `0x${(n >>> 0).toString(16)}`;

/** `(i32.const n)`, for readability in case bodies. */
export const i32 = (n: number): string => `(i32.const ${n | 0})`;

/** A syscall expression: `(call $syscall (i32.const num) a0 a1 a2)`; arguments are WAT expressions or numbers. */
export function sys(num: number, a0: string | number = 0, a1: string | number = 0, a2: string | number = 0): string {
  const arg = (a: string | number): string => (typeof a === 'number' ? i32(a) : a);
  return `(call $syscall (i32.const ${hex(num)}) ${arg(a0)} ${arg(a1)} ${arg(a2)})`;
}

/** Helpers a case body is written with; each call may intern a string. */
export interface Helpers {
  /** `(i32.const ptr) (i32.const len)` of an interned UTF-8 string. */
  s(text: string): string;
  /** Just the pointer / just the length of an interned string. */
  ptr(text: string): string;
  len(text: string): string;
  /** Check `got == want` (i32 expressions); prints ok/FAIL. Statement. */
  eq(name: string, got: string, want: string | number): string;
  /** Check `got == want` for i64 expressions. Statement. */
  eq64(name: string, got: string, want: string | number | bigint): string;
  /** Check that an i32 expression is non-zero. Statement. */
  ok(name: string, cond: string): string;
  /** Print a line made of text and i32 values: say('x=', '(local.get $x)'). Strings that start with '(' are i32 expressions. */
  say(...parts: string[]): string;
  /**
   * An i32 expression: builds text in SBUF from parts (strings, or i32
   * expressions starting with '(' printed as unsigned decimals) and yields its
   * length. Use it right before zos_send_bytes(SBUF, len).
   */
  text(...parts: string[]): string;
  /** The service name given to this case by the harness (unique within its batch). */
  svc: string;
  /** Statement: registers the caller's slot-0 endpoint under \`svc\` with init, and checks the status is 0. */
  serve: string;
  /** Statement: looks \`svc\` up through init until found, puts the write capability's slot in \`local\`, checks it. */
  connect(local: string): string;
}

export interface ProgramOptions {
  /** Replaces the default `(memory (export "memory") 2)` (e.g. an imported memory). */
  memory?: string;
  /** Extra module fields (globals, functions, data) placed after the prelude. */
  extra?: string;
  /** Locals of `_start`, as WAT: `(local $x i32)`. */
  locals?: string;
  /** Leave out the `_start` export (for refused-binary cases). */
  noStart?: boolean;
  /** Extra imports placed before the standard ones. */
  imports?: string;
}

export type Body = (h: Helpers) => string;

/**
 * A complete module: the prelude, interned strings and `_start` running
 * `body`. The body should end with `(call $done)`; if it falls through,
 * `_start` returns, which is EXIT(0).
 */
export function program(body: Body, opts: ProgramOptions = {}, svc = 'cf'): string {
  const strings = new Map<string, { ptr: number; len: number }>();
  let next: number = M.DATA;
  const enc = new TextEncoder();
  const intern = (text: string): { ptr: number; len: number } => {
    let s = strings.get(text);
    if (!s) {
      const len = enc.encode(text).length;
      s = { ptr: next, len };
      next += len;
      if (next > M.BIG) throw new Error('case strings exceed the 32 KiB data area');
      strings.set(text, s);
    }
    return s;
  };
  const h: Helpers = {
    svc,
    s: (t) => { const s = intern(t); return `(i32.const ${s.ptr}) (i32.const ${s.len})`; },
    ptr: (t) => `(i32.const ${intern(t).ptr})`,
    len: (t) => `(i32.const ${intern(t).len})`,
    eq: (name, got, want) => `(drop (call $eq ${h.s(name)} ${got} ${typeof want === 'number' ? i32(want) : want}))`,
    eq64: (name, got, want) =>
      `(drop (call $eq64 ${h.s(name)} ${got} ${typeof want === 'string' ? want : `(i64.const ${want.toString()})`}))`,
    ok: (name, cond) => `(drop (call $eq ${h.s(name)} (i32.ne ${cond} (i32.const 0)) (i32.const 1)))`,
    get serve() {
      return `(drop (call $eq ${h.s('register service')} (call $register ${h.s(svc)} (i32.const 0)) (i32.const 0)))`;
    },
    connect: (local) => `(local.set ${local} (call $lookup ${h.s(svc)}))
      (drop (call $eq ${h.s('lookup service')} (i32.ge_s (local.get ${local}) (i32.const 0)) (i32.const 1)))`,
    text: (...parts) => `(block (result i32) (call $tb) ${parts.map((p) => (p.startsWith('(') ? `(call $ud ${p})` : `(call $str ${h.s(p)})`)).join(' ')} (call $te))`,
    say: (...parts) => parts.map((p) => (p.startsWith('(') ? `(call $d ${p})` : `(call $str ${h.s(p)})`)).join(' ') + ' (call $nl)',
  };
  const text = body(h);
  const data = [...strings].map(([t, s]) => `(data (i32.const ${s.ptr}) "${watString(t)}")`).join('\n  ');
  return `(module
  ${opts.imports ?? ''}
  ${ZOS_IMPORTS}
  ${opts.memory ?? '(memory (export "memory") 2)'}
  ${PRELUDE}
  ${opts.extra ?? ''}
  ${data}
  (func $main ${opts.locals ?? ''}
    ${text})
  ${opts.noStart ? '' : '(export "_start" (func $main))'}
)`;
}

/** A WAT string literal body: bytes as \hh escapes where needed. */
export function watString(text: string): string {
  let out = '';
  for (const b of new TextEncoder().encode(text)) {
    out += b >= 0x20 && b < 0x7f && b !== 0x22 && b !== 0x5c ? String.fromCharCode(b) : `\\${b.toString(16).padStart(2, '0')}`;
  }
  return out;
}

// The prelude. Every function here keeps to the ABI: CONSOLE_WRITE for
// output, CALL on slot 2 for init, LIST_CAPS / CAP_INSPECT to find slots.
const PRELUDE = `
  (global $fails (mut i32) (i32.const 0))
  (global $checks (mut i32) (i32.const 0))
  (global $lpos (mut i32) (i32.const ${M.LBUF}))

  ;; Writes [p, p+n) to the console; waits out a full console (E_AGAIN).
  (func $out (param $p i32) (param $n i32)
    (local $r i32) (local $tries i32)
    (block $done
      (loop $again
        (call $send_bytes (local.get $p) (local.get $n))
        (local.set $r (call $syscall (i32.const ${A.SYS_CONSOLE_WRITE}) (local.get $n) (i32.const 0) (i32.const 0)))
        (br_if $done (i32.ne (local.get $r) (i32.const ${A.E_AGAIN})))
        (local.set $tries (i32.add (local.get $tries) (i32.const 1)))
        (br_if $done (i32.gt_u (local.get $tries) (i32.const 2000)))
        (call $sleep_ms (i32.const 2))
        (br $again))))

  ;; The line buffer: $str / $ch / $d / $ud / $hx append, $nl ends the line and writes it.
  ;; Between $tb and $te the same functions build text in SBUF instead ($te returns its length).
  (global $lbase (mut i32) (i32.const ${M.LBUF}))
  (global $lend (mut i32) (i32.const ${M.LBUF_END}))
  (func $flush
    (if (i32.gt_u (global.get $lpos) (global.get $lbase))
      (then (call $out (global.get $lbase) (i32.sub (global.get $lpos) (global.get $lbase)))))
    (global.set $lpos (global.get $lbase)))
  (func $ch (param $c i32)
    (if (i32.ge_u (global.get $lpos) (global.get $lend)) (then (call $flush)))
    (i32.store8 (global.get $lpos) (local.get $c))
    (global.set $lpos (i32.add (global.get $lpos) (i32.const 1))))
  (func $tb
    (global.set $lbase (i32.const ${M.SBUF})) (global.set $lpos (i32.const ${M.SBUF}))
    (global.set $lend (i32.const ${M.SBUF + 0x2000})))
  (func $te (result i32)
    (local $n i32)
    (local.set $n (i32.sub (global.get $lpos) (global.get $lbase)))
    (global.set $lbase (i32.const ${M.LBUF})) (global.set $lpos (i32.const ${M.LBUF}))
    (global.set $lend (i32.const ${M.LBUF_END}))
    (local.get $n))
  (func $str (param $p i32) (param $n i32)
    (local $i i32)
    (block $end (loop $l
      (br_if $end (i32.ge_u (local.get $i) (local.get $n)))
      (call $ch (i32.load8_u (i32.add (local.get $p) (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l))))
  (func $nl (call $ch (i32.const 10)) (call $flush))
  (func $ud64 (param $v i64)
    (if (i64.ge_u (local.get $v) (i64.const 10)) (then (call $ud64 (i64.div_u (local.get $v) (i64.const 10)))))
    (call $ch (i32.add (i32.const 48) (i32.wrap_i64 (i64.rem_u (local.get $v) (i64.const 10))))))
  (func $d64 (param $v i64)
    (if (i64.lt_s (local.get $v) (i64.const 0))
      (then (call $ch (i32.const 45)) (call $ud64 (i64.sub (i64.const 0) (local.get $v))))
      (else (call $ud64 (local.get $v)))))
  (func $d (param $v i32) (call $d64 (i64.extend_i32_s (local.get $v))))
  (func $ud (param $v i32) (call $ud64 (i64.extend_i32_u (local.get $v))))
  (func $hx (param $v i32)
    (local $i i32) (local $nib i32)
    (call $ch (i32.const 48)) (call $ch (i32.const 120))
    (local.set $i (i32.const 28))
    (loop $l
      (local.set $nib (i32.and (i32.shr_u (local.get $v) (local.get $i)) (i32.const 15)))
      (call $ch (i32.add (local.get $nib) (select (i32.const 48) (i32.const 87) (i32.lt_u (local.get $nib) (i32.const 10)))))
      (local.set $i (i32.sub (local.get $i) (i32.const 4)))
      (br_if $l (i32.ge_s (local.get $i) (i32.const 0)))))
  (func $val (param $v i32)
    (call $d (local.get $v))
    (if (i32.or (i32.lt_s (local.get $v) (i32.const 0)) (i32.gt_s (local.get $v) (i32.const 9999)))
      (then (call $ch (i32.const 32)) (call $ch (i32.const 40)) (call $hx (local.get $v)) (call $ch (i32.const 41)))))

  ;; Checks. Return 1 when the check held. Each counts one check and prints
  ;; "ok <name>", or "FAIL <name>: got X want Y" and counts a failure.
  (func $eq (param $np i32) (param $nn i32) (param $got i32) (param $want i32) (result i32)
    (if (result i32) (i32.eq (local.get $got) (local.get $want))
      (then (call $passed (local.get $np) (local.get $nn)))
      (else
        (call $failhead (local.get $np) (local.get $nn))
        (call $val (local.get $got)) (call $wanttext) (call $val (local.get $want)) (call $nl) (i32.const 0))))
  (func $eq64 (param $np i32) (param $nn i32) (param $got i64) (param $want i64) (result i32)
    (if (result i32) (i64.eq (local.get $got) (local.get $want))
      (then (call $passed (local.get $np) (local.get $nn)))
      (else
        (call $failhead (local.get $np) (local.get $nn))
        (call $d64 (local.get $got)) (call $wanttext) (call $d64 (local.get $want)) (call $nl) (i32.const 0))))
  (func $passed (param $np i32) (param $nn i32) (result i32)
    (global.set $checks (i32.add (global.get $checks) (i32.const 1)))
    (call $ch (i32.const 111)) (call $ch (i32.const 107)) (call $ch (i32.const 32))
    (call $str (local.get $np) (local.get $nn)) (call $nl) (i32.const 1))
  (func $failhead (param $np i32) (param $nn i32)
    (global.set $checks (i32.add (global.get $checks) (i32.const 1)))
    (global.set $fails (i32.add (global.get $fails) (i32.const 1)))
    (call $ch (i32.const 70)) (call $ch (i32.const 65)) (call $ch (i32.const 73)) (call $ch (i32.const 76))
    (call $ch (i32.const 32)) (call $str (local.get $np) (local.get $nn))
    (call $ch (i32.const 58)) (call $ch (i32.const 32))
    (call $ch (i32.const 103)) (call $ch (i32.const 111)) (call $ch (i32.const 116)) (call $ch (i32.const 32)))
  (func $wanttext
    (call $ch (i32.const 32)) (call $ch (i32.const 119)) (call $ch (i32.const 97)) (call $ch (i32.const 110))
    (call $ch (i32.const 116)) (call $ch (i32.const 32)))
  ;; An unconditional failure with a reason.
  (func $fail (param $np i32) (param $nn i32)
    (drop (call $eq (local.get $np) (local.get $nn) (i32.const 0) (i32.const 1))))

  ;; "done: N failed", then EXIT(number of failed checks, at most 99).
  (func $done
    (call $ch (i32.const 100)) (call $ch (i32.const 111)) (call $ch (i32.const 110)) (call $ch (i32.const 101))
    (call $ch (i32.const 58)) (call $ch (i32.const 32)) (call $d (global.get $checks))
    (call $ch (i32.const 32)) (call $ch (i32.const 99)) (call $ch (i32.const 104)) (call $ch (i32.const 101))
    (call $ch (i32.const 99)) (call $ch (i32.const 107)) (call $ch (i32.const 115)) (call $ch (i32.const 44))
    (call $ch (i32.const 32)) (call $d (global.get $fails))
    (call $ch (i32.const 32)) (call $ch (i32.const 102)) (call $ch (i32.const 97)) (call $ch (i32.const 105))
    (call $ch (i32.const 108)) (call $ch (i32.const 101)) (call $ch (i32.const 100)) (call $nl)
    (call $exit (select (i32.const 99) (global.get $fails) (i32.gt_u (global.get $fails) (i32.const 99)))))
  (func $exit (param $code i32)
    (drop (call $syscall (i32.const ${A.SYS_EXIT}) (local.get $code) (i32.const 0) (i32.const 0)))
    (unreachable))

  ;; Response data of the last syscall into RBUF; returns the byte count.
  (func $rd (result i32) (call $recv_bytes (i32.const ${M.RBUF}) (i32.const ${M.RBUF_SIZE})))
  (func $r8 (param $off i32) (result i32) (i32.load8_u (i32.add (i32.const ${M.RBUF}) (local.get $off))))
  (func $r32 (param $off i32) (result i32) (i32.load (i32.add (i32.const ${M.RBUF}) (local.get $off))))
  (func $r64 (param $off i32) (result i64) (i64.load (i32.add (i32.const ${M.RBUF}) (local.get $off))))

  ;; Time.
  (func $now_ns (result i64)
    (local $hi i32) (local $lo i32)
    (loop $again
      (local.set $hi (call $syscall (i32.const ${A.SYS_GET_TIME}) (i32.const 1) (i32.const 0) (i32.const 0)))
      (local.set $lo (call $syscall (i32.const ${A.SYS_GET_TIME}) (i32.const 0) (i32.const 0) (i32.const 0)))
      (br_if $again (i32.ne (local.get $hi) (call $syscall (i32.const ${A.SYS_GET_TIME}) (i32.const 1) (i32.const 0) (i32.const 0)))))
    (i64.or (i64.shl (i64.extend_i32_u (local.get $hi)) (i64.const 32)) (i64.extend_i32_u (local.get $lo))))
  (func $now_ms (result i32) (i32.wrap_i64 (i64.div_u (call $now_ns) (i64.const 1000000))))
  (func $sleep_ns (param $ns i64) (result i32)
    (call $syscall (i32.const ${A.SYS_SLEEP}) (i32.wrap_i64 (local.get $ns)) (i32.wrap_i64 (i64.shr_u (local.get $ns) (i64.const 32))) (i32.const 0)))
  (func $sleep_ms (param $ms i32) (drop (call $sleep_ns (i64.mul (i64.extend_i32_u (local.get $ms)) (i64.const 1000000)))))

  ;; CAP_INSPECT into IBUF; returns 1 present / 0 empty.
  (func $inspect (param $slot i32) (result i32)
    (local $r i32)
    (i64.store (i32.const ${M.IBUF}) (i64.const 0))
    (i64.store (i32.const ${M.IBUF + 8}) (i64.const 0))
    (local.set $r (call $syscall (i32.const ${A.SYS_CAP_INSPECT}) (local.get $slot) (i32.const 0) (i32.const 0)))
    (drop (call $recv_bytes (i32.const ${M.IBUF}) (i32.const 16)))
    (local.get $r))
  (func $itype (result i32) (i32.load8_u (i32.const ${M.IBUF})))
  (func $iperms (result i32) (i32.load8_u (i32.const ${M.IBUF + 1})))
  (func $islot (result i32) (i32.load (i32.const ${M.IBUF + 4})))
  (func $iobj (result i64) (i64.load (i32.const ${M.IBUF + 8})))
  ;; The object id in a slot, or -1 when empty.
  (func $obj (param $slot i32) (result i64)
    (if (result i64) (call $inspect (local.get $slot)) (then (call $iobj)) (else (i64.const -1))))
  (func $perms (param $slot i32) (result i32)
    (if (result i32) (call $inspect (local.get $slot)) (then (call $iperms)) (else (i32.const -1))))
  (func $present (param $slot i32) (result i32) (call $inspect (local.get $slot)))

  ;; LIST_CAPS into RBUF; returns the count (or -1).
  (func $caps (result i32)
    (if (result i32) (i32.ne (call $syscall (i32.const ${A.SYS_LIST_CAPS}) (i32.const 0) (i32.const 0) (i32.const 0)) (i32.const 0))
      (then (i32.const -1))
      (else (drop (call $rd)) (call $r32 (i32.const 0)))))
  ;; How many capabilities the caller holds to object (type, id).
  (func $count_caps (param $type i32) (param $obj i64) (result i32)
    (local $n i32) (local $i i32) (local $at i32) (local $k i32)
    (local.set $n (call $caps))
    (block $end (loop $l
      (br_if $end (i32.ge_s (local.get $i) (local.get $n)))
      (local.set $at (i32.add (i32.const ${M.RBUF + 4}) (i32.mul (local.get $i) (i32.const 13))))
      (if (i32.and (i32.eq (i32.load8_u offset=4 (local.get $at)) (local.get $type))
                   (i64.eq (i64.load offset=5 (local.get $at)) (local.get $obj)))
        (then (local.set $k (i32.add (local.get $k) (i32.const 1)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
    (local.get $k))
  ;; A slot holding (type, id) with at least perms \`want\`, or -1.
  (func $find_cap (param $type i32) (param $obj i64) (param $want i32) (result i32)
    (local $n i32) (local $i i32) (local $at i32) (local $slot i32)
    (local.set $n (call $caps))
    (block $end (loop $l
      (br_if $end (i32.ge_s (local.get $i) (local.get $n)))
      (local.set $at (i32.add (i32.const ${M.RBUF + 4}) (i32.mul (local.get $i) (i32.const 13))))
      (local.set $slot (i32.load (local.get $at)))
      (if (i32.and (i32.eq (i32.load8_u offset=4 (local.get $at)) (local.get $type))
                   (i64.eq (i64.load offset=5 (local.get $at)) (local.get $obj)))
        (then
          (if (call $inspect (local.get $slot))
            (then (if (i32.eq (i32.and (call $iperms) (local.get $want)) (local.get $want))
              (then (return (local.get $slot))))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
    (i32.const -1))

  ;; SEND / CALL / RECEIVE with payload [p, p+n). CALL and RECEIVE copy the answer to RBUF.
  (func $snd (param $slot i32) (param $tag i32) (param $p i32) (param $n i32) (result i32)
    (call $send_bytes (local.get $p) (local.get $n))
    (call $syscall (i32.const ${A.SYS_SEND}) (local.get $slot) (local.get $tag) (local.get $n)))
  (func $call (param $slot i32) (param $tag i32) (param $p i32) (param $n i32) (result i32)
    (local $r i32)
    (call $send_bytes (local.get $p) (local.get $n))
    (local.set $r (call $syscall (i32.const ${A.SYS_CALL}) (local.get $slot) (local.get $tag) (local.get $n)))
    (drop (call $rd))
    (local.get $r))
  (func $reply (param $pid i32) (param $tag i32) (param $p i32) (param $n i32) (result i32)
    (call $send_bytes (local.get $p) (local.get $n))
    (call $syscall (i32.const ${A.SYS_REPLY}) (local.get $pid) (local.get $tag) (local.get $n)))
  (func $rcv (param $slot i32) (param $flags i32) (param $timeout i32) (result i32)
    (local $r i32)
    (local.set $r (call $syscall (i32.const ${A.SYS_RECEIVE}) (local.get $slot) (local.get $flags) (local.get $timeout)))
    (drop (call $rd))
    (local.get $r))
  ;; Blocking receive with a timeout in ms: the message's length, 0 on timeout, -code on error.
  (func $wait (param $slot i32) (param $ms i32) (result i32)
    (call $rcv (local.get $slot) (i32.const ${A.RECV_BLOCK}) (local.get $ms)))
  ;; The received message's fields (after $rcv / $wait / $call).
  (func $mfrom (result i32) (call $r32 (i32.const 0)))
  (func $mtag (result i32) (call $r32 (i32.const 4)))
  (func $mu32 (param $i i32) (result i32) (call $r32 (i32.add (i32.const 8) (i32.mul (local.get $i) (i32.const 4)))))

  ;; Service protocol through init (slot 2), as docs/apps.md describes it.
  ;; REGISTER_SERVICE of the endpoint in \`slot\`, as a v0.1.1 binary sends it: the request alone
  ;; (name_len u8, name, endpoint id u64), nothing granted to init; init accepts it from the owner.
  ;; Returns init's status u8, or a negative error.
  (func $register (param $np i32) (param $nn i32) (param $slot i32) (result i32)
    (local $r i32)
    (i32.store8 (i32.const ${M.SBUF}) (local.get $nn))
    (memory.copy (i32.const ${M.SBUF + 1}) (local.get $np) (local.get $nn))
    (i64.store (i32.add (i32.const ${M.SBUF + 1}) (local.get $nn)) (call $obj (local.get $slot)))
    (local.set $r (call $call (i32.const ${A.SLOT_INIT}) (i32.const ${A.MSG_REGISTER_SERVICE})
      (i32.const ${M.SBUF}) (i32.add (local.get $nn) (i32.const 9))))
    (if (i32.lt_s (local.get $r) (i32.const 9)) (then (return (select (local.get $r) (i32.const -100) (i32.lt_s (local.get $r) (i32.const 0))))))
    (call $r8 (i32.const 8)))
  ;; LOOKUP_SERVICE, once: the endpoint id when found, else 0.
  (func $lookup_once (param $np i32) (param $nn i32) (result i64)
    (local $r i32)
    (i32.store8 (i32.const ${M.SBUF}) (local.get $nn))
    (memory.copy (i32.const ${M.SBUF + 1}) (local.get $np) (local.get $nn))
    (local.set $r (call $call (i32.const ${A.SLOT_INIT}) (i32.const ${A.MSG_LOOKUP_SERVICE})
      (i32.const ${M.SBUF}) (i32.add (local.get $nn) (i32.const 1))))
    (if (i32.lt_s (local.get $r) (i32.const 17)) (then (return (i64.const 0))))
    (if (i32.eqz (call $r8 (i32.const 8))) (then (return (i64.const 0))))
    (i64.load (i32.const ${M.RBUF + 9})))
  ;; Looks a service up until found (every 2 ms, up to ~10 s): the slot of the write capability init granted, or -1.
  (func $lookup (param $np i32) (param $nn i32) (result i32)
    (local $id i64) (local $slot i32) (local $tries i32)
    (loop $again
      (local.set $id (call $lookup_once (local.get $np) (local.get $nn)))
      (if (i64.ne (local.get $id) (i64.const 0))
        (then
          (local.set $slot (call $find_cap (i32.const ${A.OBJ_ENDPOINT}) (local.get $id) (i32.const ${A.PERM_WRITE})))
          (if (i32.ge_s (local.get $slot) (i32.const 0)) (then (return (local.get $slot))))))
      (local.set $tries (i32.add (local.get $tries) (i32.const 1)))
      (if (i32.lt_u (local.get $tries) (i32.const 5000))
        (then (call $sleep_ms (i32.const 2)) (br $again))))
    (i32.const -1))

  ;; 1 when [a, a+n) and [b, b+n) hold the same bytes.
  (func $memeq (param $a i32) (param $b i32) (param $n i32) (result i32)
    (local $i i32)
    (block $diff (loop $l
      (if (i32.ge_u (local.get $i) (local.get $n)) (then (return (i32.const 1))))
      (br_if $diff (i32.ne (i32.load8_u (i32.add (local.get $a) (local.get $i))) (i32.load8_u (i32.add (local.get $b) (local.get $i)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
    (i32.const 0))

  ;; LIST_PROCS into RBUF; then $procs_* walk it. Returns the count, or -1 (and -2 if the entries do not fill the data exactly).
  (global $plen (mut i32) (i32.const 0))
  (func $procs (result i32)
    (local $n i32) (local $i i32) (local $at i32)
    (if (i32.ne (call $syscall (i32.const ${A.SYS_LIST_PROCS}) (i32.const 0) (i32.const 0) (i32.const 0)) (i32.const 0))
      (then (return (i32.const -1))))
    (global.set $plen (call $rd))
    (local.set $n (call $r32 (i32.const 0)))
    (local.set $at (i32.const 4))
    (block $end (loop $l
      (br_if $end (i32.ge_u (local.get $i) (local.get $n)))
      (br_if $end (i32.gt_u (i32.add (local.get $at) (i32.const 6)) (global.get $plen)))
      (local.set $at (i32.add (local.get $at) (i32.add (i32.const 6) (i32.load16_u offset=4 (i32.add (i32.const ${M.RBUF}) (local.get $at))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
    (if (i32.or (i32.ne (local.get $i) (local.get $n)) (i32.ne (local.get $at) (global.get $plen))) (then (return (i32.const -2))))
    (local.get $n))
  ;; Over the last $procs answer: does it list pid? how many are named [p, p+n)? the highest pid?
  (func $procs_find (param $pid i32) (param $np i32) (param $nn i32) (param $mode i32) (result i32)
    ;; mode 0: 1 if pid listed; 1: count of entries named [np, np+nn); 2: max pid; 3: 1 if pid listed with that name
    (local $n i32) (local $i i32) (local $at i32) (local $p i32) (local $len i32) (local $k i32)
    (local.set $n (call $r32 (i32.const 0)))
    (local.set $at (i32.add (i32.const ${M.RBUF}) (i32.const 4)))
    (block $end (loop $l
      (br_if $end (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $p (i32.load (local.get $at)))
      (local.set $len (i32.load16_u offset=4 (local.get $at)))
      (local.set $k (block (result i32)
        (if (i32.eqz (local.get $mode)) (then (br 1 (i32.add (local.get $k) (i32.eq (local.get $p) (local.get $pid))))))
        (if (i32.eq (local.get $mode) (i32.const 2))
          (then (br 1 (select (local.get $p) (local.get $k) (i32.gt_u (local.get $p) (local.get $k))))))
        (if (i32.eq (local.get $mode) (i32.const 3))
          (then (if (i32.ne (local.get $p) (local.get $pid)) (then (br 2 (local.get $k))))))
        (i32.add (local.get $k) (i32.and (i32.eq (local.get $len) (local.get $nn))
          (call $memeq (i32.add (local.get $at) (i32.const 6)) (local.get $np) (local.get $nn))))))
      (local.set $at (i32.add (local.get $at) (i32.add (i32.const 6) (local.get $len))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
    (local.get $k))
  (func $has_pid (param $pid i32) (result i32)
    (drop (call $procs))
    (i32.ne (call $procs_find (local.get $pid) (i32.const 0) (i32.const 0) (i32.const 0)) (i32.const 0)))

  ;; A tiny PRNG (xorshift32) for the fuzzing processes.
  (global $rng (mut i32) (i32.const 0x2545f491))
  (func $rand (result i32)
    (local $x i32)
    (local.set $x (global.get $rng))
    (local.set $x (i32.xor (local.get $x) (i32.shl (local.get $x) (i32.const 13))))
    (local.set $x (i32.xor (local.get $x) (i32.shr_u (local.get $x) (i32.const 17))))
    (local.set $x (i32.xor (local.get $x) (i32.shl (local.get $x) (i32.const 5))))
    (global.set $rng (local.get $x))
    (local.get $x))
  (func $randn (param $n i32) (result i32) (i32.rem_u (call $rand) (local.get $n)))
`;
