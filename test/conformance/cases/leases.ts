// zos extension cases: leases (ZOS_LEASE 0x72, ZOS_LEASE_LEFT 0x73,
// docs/abi.md §3), capabilities that expire. Not part of the binding ABI,
// which only defines the reason they are removed with (MSG_CAP_REVOKED
// reason 2, "expired"); these cases hold zos to its own documentation:
// a lease attenuates like rights (no copy outlives its source), expiry
// removes the whole subtree exactly as REVOKE does with a reason-2 notice to
// every holder, a RECEIVE blocked on it wakes, bad input is refused, and the
// CommitLog replays across expiries.
//
// A kernel without leases answers both numbers E_NOSYS as a status (4): the
// "lease" is then no slot at all, and every case fails on its first check of
// ZOS_LEASE_LEFT.

import { replay, stateHashOf } from '../../../kernel/index.ts';
import type { Case, CaseRun } from '../model.ts';
import type { Helpers } from '../wat.ts';
import { outputOf } from '../model.ts';
import {
  A, derive, expectMessage, get, i32, locals, locals64, loop, M, noticeChecks, parseCommits, printLog, put, section, set, slotErr, sys,
  takeNotices,
} from './common.ts';

const SECTION = 'zos extension: ZOS_LEASE, ZOS_LEASE_LEFT (docs/abi.md §3)';

/** Expression: ZOS_LEASE(slot, perms, ms), a slot or 0x80000000 | code. */
const lease = (slot: string | number, perms: number, ms: string | number): string => sys(A.SYS_ZOS_LEASE, slot, perms, ms);

// ZOS_LEASE_LEFT into RBUF: $left answers the call's result (0 never
// expires, 12 a LeaseInfo: ms_left u32, expires_ns u64; -code), $expires the
// end in ns since boot (0 never, -1 error), $ms_left the ms left (-1 unless 12).
const LEASE_HELPERS = `
  (func $left (param $slot i32) (result i32)
    (local $r i32)
    (local.set $r (call $syscall (i32.const ${A.SYS_ZOS_LEASE_LEFT}) (local.get $slot) (i32.const 0) (i32.const 0)))
    (drop (call $rd))
    (local.get $r))
  (func $expires (param $slot i32) (result i64)
    (local $r i32)
    (local.set $r (call $left (local.get $slot)))
    (if (i32.lt_s (local.get $r) (i32.const 0)) (then (return (i64.const -1))))
    (if (i32.eqz (local.get $r)) (then (return (i64.const 0))))
    (call $r64 (i32.const 4)))
  (func $ms_left (param $slot i32) (result i32)
    (if (result i32) (i32.eq (call $left (local.get $slot)) (i32.const 12))
      (then (call $r32 (i32.const 0))) (else (i32.const -1))))`;

// The seq of the commit line ZOS_AXIOM(COMMITS, 1) left in RBUF: its leading decimal number.
const HEAD_SEQ = `
  (func $head_seq (result i32)
    (local $i i32) (local $c i32) (local $v i32)
    (block $end (loop $digit
      (local.set $c (call $r8 (local.get $i)))
      (br_if $end (i32.or (i32.lt_u (local.get $c) (i32.const 48)) (i32.gt_u (local.get $c) (i32.const 57))))
      (local.set $v (i32.add (i32.mul (local.get $v) (i32.const 10)) (i32.sub (local.get $c) (i32.const 48))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $digit)))
    (local.get $v))`;

const opts = (names: string[], names64: string[] = []) => ({ locals: locals(...names) + locals64(...names64), extra: LEASE_HELPERS });

/**
 * Statement: a blocking RECEIVE (5 s timeout) on local `slot`, a lease or a
 * copy of one; it must wake with -E_BADF at the lease's end (its expires_ns,
 * read first), not before and not at the timeout. Locals n, t1, t2, e.
 */
const blockedUntilExpiry = (h: Helpers, slot: string, what: string): string => `
  ${set('e', `(call $expires ${get(slot)})`)}
  ${set('t1', '(call $now_ns)')}
  ${set('n', `(call $rcv ${get(slot)} (i32.const 1) (i32.const 5000))`)}
  ${set('t2', '(call $now_ns)')}
  ${h.eq(`RECEIVE blocked on ${what} wakes with -E_BADF`, get('n'), -A.E_BADF)}
  ${h.ok('... having begun before the lease\'s end', '(i64.lt_u (local.get $t1) (local.get $e))')}
  ${h.ok('... woken at the end, not before', '(i64.ge_u (local.get $t2) (local.get $e))')}
  ${h.ok('... and not at the RECEIVE\'s own 5 s timeout', '(i64.lt_u (i64.sub (local.get $t2) (local.get $t1)) (i64.const 4000000000))')}`;

export const leaseCases: Case[] = [
  {
    id: 'zos.lease-attenuates', suite: 'zos', section: SECTION,
    title: 'a lease tells its end; derived, granted, moved and re-leased copies never outlive their source, and rights never grow',
    procs: [
      { role: 'owner', opts: opts(['n', 'c', 'l', 'd', 'w', 'x', 'y', 'z', 'g', 'ms'], ['e', 'now']), body: (h) => `
        ${h.serve}
        ${set('n', '(call $wait (i32.const 0) (i32.const 10000))')}
        ${set('c', '(call $mfrom)')}
        ${set('l', lease(0, 7, 60_000))}
        ${h.eq('ZOS_LEASE_LEFT of the lease: 12 bytes of LeaseInfo', '(call $left (local.get $l))', 12)}
        ${set('ms', '(call $r32 (i32.const 0))')} ${set('e', '(call $r64 (i32.const 4))')} ${set('now', '(call $now_ns)')}
        ${h.ok('ms_left: at most the 60 000 ms asked, and not much less', '(i32.and (i32.le_u (local.get $ms) (i32.const 60000)) (i32.gt_u (local.get $ms) (i32.const 50000)))')}
        ${h.ok('expires_ns: after now, within 60 s of it', '(i32.and (i64.gt_u (local.get $e) (local.get $now)) (i64.le_u (local.get $e) (i64.add (local.get $now) (i64.const 60000000000))))')}
        ${h.eq('the lease names the source\'s object', '(i64.eq (call $obj (local.get $l)) (call $obj (i32.const 0)))', 1)}
        ${h.eq('with source ∩ perms (rwg)', '(call $perms (local.get $l))', 7)}
        ${h.eq('ZOS_LEASE_LEFT of slot 0, which never expires: length 0', '(call $left (i32.const 0))', 0)}
        ${h.eq('... and no response data', `(call $recv_bytes ${i32(M.BIG)} (i32.const 16))`, 0)}
        ${set('d', derive(get('l'), 3))}
        ${h.eq64('a copy DERIVEd from the lease ends with it', '(call $expires (local.get $d))', get('e'))}
        ${set('w', derive(get('d'), 1))}
        ${h.eq64('... and a copy derived from that copy', '(call $expires (local.get $w))', get('e'))}
        ${set('x', lease(get('l'), 7, 86_400_000))}
        ${h.eq64('a lease of the lease asked for a day ends with its source', '(call $expires (local.get $x))', get('e'))}
        ${set('y', lease(get('l'), 1, 10_000))}
        ${h.ok('a lease of the lease asked for 10 s ends sooner', '(i64.lt_u (call $expires (local.get $y)) (local.get $e))')}
        ${h.eq('... with source ∩ perms (r)', '(call $perms (local.get $y))', 1)}
        ${set('z', lease(get('y'), 7, 60_000))}
        ${h.eq('rights never grow: a lease of r asked rwg is r', '(call $perms (local.get $z))', 1)}
        ${h.eq64('lifetimes never grow: a lease of the 10 s lease asked 60 s ends with it', '(call $expires (local.get $z))', '(call $expires (local.get $y))')}
        ${set('g', sys(A.SYS_CAP_GRANT, get('l'), get('c'), 3))}
        ${h.ok('GRANT of the lease to the client', '(i32.ge_s (local.get $g) (i32.const 0))')}
        ${put(0, get('g'))}
        (i64.store (i32.const ${M.SBUF + 4}) (local.get $e))
        (drop (call $reply (local.get $c) (i32.const 0x2000) ${i32(M.SBUF)} (i32.const 12)))
        ${expectMessage(h, 'the client is done', 0, 10_000, 0x2001)}
        (call $done)` },
      { role: 'client', opts: opts(['srv', 'n', 'g', 'g2', 'l2', 'm', 's'], ['e']), body: (h) => `
        ${h.connect('$srv')}
        ${set('n', '(call $call (local.get $srv) (i32.const 0x2000) (i32.const 0) (i32.const 0))')}
        ${h.eq('the reply: 8 + slot + end', get('n'), 20)}
        ${set('g', '(call $mu32 (i32.const 0))')} ${set('e', `(i64.load ${i32(M.RBUF + 12)})`)}
        ${h.eq64('a GRANTed copy of the lease ends with its source', '(call $expires (local.get $g))', get('e'))}
        ${h.eq('... with source ∩ perms', '(call $perms (local.get $g))', 3)}
        ${set('g2', derive(get('g'), 2))}
        ${h.eq64('a copy derived from the granted copy too', '(call $expires (local.get $g2))', get('e'))}
        ${set('l2', lease(get('g'), 2, 86_400_000))}
        ${h.eq64('a day\'s lease of the granted copy too', '(call $expires (local.get $l2))', get('e'))}
        ${set('m', derive(get('g'), 2))}
        ${put(0, get('m'))}
        (call $send_bytes ${i32(M.SBUF)} (i32.const 4))
        ${h.eq('SEND_CAP of a copy to itself', sys(A.SYS_SEND_CAP, 0, 0x2002, 0 | (1 << 16)), 0)}
        ${h.eq('the copy is received with its slot', '(call $rcv (i32.const 0) (i32.const 0) (i32.const 0))', 12)}
        ${set('s', '(call $r32 (i32.const 8))')}
        ${h.eq64('a copy moved by SEND_CAP keeps its end', '(call $expires (local.get $s))', get('e'))}
        ${h.eq('the LOOKUP capability (no lease) never expires', '(call $left (local.get $srv))', 0)}
        (drop (call $snd (local.get $srv) (i32.const 0x2001) (i32.const 0) (i32.const 0)))
        (call $done)` },
    ],
  },
  {
    id: 'zos.lease-expiry', suite: 'zos', section: `${SECTION}, §5 CAP_REVOKED reason 2`,
    title: 'expiry removes the lease and everything derived or granted from it, in every process, with one reason-2 notice per capability (CapExpired commits)',
    exclusive: true, // the owner prints the commit tail, which must hold these expiries
    procs: [
      { role: 'owner', opts: opts(['n', 'c1', 'c2', 'l', 'd', 'g1', 'g2', 'held', 'cnt', 's'], ['id']), body: (h) => `
        ${h.serve}
        ${set('id', '(call $obj (i32.const 0))')}
        ${set('n', '(call $wait (i32.const 0) (i32.const 10000))')} ${set('c1', '(call $mfrom)')}
        ${set('n', '(call $wait (i32.const 0) (i32.const 10000))')} ${set('c2', '(call $mfrom)')}
        ${set('l', lease(0, 7, 2000))}
        ${set('d', derive(get('l'), 7))}
        ${set('g1', sys(A.SYS_CAP_GRANT, get('l'), get('c1'), 7))}
        ${set('g2', sys(A.SYS_CAP_GRANT, get('d'), get('c2'), 3))}
        ${put(0, get('g1'))} (drop (call $reply (local.get $c1) (i32.const 0x2000) ${i32(M.SBUF)} (i32.const 4)))
        ${put(0, get('g2'))} (drop (call $reply (local.get $c2) (i32.const 0x2000) ${i32(M.SBUF)} (i32.const 4)))
        ${h.eq('a 2 s lease', '(call $left (local.get $l))', 12)}
        ${h.ok('GRANTs of the lease and of a copy derived from it', '(i32.and (i32.ge_s (local.get $g1) (i32.const 0)) (i32.ge_s (local.get $g2) (i32.const 0)))')}
        ${h.say('owner lease l=', get('l'), ' d=', get('d'))}
        ${set('held', '(i32.const 2)')}
        ${takeNotices(h, A.REVOKE_EXPIRED, 6000)}
        ${h.eq('slot 0, the lease\'s source, stays', '(call $present (i32.const 0))', 1)}
        ${h.eq('no further notice', sys(A.SYS_RECEIVE, 1, 0, 0), 0)}
        ${expectMessage(h, 'one holder is done', 0, 10_000, 0x2001)}
        ${expectMessage(h, 'the other holder is done', 0, 10_000, 0x2001)}
        ${printLog(h, A.AXIOM_COMMITS, 120, 'commits')}
        (call $done)` },
      ...[1, 2].map((k) => ({
        role: `holder${k}`, opts: opts(['srv', 'n', 'g', 'x', 'held', 'cnt', 's'], ['id']), body: (h: Helpers) => `
          ${h.connect('$srv')}
          ${set('id', '(call $obj (local.get $srv))')}
          ${set('n', '(call $call (local.get $srv) (i32.const 0x2000) (i32.const 0) (i32.const 0))')}
          ${set('g', '(call $mu32 (i32.const 0))')}
          ${set('x', derive(get('g'), 1))}
          ${h.eq('the granted copy is leased', '(call $left (local.get $g))', 12)}
          ${h.eq('so is a copy derived from it here', '(call $left (local.get $x))', 12)}
          ${h.say('holder g=', get('g'), ' x=', get('x'))}
          ${set('held', '(i32.const 2)')}
          ${takeNotices(h, A.REVOKE_EXPIRED, 6000)}
          ${h.eq('the LOOKUP capability, not under the lease, stays', '(call $present (local.get $srv))', 1)}
          (drop (call $snd (local.get $srv) (i32.const 0x2001) (i32.const 0) (i32.const 0)))
          (call $done)`,
      })),
    ],
    check: checkExpiryCommits,
  },
  {
    id: 'zos.lease-blocked-receive', suite: 'zos', section: `${SECTION}, ABI §3 Removal is immediate`,
    title: 'a RECEIVE blocked on a lease, or on a copy derived from one, wakes with -E_BADF when it runs out; later messages come only through another slot',
    procs: [{ role: 'main', opts: opts(['n', 'l', 'l2', 'x', 'held', 'cnt', 's'], ['t1', 't2', 'e', 'id']), body: (h) => `
      ${set('id', '(call $obj (i32.const 0))')}
      ${set('l', lease(0, A.PERM_READ, 1000))}
      ${h.eq('a 1 s lease of read', '(call $left (local.get $l))', 12)}
      ${blockedUntilExpiry(h, 'l', 'the lease')}
      ${set('n', '(call $wait (i32.const 1) (i32.const 2000))')}
      ${noticeChecks(h, A.REVOKE_EXPIRED, get('id'))}
      ${h.eq('the notice names the lease\'s slot', '(call $r32 (i32.const 8))', get('l'))}
      ${set('l2', lease(0, 7, 1000))}
      ${set('x', derive(get('l2'), A.PERM_READ))}
      ${h.eq('a read copy derived from a second lease is leased', '(call $left (local.get $x))', 12)}
      ${blockedUntilExpiry(h, 'x', 'the copy derived from it')}
      ${set('held', '(i32.const 2)')}
      ${takeNotices(h, A.REVOKE_EXPIRED, 2000)}
      ${put(0, 0x5eed)}
      ${h.eq('SEND to its endpoint after the expiry', `(call $snd (i32.const 0) (i32.const 0x2006) ${i32(M.SBUF)} (i32.const 4))`, 0)}
      ${h.eq('RECEIVE on the expired slot: -E_BADF', sys(A.SYS_RECEIVE, get('x'), 0, 0), -A.E_BADF)}
      ${h.eq('the message comes through slot 0', '(call $rcv (i32.const 0) (i32.const 0) (i32.const 0))', 12)}
      ${h.eq('... whole', '(call $mu32 (i32.const 0))', 0x5eed)}
      (call $done)` }],
  },
  {
    id: 'zos.lease-bad-lifetime', suite: 'zos', section: SECTION,
    title: 'a zero, negative or over-7-days lifetime is refused with E_INVAL and makes nothing; an empty slot is E_BADF first; 1 ms and 7 days are accepted',
    procs: [{ role: 'main', opts: opts(['c0', 'm', 'one', 'ms']), body: (h) => `
      ${set('c0', '(call $caps)')}
      ${[0, -1, -1000, -0x80000000, A.MAX_LEASE_MS + 1, 0x7fffffff].map((ms) =>
        h.eq(`a lifetime of ${ms} ms: E_INVAL`, lease(0, 7, ms), slotErr(A.E_INVAL))).join('\n')}
      ${h.eq('nothing was made', '(call $caps)', get('c0'))}
      ${h.eq('an empty slot with a bad lifetime: E_BADF first (the slot is checked first)', lease(900, 7, 0), slotErr(A.E_BADF))}
      ${set('m', lease(0, 7, A.MAX_LEASE_MS))}
      ${h.ok('7 days exactly (604 800 000 ms) is accepted', '(i32.ge_s (local.get $m) (i32.const 0))')}
      ${set('ms', '(call $ms_left (local.get $m))')}
      ${h.ok('... with at most 7 days left', `(i32.and (i32.le_u (local.get $ms) ${i32(A.MAX_LEASE_MS)}) (i32.gt_u (local.get $ms) ${i32(A.MAX_LEASE_MS - 60_000)}))`)}
      ${set('one', lease(0, 7, 1))}
      ${h.ok('1 ms is accepted', '(i32.ge_s (local.get $one) (i32.const 0))')}
      (call $sleep_ms (i32.const 20))
      ${h.eq('... and gone 20 ms later', '(call $present (local.get $one))', 0)}
      (call $done)` }],
  },
  {
    id: 'zos.lease-bad-slots', suite: 'zos', section: SECTION,
    title: 'ZOS_LEASE and ZOS_LEASE_LEFT on empty, forged, deleted and expired slots: E_BADF in their shapes, no data, nothing made',
    procs: [{ role: 'main', opts: opts(['d', 'l']), body: (h) => `
      ${[900, 1023, 1024, 65536, 0x7fffffff, -1, -0x80000000].map((slot) => `
        ${h.eq(`ZOS_LEASE of slot ${slot}: E_BADF (slot-shaped)`, lease(slot, 7, 1000), slotErr(A.E_BADF))}
        ${h.eq(`ZOS_LEASE_LEFT of slot ${slot}: -E_BADF (length-shaped)`, sys(A.SYS_ZOS_LEASE_LEFT, slot), -A.E_BADF)}
        ${h.eq('... and no response data', `(call $recv_bytes ${i32(M.BIG)} (i32.const 16))`, 0)}`).join('')}
      ${set('d', derive(0, 7))}
      ${h.eq('DELETE of a copy', sys(A.SYS_CAP_DELETE, get('d')), 0)}
      ${h.eq('ZOS_LEASE of the deleted slot: E_BADF', lease(get('d'), 7, 1000), slotErr(A.E_BADF))}
      ${h.eq('ZOS_LEASE_LEFT of the deleted slot: -E_BADF', sys(A.SYS_ZOS_LEASE_LEFT, get('d')), -A.E_BADF)}
      ${set('l', lease(0, 7, 20))}
      (call $sleep_ms (i32.const 60))
      ${h.eq('ZOS_LEASE_LEFT of an expired lease\'s slot: -E_BADF', sys(A.SYS_ZOS_LEASE_LEFT, get('l')), -A.E_BADF)}
      ${h.eq('ZOS_LEASE of it: E_BADF', lease(get('l'), 7, 1000), slotErr(A.E_BADF))}
      ${h.eq('nothing was made: three capabilities, as at spawn', '(call $caps)', 3)}
      (call $done)` }],
  },
  {
    id: 'zos.lease-replay', suite: 'zos', section: `${SECTION}, ABI §7 Replay`,
    title: 'leases and their copies expiring at their times (nested, derived, granted, one in flight): the chain verifies, and replays to the live state hash before, between and after the expiries',
    exclusive: true, browserLogs: true, // the browser harness replays the page's commits to each hash the process printed
    procs: [{ role: 'main', opts: { ...opts(['i', 'a', 'me', 'f', 'n', 'seq', 'k', 'made']), extra: LEASE_HELPERS + HEAD_SEQ }, body: (h) => {
      // The state hash and the seq it belongs to: the head, the hash, the head again, until no commit came between.
      const hashPoint = `
        ${set('k', '(i32.const 0)')}
        (block $got (loop $again
          ${set('n', sys(A.SYS_ZOS_AXIOM, A.AXIOM_COMMITS, 1))} (drop (call $rd)) ${set('seq', '(call $head_seq)')}
          ${set('n', sys(A.SYS_ZOS_AXIOM, A.AXIOM_STATE_HASH, 0))} (drop (call $recv_bytes ${i32(M.BIG)} (i32.const 64)))
          ${set('n', sys(A.SYS_ZOS_AXIOM, A.AXIOM_COMMITS, 1))} (drop (call $rd))
          (br_if $got (i32.eq (call $head_seq) (local.get $seq)))
          ${set('k', '(i32.add (local.get $k) (i32.const 1))')}
          (br_if $again (i32.lt_u (local.get $k) (i32.const 20)))))
        (call $str ${h.s('state hash at seq ')}) (call $ud (local.get $seq)) (call $ch (i32.const 58)) (call $ch (i32.const 32))
        (call $str ${i32(M.BIG)} (i32.const 64)) (call $nl)`;
      const made = (slot: string): string => `(if (i32.ge_s ${slot} (i32.const 0)) (then ${set('made', '(i32.add (local.get $made) (i32.const 1))')}))`;
      return `
      ${set('me', '(call $get_pid)')}
      ;; per round: a lease, a copy derived from it, a shorter lease of it and a GRANT of it (to itself)
      ${loop('i', 0, 8, `
        ${set('a', lease(0, 7, '(i32.add (i32.const 100) (i32.mul (local.get $i) (i32.const 50)))'))}
        ${made(get('a'))}
        ${made(derive(get('a'), 3))}
        ${made(lease(get('a'), 1, '(i32.add (i32.const 50) (i32.mul (local.get $i) (i32.const 40)))'))}
        ${made(sys(A.SYS_CAP_GRANT, get('a'), get('me'), 3))}`)}
      ${h.say('made ', get('made'), ' leased capabilities')}
      ${set('f', lease(0, 7, 300))}
      ${put(0, get('f'))}
      (call $send_bytes ${i32(M.SBUF)} (i32.const 4))
      ${h.eq('SEND_CAP of a 300 ms lease to itself', sys(A.SYS_SEND_CAP, 0, 0x2002, 0 | (1 << 16)), 0)}
      ${hashPoint}
      (call $sleep_ms (i32.const 250))
      ${hashPoint}
      (call $sleep_ms (i32.const 500))
      ${h.eq('the message with the lease that expired in flight', '(call $rcv (i32.const 0) (i32.const 0) (i32.const 0))', 12)}
      ${h.eq('... lists SLOT_LOST_IN_TRANSIT (0xFFFFFFFF) for it', '(call $r32 (i32.const 8))', A.SLOT_LOST_IN_TRANSIT)}
      ${h.eq('every lease and all derived or granted from them are gone: three capabilities left', '(call $caps)', 3)}
      ${hashPoint}
      ${printLog(h, A.AXIOM_VERIFY, 0, 'verify')}
      ${printLog(h, A.AXIOM_COMMITS, 200, 'commits')}
      (call $done)`;
    } }],
    check: checkReplayAcrossExpiries,
  },
];

// ------------------------------------------------------------------ checks

/** The slots a role printed after `label` as `name=N` pairs. */
function slotsOf(run: CaseRun, role: string, label: string): number[] {
  const m = new RegExp(`^${label} (.*)$`, 'm').exec(outputOf(run, role));
  return m ? [...m[1]!.matchAll(/\w+=(\d+)/g)].map((x) => Number(x[1])) : [];
}

/** The owner's commit tail: the lease, then one CapExpired per capability each holder lost, and nothing else expired. */
function checkExpiryCommits(run: CaseRun): string[] {
  const lines = section(outputOf(run, 'owner'), '--- commits ---', '--- end ---');
  if (!lines) return ['no commit tail in the owner\'s output'];
  const commits = parseCommits(lines);
  if (!commits) return [`unparsable commit line in: ${lines.join(' | ')}`];
  const pidOf = (role: string): number | null => run.procs.find((p) => p.role === role)?.pid ?? null;
  const lost = [['owner', 'owner lease'], ['holder1', 'holder'], ['holder2', 'holder']].flatMap(([role, label]) =>
    slotsOf(run, role!, label!).map((slot) => `${pidOf(role!)}:${slot}`));
  if (lost.length !== 6) return [`the processes printed ${lost.length} lost slots, want 6`];
  const [ownerLease] = lost;
  const f: string[] = [];
  const leased = commits.findIndex((c) => c.type === 'CapLeased' && `${c.fields.pid}:${c.fields.slot}` === ownerLease);
  if (leased < 0) f.push(`no CapLeased for the owner's lease (${ownerLease}) in the tail`);
  const expired = commits.filter((c) => c.type === 'CapExpired').map((c) => `${c.fields.pid}:${c.fields.slot}`);
  for (const want of lost) if (!expired.includes(want)) f.push(`no CapExpired{pid, slot} = ${want}`);
  for (const got of expired) if (!lost.includes(got)) f.push(`CapExpired of ${got}, which was not under the lease`);
  if (commits.some((c, i) => c.type === 'CapExpired' && i < leased)) f.push('a CapExpired before the CapLeased');
  return f;
}

/**
 * The process printed the state hash at three seqs (before, between and
 * after the expiries) and the commit tail. Every expiry of what it made is
 * a CapExpired commit; the in-kernel verification held; and, where the
 * harness has the commits (the browser's commits()), replaying them gives
 * each printed hash at its seq. judge() checks the batch's final replay in
 * both harnesses.
 */
function checkReplayAcrossExpiries(run: CaseRun): string[] {
  const out = outputOf(run, 'main');
  const f: string[] = [];
  const points = [...out.matchAll(/^state hash at seq (\d+): ([0-9a-f]{64})$/gm)].map((m) => ({ seq: Number(m[1]), hash: m[2]! }));
  if (points.length !== 3) f.push(`${points.length} state hash lines, want 3`);
  const verify = section(out, '--- verify ---', '--- end ---');
  if (!verify || !/^chain ok: \d+ commits/.test(verify[0] ?? '')) f.push(`in-kernel verification: ${verify?.join(' ') ?? 'missing'}`);
  const made = Number(/^made (\d+) leased capabilities$/m.exec(out)?.[1] ?? NaN);
  const lines = section(out, '--- commits ---', '--- end ---');
  const commits = lines && parseCommits(lines);
  if (!commits) return [...f, 'no parsable commit tail'];
  const pid = run.procs.find((p) => p.role === 'main')?.pid;
  const expired = commits.filter((c) => c.type === 'CapExpired' && c.fields.pid === pid).length;
  if (!(made >= 8)) f.push(`made ${made} leased capabilities, want at least 8`);
  else if (expired !== made) f.push(`${expired} CapExpired commits of the process in the tail, want one per leased capability (${made})`);
  if (run.browserLogs) {
    const all = run.browserLogs.commits as Parameters<typeof replay>[0];
    if (all[0]?.seq !== 0) {
      run.notes.push('the page kept no commits from Genesis: intermediate hashes not replayed');
    } else {
      const want = new Map(points.map((p) => [p.seq, p.hash]));
      const got = new Map<number, string>();
      const r = replay(all, (seq, state) => { if (want.has(seq)) got.set(seq, stateHashOf(state)); });
      if (!r.ok) f.push(`replay of the page's commits stops at seq ${r.badSeq}: ${r.reason}`);
      const wrong = [...want].filter(([seq, hash]) => got.get(seq) !== hash);
      for (const [seq, hash] of wrong) f.push(`replay to seq ${seq} gives ${got.get(seq)?.slice(0, 16) ?? 'nothing'}, the live hash then was ${hash.slice(0, 16)}`);
      if (r.ok && wrong.length === 0) run.notes.push(`replayed ${all.length} commits of the page: the hashes at seqs ${[...want.keys()].join(', ')} match the live ones`);
    }
  }
  return f;
}
