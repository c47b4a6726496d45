// Hardening (ABI §3): removal is immediate for a blocked RECEIVE, every
// shared resource has a bound no one process can exhaust, and lists never
// end in a partial entry.

import { describe, expect, it } from 'vitest';
import { Kernel } from '../../kernel/index.ts';
import {
  A, boot, call, capAt, decodeProcs, notices, recv, res, send, slotErr, sys, wakes,
} from './helpers.ts';

const R = A.PERM_READ, W = A.PERM_WRITE, G = A.PERM_GRANT;

/** `pid` blocks in RECEIVE on a read-only copy of its own slot 0; returns that slot. */
function blockOnDerived(k: Kernel, pid: number): number {
  const slot = res(k, pid, A.SYS_CAP_DERIVE, 0, R);
  expect(sys(k, pid, A.SYS_RECEIVE, slot, A.RECV_BLOCK, 0)).toEqual({ kind: 'blocked' });
  k.takeEvents();
  return slot;
}

describe('removal is immediate (a RECEIVE blocked on a removed capability)', () => {
  it('wakes at once with -E_BADF when the capability is revoked, and a later SEND is queued, not delivered through it', () => {
    const { k, pids: [a, b] } = boot(2);
    const s = res(k, a!, A.SYS_CAP_GRANT, 0, b!, W);
    const slot = blockOnDerived(k, a!);
    // The owner's slot 0 is the parent of the derived slot: revoking from the desktop removes it.
    expect(k.actFor(a!, A.SYS_CAP_REVOKE, 0, 0, 0)).toBe(A.E_OK);
    expect(wakes(k.takeEvents())).toEqual([{ kind: 'wake', pid: a, result: -A.E_BADF, data: null }]);
    expect(k.isWaiting(a!)).toBe(false);
    expect(capAt(k, a!, slot)).toBeUndefined();
    // b's write capability was derived from slot 0 too and went with it; a fresh one sends.
    expect(send(k, b!, s, 5, 'late')).toBe(A.E_BADF);
    const s2 = res(k, a!, A.SYS_CAP_GRANT, 0, b!, W);
    expect(send(k, b!, s2, 5, 'late')).toBe(A.E_OK);
    expect(wakes(k.takeEvents())).toEqual([]);
    expect(recv(k, a!, 0).text).toBe('late');
  });

  it('wakes with -E_BADF when the capability is deleted on its behalf', () => {
    const { k, pids: [a] } = boot(1);
    const slot = blockOnDerived(k, a!);
    expect(k.actFor(a!, A.SYS_CAP_DELETE, slot, 0, 0)).toBe(A.E_OK);
    expect(wakes(k.takeEvents())).toEqual([{ kind: 'wake', pid: a, result: -A.E_BADF, data: null }]);
  });

  it('wakes with -E_BADF when init revokes the very slot it waits on (INIT:REVOKE)', () => {
    const { k, pids: [a] } = boot(1);
    blockOnDerived(k, a!);
    expect(k.removeCapability(a!, 0)).toBe(A.E_OK);
    expect(wakes(k.takeEvents())).toContainEqual({ kind: 'wake', pid: a, result: -A.E_BADF, data: null });
  });

  it('a receive on another slot is not disturbed; the SysLog answers the woken request', () => {
    const { k, pids: [a, b] } = boot(2);
    const other = res(k, a!, A.SYS_CAP_DERIVE, 0, R);
    const s = res(k, a!, A.SYS_CAP_GRANT, 0, b!, W);
    expect(sys(k, a!, A.SYS_RECEIVE, 0, A.RECV_BLOCK, 0).kind).toBe('blocked');
    const receiveRequest = k.syslog.tail(1)[0]!.id;
    expect(k.actFor(a!, A.SYS_CAP_DELETE, other, 0, 0)).toBe(A.E_OK);
    expect(k.isWaiting(a!)).toBe(true);
    expect(send(k, b!, s, 1, 'hi')).toBe(A.E_OK);
    const [w] = wakes(k.takeEvents());
    expect(w!.result).toBe(8 + 2);
    const answered = k.syslog.tail(10).find((e) => e.kind === 'response' && e.request_id === receiveRequest);
    expect(answered?.kind === 'response' && answered.result).toBe(8 + 2);
  });
});

describe('bounds on shared resources', () => {
  it('live processes: a spawn past MAX_PROCESSES is refused; INIT:SPAWN answers E_NOMEM and says why', () => {
    const k: Kernel = new Kernel({ maxProcesses: 6, spawnRequest: (name, now, causedBy, requester) => ({ pid: k.spawn(name, now, 1, causedBy, requester) }) });
    k.registerSupervisor();
    k.spawn('init');
    for (let i = 0; i < 5; i++) k.spawn(`p${i}`);
    expect(() => k.spawn('one-too-many')).toThrow(/6 processes are alive, the system's bound \(6\)/);
    const text = 'INIT:SPAWN:x:1';
    const r = call(k, 1, A.SYS_DEBUG, text.length, 0, 0, text);
    expect(r.result).toBe(A.E_NOMEM);
    expect(k.takeDebug().map((d) => d.text).join('\n')).toMatch(/INIT:SPAWN:x refused: 6 processes are alive/);
    // One ends: room again.
    k.kill(3);
    expect(k.spawn('again')).toBeGreaterThan(0);
  });

  it('children: one process may have MAX_CHILDREN alive started for it; others are still served', () => {
    const k: Kernel = new Kernel({ spawnRequest: (name, now, causedBy, requester) => ({ pid: k.spawn(name, now, 1, causedBy, requester) }) });
    k.registerSupervisor();
    k.spawn('init');
    const greedy = k.spawn('greedy');
    const modest = k.spawn('modest');
    const ask = (who: number, name: string) => {
      const text = `INIT:SPAWN:${name}:${who}`;
      return call(k, 1, A.SYS_DEBUG, text.length, 0, 0, text).result;
    };
    for (let i = 0; i < A.MAX_CHILDREN; i++) expect(ask(greedy, `t${i}`)).toBe(A.E_OK);
    expect(ask(greedy, 'one-more')).toBe(A.E_NOMEM);
    expect(k.takeDebug().at(-1)!.text).toMatch(new RegExp(`pid ${greedy} already has ${A.MAX_CHILDREN} programs alive`));
    expect(ask(modest, 'fine')).toBe(A.E_OK);
    // A child of greedy's ends: greedy may start one more.
    const child = k.processes().find((p) => p.requester === greedy && p.status === 'alive')!.pid;
    k.kill(child);
    expect(ask(greedy, 'replacement')).toBe(A.E_OK);
    expect(k.verifyIntegrity().ok).toBe(true);
  });

  it('INIT:SPAWN for a process that is not alive is refused (E_INVAL)', () => {
    const k = new Kernel({ spawnRequest: () => ({ pid: 99 }) });
    k.registerSupervisor();
    k.spawn('init');
    const text = 'INIT:SPAWN:x:42';
    expect(call(k, 1, A.SYS_DEBUG, text.length, 0, 0, text).result).toBe(A.E_INVAL);
  });

  it('unasked grants: past MAX_UNASKED_GRANTS into one CSpace the granter gets E_NOMEM; everyone else is served', () => {
    const { k, pids: [attacker, victim, other] } = boot(3);
    for (let i = 0; i < A.MAX_UNASKED_GRANTS; i++) {
      expect(res(k, attacker!, A.SYS_CAP_GRANT, 0, victim!, R | W | G)).toBeGreaterThan(0);
    }
    expect(res(k, attacker!, A.SYS_CAP_GRANT, 0, victim!, W)).toBe(slotErr(A.E_NOMEM));
    // The victim's CSpace still takes what others give it and what it makes itself.
    expect(res(k, other!, A.SYS_CAP_GRANT, 0, victim!, W)).toBeGreaterThan(0);
    expect(res(k, victim!, A.SYS_EP_CREATE, 0)).toBeGreaterThan(0);
    // The attacker may still grant elsewhere, and to itself (DERIVE or GRANT to its own pid).
    expect(res(k, attacker!, A.SYS_CAP_GRANT, 0, other!, W)).toBeGreaterThan(0);
    expect(res(k, attacker!, A.SYS_CAP_GRANT, 0, attacker!, W)).toBeGreaterThan(0);
    // The victim drops one of them: room for one more.
    const dropped = k.caps(victim!).find((c) => c.slot > 2 && c.object === k.caps(attacker!).find((x) => x.slot === 0)!.object)!;
    expect(res(k, victim!, A.SYS_CAP_DELETE, dropped.slot)).toBe(A.E_OK);
    expect(res(k, attacker!, A.SYS_CAP_GRANT, 0, victim!, W)).toBeGreaterThan(0);
    expect(res(k, attacker!, A.SYS_CAP_GRANT, 0, victim!, W)).toBe(slotErr(A.E_NOMEM));
    expect(k.verifyIntegrity().ok).toBe(true);
  });

  it('unasked grants: a revoke by the granter frees its count', () => {
    const { k, pids: [a, b] } = boot(2);
    const mine = res(k, a!, A.SYS_CAP_DERIVE, 0, R | W | G);
    for (let i = 0; i < A.MAX_UNASKED_GRANTS; i++) res(k, a!, A.SYS_CAP_GRANT, mine, b!, W);
    expect(res(k, a!, A.SYS_CAP_GRANT, mine, b!, W)).toBe(slotErr(A.E_NOMEM));
    expect(res(k, a!, A.SYS_CAP_REVOKE, mine)).toBe(A.E_OK);
    expect(notices(k, b!)).toHaveLength(A.MAX_UNASKED_GRANTS);
    expect(res(k, a!, A.SYS_CAP_GRANT, mine, b!, W)).toBeGreaterThan(0);
  });
});

describe('lists never end in a partial entry', () => {
  it('names are cut to 64 bytes at a character boundary at spawn, and LIST_PROCS of many long names is whole', () => {
    const k = new Kernel({ maxProcesses: 1000 });
    k.registerSupervisor();
    k.spawn('init');
    const long = 'é'.repeat(100); // 200 bytes of 2-byte characters
    const first = k.spawn(long);
    for (let i = 0; i < 900; i++) k.spawn(`${'x'.repeat(70)}${i}`);
    const name = k.processes().find((p) => p.pid === first)!.name;
    expect(new TextEncoder().encode(name).length).toBeLessThanOrEqual(A.MAX_NAME_BYTES);
    expect(name).toBe('é'.repeat(32));
    const r = call(k, first, A.SYS_LIST_PROCS);
    expect(r.data!.length).toBeLessThanOrEqual(A.MAX_RESPONSE_DATA);
    const listed = decodeProcs(r.data!); // checks the data ends with its last entry
    expect(listed).toHaveLength(902);
    expect(listed.every((p) => new TextEncoder().encode(p.name).length <= A.MAX_NAME_BYTES)).toBe(true);
  });

  it('with bounds far above the defaults, LIST_PROCS lists only whole entries that fit, and its count says how many', () => {
    const k = new Kernel({ maxProcesses: 2000 });
    k.registerSupervisor();
    k.spawn('init');
    for (let i = 0; i < 1200; i++) k.spawn('y'.repeat(64));
    const r = call(k, 1, A.SYS_LIST_PROCS);
    expect(r.data!.length).toBeLessThanOrEqual(A.MAX_RESPONSE_DATA);
    const listed = decodeProcs(r.data!);
    // count u32, init's entry (6 + 4 bytes), then as many 70-byte entries as fit.
    expect(listed.length).toBe(1 + Math.floor((A.MAX_RESPONSE_DATA - 4 - 10) / 70));
  });

  it('LIST_CAPS of a full CSpace fits', () => {
    const { k, pids: [a] } = boot(1);
    while (res(k, a!, A.SYS_CAP_DERIVE, 0, R) >= 0);
    const r = call(k, a!, A.SYS_LIST_CAPS);
    expect(r.data!.length).toBe(4 + 13 * A.MAX_SLOTS);
  });
});
