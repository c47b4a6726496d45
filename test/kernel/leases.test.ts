// Leases (zos, docs/abi.md §3): capabilities that expire, attenuating like
// rights, removed at expiry with their whole subtree and reason-2 notices,
// in commits driven by the time the kernel is given.

import { describe, expect, it } from 'vitest';
import { LAYOUTS } from '../../kernel/abi-table.ts';
import { replay } from '../../kernel/index.ts';
import { decode } from '../../kernel/layout.ts';
import { A, boot, call, capAt, notices, res, send, slotErr, sys, wakes } from './helpers.ts';

const R = A.PERM_READ, W = A.PERM_WRITE, G = A.PERM_GRANT;
const MS = 1e6;

/** a leases slot 0 for `ms` at time `now`; returns the new slot. */
const lease = (k: ReturnType<typeof boot>['k'], pid: number, slot: number, perms: number, ms: number, now = 0): number =>
  res(k, pid, A.SYS_ZOS_LEASE, slot, perms, ms, '', now);

function left(k: ReturnType<typeof boot>['k'], pid: number, slot: number, now: number): { ms_left: number; expires_ns: number } | 0 | number {
  const r = call(k, pid, A.SYS_ZOS_LEASE_LEFT, slot, 0, 0, '', now);
  if (r.result <= 0) return r.result;
  return decode(LAYOUTS.LeaseInfo, r.data!).values as { ms_left: number; expires_ns: number };
}

describe('ZOS_LEASE', () => {
  it('makes an attenuated copy that tells how long it has left, and then expires', () => {
    const { k, pids: [a] } = boot(1);
    const s = lease(k, a!, 0, R | W, 1000, 10 * MS);
    expect(s).toBeGreaterThan(2);
    expect(capAt(k, a!, s)).toMatchObject({ perms: R | W, expires: 1010 * MS });
    expect(left(k, a!, s, 500 * MS)).toEqual({ ms_left: 510, expires_ns: 1010 * MS });
    expect(left(k, a!, 0, 500 * MS)).toBe(0); // slot 0 never expires
    k.tick(1009 * MS);
    expect(capAt(k, a!, s)).toBeDefined();
    k.tick(1010 * MS);
    expect(capAt(k, a!, s)).toBeUndefined();
    expect(k.commits.find((c) => c.type === 'CapExpired')).toMatchObject({ fields: { pid: a, slot: s }, caused_by: null, time: 1010 * MS });
  });

  it('refuses a zero, negative or absurd lifetime with E_INVAL, and an empty slot with E_BADF', () => {
    const { k, pids: [a] } = boot(1);
    expect(lease(k, a!, 0, 7, 0)).toBe(slotErr(A.E_INVAL));
    expect(lease(k, a!, 0, 7, -5)).toBe(slotErr(A.E_INVAL));
    expect(lease(k, a!, 0, 7, A.MAX_LEASE_MS + 1)).toBe(slotErr(A.E_INVAL));
    expect(lease(k, a!, 0, 7, A.MAX_LEASE_MS)).toBeGreaterThan(0);
    expect(lease(k, a!, 77, 7, 10)).toBe(slotErr(A.E_BADF));
    expect(res(k, a!, A.SYS_ZOS_LEASE_LEFT, 77)).toBe(-A.E_BADF);
  });

  it('a lease cannot outlive its source: derived, granted and re-leased copies end with it', () => {
    const { k, pids: [a, b] } = boot(2);
    const short = lease(k, a!, 0, R | W | G, 100, 0);
    const longer = lease(k, a!, short, R | W | G, 5000, 0); // asked for more: gets the source's end
    expect(capAt(k, a!, longer)!.expires).toBe(100 * MS);
    const derived = res(k, a!, A.SYS_CAP_DERIVE, short, R);
    expect(capAt(k, a!, derived)!.expires).toBe(100 * MS);
    const granted = res(k, a!, A.SYS_CAP_GRANT, short, b!, W);
    expect(capAt(k, b!, granted)!.expires).toBe(100 * MS);
    const shorter = lease(k, b!, granted, W, 10, 0);
    expect(capAt(k, b!, shorter)!.expires).toBe(10 * MS);
    k.tick(10 * MS);
    expect(capAt(k, b!, shorter)).toBeUndefined();
    expect(capAt(k, b!, granted)).toBeDefined();
    k.tick(100 * MS);
    for (const [pid, slot] of [[a, short], [a, longer], [a, derived], [b, granted]] as const) {
      expect(capAt(k, pid!, slot), `pid ${pid} slot ${slot}`).toBeUndefined();
    }
  });

  it('expiry removes the whole subtree with reason-2 notices to every holder', () => {
    const { k, pids: [a, b, c] } = boot(3);
    const l = lease(k, a!, 0, R | W | G, 50, 0);
    const toB = res(k, a!, A.SYS_CAP_GRANT, l, b!, W | G);
    const toC = res(k, b!, A.SYS_CAP_GRANT, toB, c!, W);
    expect(notices(k, b!)).toEqual([]);
    k.tick(50 * MS);
    expect(notices(k, b!)).toEqual([{ slot: toB, type: A.OBJ_ENDPOINT, object: capAt(k, a!, 0)!.object, reason: A.REVOKE_EXPIRED }]);
    expect(notices(k, c!)).toEqual([expect.objectContaining({ slot: toC, reason: A.REVOKE_EXPIRED })]);
    expect(notices(k, a!)).toEqual([expect.objectContaining({ slot: l, reason: A.REVOKE_EXPIRED })]);
    const expired = k.commits.filter((x) => x.type === 'CapExpired');
    expect(expired).toHaveLength(3);
    expect(expired.every((x) => x.caused_by === null && x.time === 50 * MS)).toBe(true);
  });

  it('a RECEIVE blocked on a lease wakes with -E_BADF when it runs out', () => {
    const { k, pids: [a] } = boot(1);
    const l = lease(k, a!, 0, R, 20, 0);
    expect(sys(k, a!, A.SYS_RECEIVE, l, A.RECV_BLOCK, 0, '', 1 * MS).kind).toBe('blocked');
    expect(k.nextDeadline()).toBe(20 * MS);
    k.takeEvents();
    k.tick(20 * MS);
    expect(wakes(k.takeEvents())).toEqual([{ kind: 'wake', pid: a, result: -A.E_BADF, data: null }]);
  });

  it('is never used past its end, even before a tick: the gateway expires it first', () => {
    const { k, pids: [a, b] } = boot(2);
    const l = lease(k, a!, 0, R | W | G, 5, 0);
    const w = res(k, a!, A.SYS_CAP_GRANT, l, b!, W);
    expect(send(k, b!, w, 1, 'in time')).toBe(A.E_OK);
    expect(res(k, b!, A.SYS_SEND, w, 1, 0, '', 6 * MS)).toBe(A.E_BADF);
  });

  it('a leased capability moved by SEND_CAP and expiring in flight is lost on landing', () => {
    const { k, pids: [a, b] } = boot(2);
    const toA = res(k, a!, A.SYS_CAP_GRANT, 0, b!, W);
    const l = lease(k, b!, 1, R | W | G, 5, 0);
    const data = new Uint8Array(4);
    new DataView(data.buffer).setUint32(0, l, true);
    expect(res(k, b!, A.SYS_SEND_CAP, toA, 9, 1 << A.SEND_CAP_COUNT_SHIFT, data, 1 * MS)).toBe(A.E_OK);
    k.tick(5 * MS);
    const r = call(k, a!, A.SYS_RECEIVE, 0, 0, 0, '', 6 * MS);
    const slots = new DataView(r.data!.buffer, r.data!.byteOffset).getUint32(8, true);
    expect(slots).toBe(0xffffffff);
  });

  it('replays to the same state hash at every commit, across expiries', () => {
    const { k, pids: [a, b] } = boot(2);
    let now = 0;
    for (let i = 0; i < 20; i++) {
      now += MS;
      const l = lease(k, a!, 0, R | W | G, 1 + (i % 7), now);
      if (i % 3 === 0) res(k, a!, A.SYS_CAP_GRANT, l, b!, W, '', now);
      k.tick(now);
    }
    k.tick(now + 100 * MS);
    const r = replay(k.commits);
    expect(r.ok && r.stateHash).toBe(k.stateHash());
    expect(k.commits.filter((c) => c.type === 'CapExpired').length).toBeGreaterThan(20);
    expect(k.caps().every((c) => c.expires === 0)).toBe(true);
  });

  it('expiring many leases at once does the same work as the same revokes: one commit and one notice each', () => {
    const setup = () => {
      const { k, pids: [a] } = boot(1, { maxSlots: 2000 });
      for (let i = 0; i < 1000; i++) lease(k, a!, 0, R, 10, 0);
      return { k, a: a!, before: k.commits.length };
    };
    const expiring = setup();
    expiring.k.tick(10 * MS);
    const revoking = setup();
    revoking.k.actFor(revoking.a, A.SYS_CAP_REVOKE, 0, 0, 0);
    expect(expiring.k.caps(expiring.a)).toHaveLength(3);
    expect(revoking.k.caps(revoking.a)).toHaveLength(3);
    const added = (x: ReturnType<typeof setup>) => x.k.commits.length - x.before;
    // Each removal is a commit plus a MessageSent for its notice, either way (the bench times both).
    expect(added(expiring)).toBe(added(revoking));
    expect(notices(expiring.k, expiring.a)).toHaveLength(1000);
  });
});
