// The hostile cases of ABI §3 "Every shared resource is bounded, and no one
// process can exhaust it for the others": one per bound zos documents
// (docs/abi.md §3 Bounds). In each, one process goes to the bound and past
// it and gets a readable refusal (E_NOMEM), while another process is served
// at the same time: the culprit holds its ground until the witness has been
// served and says so, so the witness is served *at* the bound, not after.
// judge() checks the CommitLog verifies and replays for every batch.
//
// A kernel without these bounds (before they were added) served the culprit
// past them: a 17th child, a 33rd unasked grant, a 9th name, a 129th process
// and a name over 64 bytes each make the culprit's count check fail, and
// the culprit stops asking at the first request served past a bound.

import type { Case, CaseRun } from '../model.ts';
import { outputOf } from '../model.ts';
import type { Helpers } from '../wat.ts';
import {
  A, expectMessage, get, i32, locals, loop, M, put, set, slotErr, spawnService, sys, witnessChecks,
} from './common.ts';

const DONE_TAG = 0x2007; // witness → culprit: served, you may go

/** The SPAWN_RESPONSE status after spawnService (255 when init's answer was too short to hold one). */
const spawnStatus = `(if (result i32) (i32.ge_s (local.get $n) (i32.const 17)) (then (call $r8 (i32.const 8))) (else (i32.const 255)))`;

/**
 * Statement: asks init for a clock child (it sleeps until killed). Local st
 * gets the SPAWN_RESPONSE status; a child's Process capability slot is kept
 * at BIG + 4 × got and counted in got; `onRefused` runs for any other answer.
 */
const spawnClock = (h: Helpers, onRefused: string): string => `
  ${spawnService(h, 'clock')}
  ${set('st', spawnStatus)}
  (if (i32.eqz (local.get $st))
    (then
      (i32.store (i32.add ${i32(M.BIG)} (i32.shl (local.get $got) (i32.const 2))) (call $r32 (i32.const 13)))
      ${set('got', '(i32.add (local.get $got) (i32.const 1))')})
    (else ${onRefused}))`;

/** Statement: the culprit waits (up to 60 s) for the witness to say it was served. */
const awaitWitness = (h: Helpers): string => `
  ${expectMessage(h, 'the witness was served while this process held its ground', 0, 60_000, DONE_TAG)}`;

/** Statement: finds a process by the name it registers once at its bound (up to 30 s); its endpoint's slot into local srv. */
const findByName = (h: Helpers, name: string): string => `
  ${set('srv', `(call $lookup ${h.s(name)})`)}
  (if (i32.lt_s (local.get $srv) (i32.const 0)) (then ${set('srv', `(call $lookup ${h.s(name)})`)}))
  (if (i32.lt_s (local.get $srv) (i32.const 0)) (then ${set('srv', `(call $lookup ${h.s(name)})`)}))
  ${h.ok(`LOOKUP found "${name}", registered at its bound`, '(i32.ge_s (local.get $srv) (i32.const 0))')}`;

/** Statement: the witness tells the culprit it was served, then the usual witness checks, then ends. */
const release = (h: Helpers): string => `
  ${h.eq('tell the culprit (SEND)', `(call $snd (local.get $srv) ${i32(DONE_TAG)} (i32.const 0) (i32.const 0))`, 0)}
  ${witnessChecks(h)}
  (call $done)`;

/** Statement: ZOS_KILL of the `count` Process capabilities whose slots are u32s at BIG; checks each answered 0. */
const killChildren = (h: Helpers, count: string): string => `
  ${set('bad', '(i32.const 0)')}
  ${loop('k', 0, count, `(if (i32.ne ${sys(A.SYS_ZOS_KILL, `(i32.load (i32.add ${i32(M.BIG)} (i32.shl (local.get $k) (i32.const 2))))`)} (i32.const 0))
    (then ${set('bad', '(i32.add (local.get $bad) (i32.const 1))')}))`)}
  ${h.eq('ZOS_KILL of each child it was given a Process capability to', get('bad'), 0)}`;

/** A name's first 64 bytes of UTF-8, cut at a character boundary: what the kernel must list (docs/abi.md §3). */
function cut64(name: string): string {
  const enc = new TextEncoder();
  let out = '';
  for (const ch of name) {
    if (enc.encode(out + ch).length > A.MAX_NAME_BYTES) break;
    out += ch;
  }
  return out;
}

// LIST_PROCS walkers over the last $procs answer in RBUF.
const PROC_WALKERS = `
  ;; How many entries have a name that starts with [p, p+n).
  (func $count_prefix (param $p i32) (param $n i32) (result i32)
    (local $i i32) (local $at i32) (local $len i32) (local $k i32)
    (local.set $at (i32.const ${M.RBUF + 4}))
    (block $end (loop $l
      (br_if $end (i32.ge_u (local.get $i) (call $r32 (i32.const 0))))
      (local.set $len (i32.load16_u offset=4 (local.get $at)))
      (if (i32.ge_u (local.get $len) (local.get $n))
        (then (local.set $k (i32.add (local.get $k) (call $memeq (i32.add (local.get $at) (i32.const 6)) (local.get $p) (local.get $n))))))
      (local.set $at (i32.add (local.get $at) (i32.add (i32.const 6) (local.get $len))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
    (local.get $k))
  ;; The longest name's byte count.
  (func $longest_name (result i32)
    (local $i i32) (local $at i32) (local $len i32) (local $max i32)
    (local.set $at (i32.const ${M.RBUF + 4}))
    (block $end (loop $l
      (br_if $end (i32.ge_u (local.get $i) (call $r32 (i32.const 0))))
      (local.set $len (i32.load16_u offset=4 (local.get $at)))
      (if (i32.gt_u (local.get $len) (local.get $max)) (then (local.set $max (local.get $len))))
      (local.set $at (i32.add (local.get $at) (i32.add (i32.const 6) (local.get $len))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
    (local.get $max))`;

const LONG_ID = 'hostile.bound-name-bytes';
const LONG_PROCS = 24;
// Roles whose names (`<case id>.<role>`) run past 64 bytes in 2- and 3-byte
// characters, so the cut lands before, at and inside a character.
const longRole = (k: number): string => (k === 0 ? `lister-${'✓'.repeat(40)}` : `s${k}-${'é'.repeat(k % 3)}${'✓'.repeat(40)}`);

const FILLERS = 8;

export const boundCases: Case[] = [
  {
    id: 'hostile.bound-children', suite: 'hostile', section: '§3 bounds: processes spawned for one process',
    title: 'a process asking init for 500 children gets 16 alive (MAX_CHILDREN), then SPAWN_RESPONSE E_NOMEM; another process still spawns',
    exclusive: true, timeoutMs: 90_000,
    procs: [
      { role: 'culprit', opts: { locals: locals('i', 'n', 'st', 'got', 'refused', 'other', 'k', 'bad') }, body: (h) => `
        ${loop('i', 0, 500, `
          ${spawnClock(h, `(if (i32.eq (local.get $st) ${i32(A.E_NOMEM)})
            (then ${set('refused', '(i32.add (local.get $refused) (i32.const 1))')})
            (else ${set('other', '(i32.add (local.get $other) (i32.const 1))')}))`)}
          ;; a system without the bound: stop at the first child past it
          (if (i32.gt_u (local.get $got) ${i32(A.MAX_CHILDREN)}) (then ${set('i', '(i32.const 500)')}))`)}
        ${h.say('asked for 500: ', get('got'), ' started, ', get('refused'), ' refused with E_NOMEM, ', get('other'), ' other answers')}
        ${h.eq('16 children started and alive (MAX_CHILDREN)', get('got'), A.MAX_CHILDREN)}
        ${h.eq('the other 484 requests: SPAWN_RESPONSE status E_NOMEM', get('refused'), 500 - A.MAX_CHILDREN)}
        ${h.eq('no other answer', get('other'), 0)}
        ${h.serve}
        ${awaitWitness(h)}
        ${killChildren(h, get('got'))}
        ${spawnService(h, 'hello')}
        ${h.eq('with its children gone, it may spawn again', spawnStatus, 0)}
        (call $done)` },
      { role: 'witness', opts: { locals: locals('srv', 'n', 'perm') }, body: (h) => `
        ${findByName(h, h.svc)}
        ${spawnService(h, 'hello')}
        ${h.eq('another process still spawns (SPAWN_RESPONSE status 0)', spawnStatus, 0)}
        ${release(h)}` },
    ],
  },
  {
    id: 'hostile.bound-unasked-grants', suite: 'hostile', section: '§3 bounds: unasked grants into another CSpace',
    title: 'a process GRANTing its endpoint to the permission service, unasked, 200 times: 32 land (MAX_UNASKED_GRANTS), then E_NOMEM; another still proves a permission and gets its grant',
    exclusive: true, timeoutMs: 60_000,
    procs: [
      { role: 'culprit', opts: { locals: locals('i', 'n', 'r', 'got', 'refused', 'other') }, body: (h) => `
        ${loop('i', 0, 200, `
          ${set('r', sys(A.SYS_CAP_GRANT, 0, A.PID_PERMISSION, 7))}
          (if (i32.ge_s (local.get $r) (i32.const 0))
            (then ${set('got', '(i32.add (local.get $got) (i32.const 1))')})
            (else (if (i32.eq (local.get $r) ${i32(slotErr(A.E_NOMEM))})
              (then ${set('refused', '(i32.add (local.get $refused) (i32.const 1))')})
              (else ${set('other', '(i32.add (local.get $other) (i32.const 1))')}))))
          (if (i32.gt_u (local.get $got) ${i32(A.MAX_UNASKED_GRANTS)}) (then ${set('i', '(i32.const 200)')}))`)}
        ${h.say('200 GRANTs to PID 2: ', get('got'), ' landed, ', get('refused'), ' refused with E_NOMEM, ', get('other'), ' other answers')}
        ${h.eq('32 capabilities granted into the permission service, unasked (MAX_UNASKED_GRANTS)', get('got'), A.MAX_UNASKED_GRANTS)}
        ${h.eq('the other 168: E_NOMEM to the granter (slot-shaped)', get('refused'), 200 - A.MAX_UNASKED_GRANTS)}
        ${h.eq('no other answer', get('other'), 0)}
        ${h.ok('a GRANT into its own CSpace is not an unasked grant: still served', `(i32.ge_s ${sys(A.SYS_CAP_GRANT, 0, '(call $get_pid)', 7)} (i32.const 0))`)}
        ${h.serve}
        ${awaitWitness(h)}
        (call $done)` },
      { role: 'witness', opts: { locals: locals('srv', 'n', 'perm', 'me', 'proof', 'g') }, body: (h) => `
        ${findByName(h, h.svc)}
        ${set('me', '(call $get_pid)')}
        ;; as process-lib's requestGrant: the proof (grant + the rights asked) to PID 2, then GRANT_PERMISSION
        ${set('proof', sys(A.SYS_CAP_GRANT, 0, A.PID_PERMISSION, A.PERM_GRANT | A.PERM_WRITE))}
        ${h.ok('the proof lands in the permission service\'s CSpace', '(i32.ge_s (local.get $proof) (i32.const 0))')}
        ${set('perm', `(call $lookup ${h.s('permission')})`)}
        ${put(0, get('me'))}
        (i32.store8 (i32.const ${M.SBUF + 4}) (i32.const ${A.OBJ_ENDPOINT}))
        (i64.store (i32.const ${M.SBUF + 5}) (call $obj (i32.const 0)))
        (i32.store8 (i32.const ${M.SBUF + 13}) (i32.const ${A.PERM_WRITE}))
        ${set('n', `(call $call (local.get $perm) ${i32(A.MSG_GRANT_PERMISSION)} ${i32(M.SBUF)} (i32.const 14))`)}
        ${h.eq('GRANT_PERMISSION: the permission service answers', '(call $mtag)', A.MSG_PERMISSION_RESPONSE)}
        ${h.eq('... granted (status 0)', '(call $r8 (i32.const 8))', 0)}
        ${set('g', '(call $r32 (i32.const 9))')}
        ${h.eq('the granted capability: write', '(call $perms (local.get $g))', A.PERM_WRITE)}
        ${h.ok('... to its own endpoint', '(i64.eq (call $obj (local.get $g)) (call $obj (i32.const 0)))')}
        ${release(h)}` },
    ],
  },
  {
    id: 'hostile.bound-service-names', suite: 'hostile', section: '§3 bounds: service names per owner',
    title: 'a process registering 40 service names with init gets 8 (MAX_SERVICE_NAMES_PER_OWNER), then E_NOMEM; another still registers',
    exclusive: true,
    procs: [
      { role: 'culprit', opts: { locals: locals('i', 'n', 'st', 'got', 'refused', 'other') }, body: (h) => {
        const prefix = `${h.svc}n`;
        const name = `(i32.const ${M.BIG}) (i32.const ${prefix.length + 1})`; // prefix + one letter
        return `
        (memory.copy (i32.const ${M.BIG}) ${h.s(prefix)})
        ${loop('i', 0, 40, `
          (i32.store8 (i32.const ${M.BIG + prefix.length}) (i32.add (i32.const 65) (local.get $i)))
          ${set('st', `(call $register ${name} (i32.const 0))`)}
          (if (i32.eqz (local.get $st))
            (then ${set('got', '(i32.add (local.get $got) (i32.const 1))')})
            (else (if (i32.eq (local.get $st) ${i32(A.E_NOMEM)})
              (then ${set('refused', '(i32.add (local.get $refused) (i32.const 1))')})
              (else ${set('other', '(i32.add (local.get $other) (i32.const 1))')}))))`)}
        ${h.say('40 names: ', get('got'), ' registered, ', get('refused'), ' refused with E_NOMEM, ', get('other'), ' other answers')}
        ${h.eq('8 names registered (MAX_SERVICE_NAMES_PER_OWNER)', get('got'), A.MAX_SERVICE_NAMES_PER_OWNER)}
        ${h.eq('the other 32: init answers E_NOMEM', get('refused'), 40 - A.MAX_SERVICE_NAMES_PER_OWNER)}
        ${h.eq('no other answer', get('other'), 0)}
        ${h.eq64('a refused name was not registered (LOOKUP of the 9th)', `(call $lookup_once ${h.s(`${prefix}I`)})`, 0n)}
        ${h.eq('its own first name may be registered again', `(call $register ${h.s(`${prefix}A`)} (i32.const 0))`, 0)}
        ${awaitWitness(h)}
        (call $done)`;
      } },
      { role: 'witness', opts: { locals: locals('srv', 'n', 'perm') }, body: (h) => `
        ${findByName(h, `${h.svc}nH`)}
        ${h.eq('another process still registers a name', `(call $register ${h.s(`${h.svc}w`)} (i32.const 0))`, 0)}
        ${h.eq64('... and it is found', `(call $lookup_once ${h.s(`${h.svc}w`)})`, '(call $obj (i32.const 0))')}
        ${release(h)}` },
    ],
  },
  {
    id: LONG_ID, suite: 'hostile', section: '§3 LIST_PROCS, bounds: process names',
    title: `${LONG_PROCS} processes named past 64 bytes (2- and 3-byte characters): LIST_PROCS is whole entries, its count matches, every name is cut to 64 bytes at a character boundary`,
    exclusive: true, timeoutMs: 40_000,
    procs: Array.from({ length: LONG_PROCS }, (_, k) => {
      const own = cut64(`${LONG_ID}.${longRole(k)}`);
      const all = `${LONG_ID}.`;
      const lister = `${LONG_ID}.lister`;
      if (k > 0) {
        return {
          role: longRole(k), opts: { locals: locals('n', 'i'), extra: PROC_WALKERS }, body: (h: Helpers) => `
            (drop (call $procs))
            ${h.eq('listed under its name cut to 64 bytes at a character boundary', `(call $procs_find (call $get_pid) ${h.s(own)} (i32.const 3))`, 1)}
            ;; stay listed until the lister is done (up to 30 s)
            (block $end (loop $l
              (call $sleep_ms (i32.const 20))
              ${set('n', '(call $procs)')}
              (br_if $end (i32.eqz (call $count_prefix ${h.s(lister)})))
              ${set('i', '(i32.add (local.get $i) (i32.const 1))')}
              (br_if $l (i32.lt_u (local.get $i) (i32.const 1500)))))
            ${h.ok('the lister finished', '(i32.lt_u (local.get $i) (i32.const 1500))')}
            ${h.ok('every LIST_PROCS answer was whole entries', '(i32.ge_s (local.get $n) (i32.const 0))')}
            (call $done)`,
        };
      }
      return {
        role: longRole(0), opts: { locals: locals('n', 'i', 'cnt'), extra: PROC_WALKERS }, body: (h: Helpers) => `
          ;; until every process of the case is listed (up to 20 s)
          (block $end (loop $l
            ${set('n', '(call $procs)')}
            ${set('cnt', `(call $count_prefix ${h.s(all)})`)}
            (br_if $end (i32.ge_u (local.get $cnt) ${i32(LONG_PROCS)}))
            (call $sleep_ms (i32.const 5))
            ${set('i', '(i32.add (local.get $i) (i32.const 1))')}
            (br_if $l (i32.lt_u (local.get $i) (i32.const 4000)))))
          ${h.eq(`all ${LONG_PROCS} processes of the case are listed`, get('cnt'), LONG_PROCS)}
          ${h.ok('LIST_PROCS: the count matches the entries, which fill the data exactly (no partial entry)', '(i32.ge_s (local.get $n) (i32.const 0))')}
          ${h.say('LIST_PROCS: ', get('n'), ' entries, ', '(global.get $plen)', ' bytes, longest name ', '(call $longest_name)', ' bytes')}
          ${h.ok('no name is longer than 64 bytes', '(i32.le_u (call $longest_name) (i32.const 64))')}
          ${Array.from({ length: LONG_PROCS }, (_, j) => {
            const name = cut64(`${LONG_ID}.${longRole(j)}`);
            return h.eq(`listed once as its first ${new TextEncoder().encode(name).length} bytes: ${j === 0 ? 'lister' : `s${j}`}`, `(call $procs_find (i32.const 0) ${h.s(name)} (i32.const 1))`, 1);
          }).join('\n')}
          ${h.eq('its own entry', `(call $procs_find (call $get_pid) ${h.s(own)} (i32.const 3))`, 1)}
          (call $done)`,
      };
    }),
  },
  {
    id: 'hostile.bound-live-processes', suite: 'hostile', section: '§3 bounds: live processes',
    title: `${FILLERS} processes each asking init for up to 16 children fill the system to 128 live processes (MAX_PROCESSES): past it a spawn is refused with E_NOMEM, init and the permission service still answer, and once the fillers let go a spawn works again`,
    exclusive: true, timeoutMs: 120_000, browserLogs: true,
    procs: [
      ...Array.from({ length: FILLERS }, (_, f) => ({
        role: `filler${f}`, opts: { locals: locals('i', 'n', 'st', 'got', 'k', 'bad') }, body: (h: Helpers) => `
          ${loop('i', 0, A.MAX_CHILDREN, `
            ${spawnClock(h, set('i', i32(A.MAX_CHILDREN)))}`)}
          ${h.say('filler: ', get('got'), ' children, then status ', get('st'))}
          ${h.ok('a refusal is E_NOMEM', `(i32.or (i32.eqz (local.get $st)) (i32.eq (local.get $st) ${i32(A.E_NOMEM)}))`)}
          ${h.eq('register as done', `(call $register ${h.s(`${h.svc}f${f}`)} (i32.const 0))`, 0)}
          ${expectMessage(h, 'the probe lets go', 0, 90_000, DONE_TAG)}
          ${killChildren(h, get('got'))}
          (call $done)`,
      })),
      { role: 'probe', opts: { locals: locals('k', 'n', 'perm', 'srv', 'cnt', 'i') }, body: (h) => `
        ${Array.from({ length: FILLERS }, (_, f) => `
          ${findByName(h, `${h.svc}f${f}`)}
          (i32.store (i32.const ${M.BIG + 4 * f}) (local.get $srv))`).join('')}
        ${set('cnt', '(call $procs)')}
        ${h.say('at the bound: LIST_PROCS ', get('cnt'), ' entries, ', '(global.get $plen)', ' bytes')}
        ${h.eq('128 live processes (MAX_PROCESSES), listed in whole entries', get('cnt'), A.MAX_PROCESSES)}
        ${spawnService(h, 'hello')}
        ${h.eq('past the bound a spawn is refused: SPAWN_RESPONSE status E_NOMEM', spawnStatus, A.E_NOMEM)}
        ${witnessChecks(h)}
        ${loop('k', 0, FILLERS, `(drop (call $snd (i32.load (i32.add ${i32(M.BIG)} (i32.shl (local.get $k) (i32.const 2)))) ${i32(DONE_TAG)} (i32.const 0) (i32.const 0)))`)}
        ;; until the fillers' children are gone (up to 30 s)
        (block $end (loop $l
          (br_if $end (i32.lt_s (call $procs) ${i32(A.MAX_PROCESSES - A.MAX_CHILDREN)}))
          (call $sleep_ms (i32.const 10))
          ${set('i', '(i32.add (local.get $i) (i32.const 1))')}
          (br_if $l (i32.lt_u (local.get $i) (i32.const 3000)))))
        ${spawnService(h, 'hello')}
        ${h.eq('once the fillers let go, a spawn works again', spawnStatus, 0)}
        (call $done)` },
    ],
    check: checkLiveFill,
  },
];

/** At least one filler was refused before its own bound of 16: the system-wide bound refused it. */
function checkLiveFill(run: CaseRun): string[] {
  const fills = run.procs.filter((p) => p.role.startsWith('filler')).map((p) => /^filler: (\d+) children, then status (\d+)$/m.exec(p.output));
  if (fills.some((m) => !m)) return ['a filler printed no summary'];
  const counts = fills.map((m) => Number(m![1]));
  run.notes.push(`children per filler: ${counts.join(', ')} (${counts.reduce((a, b) => a + b, 0)} in all)`);
  const f = fills.some((m) => Number(m![1]) < A.MAX_CHILDREN && Number(m![2]) === A.E_NOMEM)
    ? [] : ['no filler was refused before its own bound of 16: the live-process bound was never reached'];
  // Browser: how the batch's clocks ended. Each should be killed by its filler; one that
  // ended before was started (SPAWN_RESPONSE status 0) and then lost, not refused.
  const first = Math.min(...run.procs.map((p) => p.pid ?? Infinity));
  const ends = new Map<string, number>();
  for (const p of run.browserLogs?.processes ?? []) {
    if (p.pid < first || p.name !== 'clock') continue;
    const end = p.fault ? `${p.fault.reason}: ${p.fault.description}` : p.status;
    ends.set(end, (ends.get(end) ?? 0) + 1);
  }
  if (ends.size > 0) run.notes.push(`the clocks ended: ${[...ends].map(([e, n]) => `${n} × ${e}`).join('; ')}`);
  for (const [end, n] of ends) {
    if (!/^killed: killed by pid \d+$/.test(end)) f.push(`${n} clock children started (spawn answered status 0) and then ended on their own: ${end}`);
  }
  return f;
}
