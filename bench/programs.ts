// The benchmark processes, as WAT. They are assembled with wabt when the
// benchmark starts: binaries are never checked in.

import { importsAsWat } from '../kernel/abi-table.ts';

const IMPORTS = `
${importsAsWat()}
  (memory (export "memory") 1)`;

const EXIT = '(drop (call $syscall (i32.const 0x11) (i32.const 0) (i32.const 0) (i32.const 0)))';
/** Blocks until console input arrives on slot 1: the go signal after setup. */
const AWAIT_GO = '(drop (call $syscall (i32.const 0x41) (i32.const 1) (i32.const 1) (i32.const 0)))';

const loop = (n: number, body: string): string => `(local.set $i (i32.const 0))
  (loop $l ${body}
    (local.set $i (i32.add (local.get $i) (i32.const 1)))
    (br_if $l (i32.lt_u (local.get $i) (i32.const ${n}))))`;

const program = (body: string): string => `(module ${IMPORTS}
  (func (export "_start") (local $i i32) (local $r i32) ${body}))`;

export const PROGRAMS = {
  /** n GET_PID syscalls, then exit. */
  nullSyscalls: (n: number) => program(`${loop(n, '(drop (call $syscall (i32.const 0x03) (i32.const 0) (i32.const 0) (i32.const 0)))')} ${EXIT}`),
  /** Exits at once: spawn latency. */
  exitNow: () => program(EXIT),
  /** Waits for a message forever: an idle process. */
  idle: () => program('(loop $l (drop (call $syscall (i32.const 0x41) (i32.const 1) (i32.const 1) (i32.const 0))) (br $l))'),
  /** Zero OS's `idle`: a non-blocking RECEIVE on slot 1, then zos_yield, forever. */
  yieldPoller: () => program('(loop $l (drop (call $syscall (i32.const 0x41) (i32.const 1) (i32.const 0) (i32.const 0))) (call $yield) (br $l))'),
  /** GET_PID forever: a syscall flood. */
  flood: () => program('(loop $l (drop (call $syscall (i32.const 0x03) (i32.const 0) (i32.const 0) (i32.const 0))) (br $l))'),
  /** Answers every CALL on slot 0 with an empty REPLY. */
  replyServer: () => program(`(loop $l
      (drop (call $syscall (i32.const 0x41) (i32.const 0) (i32.const 1) (i32.const 0)))
      (drop (call $recv_bytes (i32.const 0) (i32.const 8)))
      (drop (call $syscall (i32.const 0x43) (i32.load (i32.const 0)) (i32.const 1) (i32.const 0)))
      (br $l))`),
  /** After the go signal, n CALLs through slot 3. */
  caller: (n: number) => program(`${AWAIT_GO} ${loop(n, '(drop (call $syscall (i32.const 0x42) (i32.const 3) (i32.const 1) (i32.const 0)))')} ${EXIT}`),
  /** After the go signal, n times: SEND through slot 3, blocking RECEIVE on slot 0. */
  pinger: (n: number) => program(`${AWAIT_GO} ${loop(n, `(drop (call $syscall (i32.const 0x40) (i32.const 3) (i32.const 1) (i32.const 0)))
      (drop (call $syscall (i32.const 0x41) (i32.const 0) (i32.const 1) (i32.const 0)))`)} ${EXIT}`),
  /** Echoes every message on slot 0 back through slot 3. */
  ponger: () => program(`(loop $l
      (drop (call $syscall (i32.const 0x41) (i32.const 0) (i32.const 1) (i32.const 0)))
      (drop (call $syscall (i32.const 0x40) (i32.const 3) (i32.const 1) (i32.const 0)))
      (br $l))`),
  /** After the go signal, n 8-byte SENDs through slot 3, yielding while the queue is full. */
  streamer: (n: number) => program(`${AWAIT_GO} ${loop(n, `(block $sent (loop $retry
        (call $send_bytes (i32.const 0) (i32.const 8))
        (br_if $sent (i32.ne (call $syscall (i32.const 0x40) (i32.const 3) (i32.const 1) (i32.const 8)) (i32.const 5)))
        (call $yield) (br $retry)))`)} ${EXIT}`),
  /** Receives n messages on slot 0, then exits. */
  sink: (n: number) => program(`${loop(n, '(drop (call $syscall (i32.const 0x41) (i32.const 0) (i32.const 1) (i32.const 0)))')} ${EXIT}`),
  /** Writes `total` bytes of text to its console in 4000-byte writes, yielding while the buffer is full. */
  consoleWriter: (total: number) => program(`
    (memory.fill (i32.const 0) (i32.const 120) (i32.const 4000))
    (i32.store8 (i32.const 3999) (i32.const 10))
    ${loop(Math.ceil(total / 4000), `(block $done (loop $retry
        (call $send_bytes (i32.const 0) (i32.const 4000))
        (br_if $done (i32.ne (call $syscall (i32.const 0x07) (i32.const 4000) (i32.const 0) (i32.const 0)) (i32.const 5)))
        (call $yield) (br $retry)))`)} ${EXIT}`),
};

export type ProgramName = keyof typeof PROGRAMS;
