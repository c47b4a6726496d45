// Small WAT-writing helpers shared by the case tables.

import { A, i32, M, sys, type Helpers } from '../wat.ts';

export { A, i32, M, sys };

/** `(local $a i32) (local $b i32) ...` */
export const locals = (...names: string[]): string => names.map((n) => `(local $${n} i32)`).join(' ');
export const locals64 = (...names: string[]): string => names.map((n) => `(local $${n} i64)`).join(' ');
export const get = (n: string): string => `(local.get $${n})`;
export const set = (n: string, e: string): string => `(local.set $${n} ${e})`;

/**
 * Statement: asks init (CALL on slot 2) to SPAWN_SERVICE `name`. Local n gets
 * the answer's length; RBUF holds the SPAWN_RESPONSE (status u8 at 8, pid u32
 * at 9, the Process capability's slot u32 at 13).
 */
export const spawnService = (h: Helpers, name: string): string => `
  (i32.store8 (i32.const ${M.SBUF}) (i32.const ${name.length}))
  (memory.copy (i32.const ${M.SBUF + 1}) ${h.s(name)})
  (local.set $n (call $call (i32.const ${A.SLOT_INIT}) (i32.const ${A.MSG_SPAWN_SERVICE}) (i32.const ${M.SBUF}) (i32.const ${name.length + 1})))`;

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
 * The witness of the hostile cases: after `delayMs` it runs witnessChecks
 * and ends.
 */
export const witness = (delayMs: number) => (h: Helpers): string => `
  (call $sleep_ms ${i32(delayMs)})
  ${witnessChecks(h)}
  (call $done)`;

/**
 * What every other process must still get during or after an attack: an
 * answer from init (a LOOKUP by CALL) and from the permission service (a
 * CALL answered with E_PERM), its own IPC, and PIDs 1 and 2 still listed.
 * Locals WITNESS_LOCALS.
 */
export const witnessChecks = (h: Helpers): string => `
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
  ${h.say('witness answered')}`;
export const WITNESS_LOCALS = locals('perm', 'n');

/** An AssemblyScript string (length prefix, UTF-16) as a data segment at `ptr` (the string starts at ptr + 4). */
export function asStringData(ptr: number, text: string): string {
  const bytes: number[] = [];
  const len = text.length * 2;
  bytes.push(len & 0xff, (len >> 8) & 0xff, 0, 0);
  for (const ch of text) bytes.push(ch.charCodeAt(0) & 0xff, ch.charCodeAt(0) >> 8);
  return `(data (i32.const ${ptr}) "${bytes.map((b) => `\\${b.toString(16).padStart(2, '0')}`).join('')}")`;
}

/** Statement: waits up to `ms` on `slot` (local n) and checks the message's tag; it reads 0 when nothing came. */
export const expectMessage = (h: Helpers, name: string, slot: number, ms: number, tag: number): string => `
  ${set('n', `(call $wait (i32.const ${slot}) (i32.const ${ms}))`)}
  ${h.eq(`${name} (its tag; 0: nothing came)`, '(select (call $mtag) (i32.const 0) (i32.gt_s (local.get $n) (i32.const 0)))', tag)}`;

/** Checks of one CAP_REVOKED notice just received (after `$wait`; local n holds its length). */
export function noticeChecks(h: Helpers, reason: number, objExpr: string, type = A.OBJ_ENDPOINT): string {
  return `
    ${h.eq('notice length: 8 + 14', get('n'), 22)}
    ${h.eq('notice comes from PID 0', '(call $mfrom)', 0)}
    ${h.eq('notice tag CAP_REVOKED 0x3010', '(call $mtag)', A.MSG_CAP_REVOKED)}
    ${h.eq('notice object_type u8 at 4', '(call $r8 (i32.const 12))', type)}
    ${h.eq64('notice object_id u64 at 5', '(call $r64 (i32.const 13))', objExpr)}
    ${h.eq('notice reason u8 at 13', '(call $r8 (i32.const 21))', reason)}`;
}

/**
 * Receives CAP_REVOKED notices on slot 1, each within `waitMs`, until one
 * came for each of the `held` capabilities to endpoint `id` the process
 * lost; checks each, and that the slot it names is now empty. Locals n,
 * held, cnt, s and (i64) id.
 */
export function takeNotices(h: Helpers, reason: number, waitMs: number): string {
  return `
    (block $end (loop $more
      ${set('n', `(call $wait (i32.const 1) (i32.const ${waitMs}))`)}
      (br_if $end (i32.le_s (local.get $n) (i32.const 0)))
      ${noticeChecks(h, reason, get('id'))}
      ${set('s', '(call $r32 (i32.const 8))')}
      ${h.eq('the named slot is now empty', '(call $present (local.get $s))', 0)}
      (local.set $cnt (i32.add (local.get $cnt) (i32.const 1)))
      (br_if $more (i32.lt_u (local.get $cnt) (local.get $held)))))
    ${h.eq('one notice per lost capability', get('cnt'), get('held'))}`;
}

/**
 * Prints the tail of a log (ZOS_AXIOM `kind`, the last `count` entries)
 * between the lines `--- title ---` and `--- end ---`, for the case's check
 * to read. Leaves the byte count in local n.
 */
export function printLog(h: Helpers, kind: number, count: number, title: string): string {
  return `
    ${set('n', sys(A.SYS_ZOS_AXIOM, kind, count))}
    (drop (call $rd))
    ${h.say(`--- ${title} ---`)}
    (call $out (i32.const ${M.RBUF}) (local.get $n))
    ${h.say('--- end ---')}`;
}

/** The lines a process printed between `start` and `end` (lines of their own), or null. */
export function section(output: string, start: string, end: string): string[] | null {
  const a = output.indexOf(`${start}\n`);
  const b = output.indexOf(`${end}\n`, a + 1);
  if (a < 0 || b < 0) return null;
  return output.slice(a + start.length + 1, b).split('\n').filter((l) => l.length > 0);
}

/** A commit as ZOS_AXIOM prints it (kind 1): seq, type and fields. */
export interface LoggedCommit { seq: number; type: string; fields: Record<string, number | string> }

/** Commit lines as ZOS_AXIOM prints them (`seq Type {fields} hash`); null if one is not such a line. */
export function parseCommits(lines: string[]): LoggedCommit[] | null {
  const commits = lines.map((l) => {
    const m = /^(\d+) (\w+) (\{.*\}) ([0-9a-f]{12})$/.exec(l);
    return m ? { seq: Number(m[1]), type: m[2]!, fields: JSON.parse(m[3]!) as LoggedCommit['fields'] } : null;
  });
  return commits.every((c) => c !== null) ? commits : null;
}
