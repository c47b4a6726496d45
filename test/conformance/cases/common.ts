// Small WAT-writing helpers shared by the case tables.

import { A, i32, M, sys, type Helpers } from '../wat.ts';

export { A, i32, M, sys };

/** `(local $a i32) (local $b i32) ...` */
export const locals = (...names: string[]): string => names.map((n) => `(local $${n} i32)`).join(' ');
export const locals64 = (...names: string[]): string => names.map((n) => `(local $${n} i64)`).join(' ');
export const get = (n: string): string => `(local.get $${n})`;
export const set = (n: string, e: string): string => `(local.set $${n} ${e})`;

/** A slot-shaped error as the i32 a process sees. */
export const slotErr = (code: number): number => (A.SLOT_ERROR_BIT | code) | 0;

let loopCount = 0;

/** `for (i = from; i < to; i++) body` over local $i (which must be declared). */
export const loop = (i: string, from: string | number, to: string | number, body: string): string => {
  const f = typeof from === 'number' ? i32(from) : from;
  const t = typeof to === 'number' ? i32(to) : to;
  const id = `$L${++loopCount}`;
  return `(local.set $${i} ${f})
    (block ${id}_end (loop ${id}
      (br_if ${id}_end (i32.ge_s (local.get $${i}) ${t}))
      ${body}
      (local.set $${i} (i32.add (local.get $${i}) (i32.const 1)))
      (br ${id})))`;
};

/** Stores a u32 at SBUF + 4*index. */
export const put = (index: number, value: string | number): string =>
  `(i32.store (i32.const ${M.SBUF + 4 * index}) ${typeof value === 'number' ? i32(value) : value})`;

/** Expression: CAP_DERIVE(slot, perms). */
export const derive = (slot: string | number, perms: number): string => sys(A.SYS_CAP_DERIVE, slot, perms);

/**
 * The witness of the hostile cases: after `delayMs` it asks init (a LOOKUP by
 * CALL) and the permission service (a CALL answered with E_PERM) for
 * answers, checks its own IPC, and that PIDs 1 and 2 are still listed.
 */
export const witness = (delayMs: number) => (h: Helpers): string => `
  (call $sleep_ms ${i32(delayMs)})
  (local.set $perm (call $lookup ${h.s('permission')}))
  ${h.ok('init answers a LOOKUP_SERVICE after the attack', '(i32.ge_s (local.get $perm) (i32.const 0))')}
  ${put(0, 1)} ${put(1, 0)}
  (local.set $n (call $call (local.get $perm) ${i32(A.MSG_REVOKE_PERMISSION)} ${i32(M.SBUF)} (i32.const 8)))
  ${h.eq('the permission service answers a CALL', '(call $mtag)', A.MSG_PERMISSION_RESPONSE)}
  ${h.eq('... refusing a foreign revoke with E_PERM', '(call $r8 (i32.const 8))', A.E_PERM)}
  ${h.eq('own IPC still works: SEND', sys(A.SYS_SEND, 0, 0x99, 0), 0)}
  ${h.eq('own IPC still works: RECEIVE', '(call $rcv (i32.const 0) (i32.const 0) (i32.const 0))', 8)}
  ${h.ok('PID 1 is still listed', '(call $has_pid (i32.const 1))')}
  ${h.ok('PID 2 is still listed', '(call $has_pid (i32.const 2))')}
  ${h.say('witness answered')}
  (call $done)`;
export const WITNESS_LOCALS = locals('perm', 'n');

/** An AssemblyScript string (length prefix, UTF-16) as a data segment at `ptr` (the string starts at ptr + 4). */
export function asStringData(ptr: number, text: string): string {
  const bytes: number[] = [];
  const len = text.length * 2;
  bytes.push(len & 0xff, (len >> 8) & 0xff, 0, 0);
  for (const ch of text) bytes.push(ch.charCodeAt(0) & 0xff, ch.charCodeAt(0) >> 8);
  return `(data (i32.const ${ptr}) "${bytes.map((b) => `\\${b.toString(16).padStart(2, '0')}`).join('')}")`;
}
