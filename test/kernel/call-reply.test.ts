// CALL and REPLY (ABI §3): a one-shot reply right, given by receiving the
// CALL; replies cannot be forged or repeated; a dying server frees its callers.

import { describe, expect, it } from 'vitest';
import { A, boot, bytes, call, decodeMessage, recv, res, send, sys, wakes } from './helpers.ts';

/** Boots a server `s` and a client `c` holding a write capability to s's slot 0. */
function pair(extra = 0, opts = {}) {
  const { k, pids } = boot(2 + extra, opts);
  const [s, c] = pids as [number, number];
  const slot = res(k, s, A.SYS_CAP_GRANT, 0, c, A.PERM_WRITE);
  k.takeEvents();
  return { k, s, c, slot, others: pids.slice(2) };
}

const callOf = (k: ReturnType<typeof boot>['k'], pid: number, slot: number, tag: number, payload = '') =>
  sys(k, pid, A.SYS_CALL, slot, tag, bytes(payload).length, payload);

describe('CALL and REPLY', () => {
  it('CALL blocks; the server receives it; REPLY wakes the caller with `from, tag, payload`', () => {
    const { k, s, c, slot } = pair();
    expect(callOf(k, c, slot, 0x77, 'ping')).toEqual({ kind: 'blocked' });
    expect(k.isWaiting(c)).toBe(true);
    expect(recv(k, s, 0)).toMatchObject({ from: c, tag: 0x77, text: 'ping' });
    expect(res(k, s, A.SYS_REPLY, c, 0x78, 4, 'pong')).toBe(A.E_OK);
    const [w] = wakes(k.takeEvents());
    expect(w).toMatchObject({ pid: c, result: 12 });
    expect(decodeMessage(w!.data!)).toMatchObject({ from: s, tag: 0x78, text: 'pong' });
    expect(k.isWaiting(c)).toBe(false);
    // The CALL's SysLog response is the reply's length.
    const req = k.syslog.tail().find((e) => e.kind === 'request' && e.num === A.SYS_CALL)!;
    expect(k.syslog.tail().find((e) => e.kind === 'response' && e.request_id === req.id)).toMatchObject({ result: 12 });
  });

  it('an empty reply is 8 bytes: from and tag', () => {
    const { k, s, c, slot } = pair();
    callOf(k, c, slot, 1);
    recv(k, s, 0);
    res(k, s, A.SYS_REPLY, c, 2, 0);
    expect(wakes(k.takeEvents())[0]).toMatchObject({ pid: c, result: 8 });
  });

  it('a CALL to a server blocked in RECEIVE is handed over directly and still gives the reply right', () => {
    const { k, s, c, slot } = pair();
    sys(k, s, A.SYS_RECEIVE, 0, A.RECV_BLOCK, 0);
    callOf(k, c, slot, 9, 'direct');
    const [w] = wakes(k.takeEvents());
    expect(w!.pid).toBe(s);
    expect(decodeMessage(w!.data!)).toMatchObject({ from: c, tag: 9, text: 'direct' });
    expect(res(k, s, A.SYS_REPLY, c, 10, 0)).toBe(A.E_OK);
    expect(wakes(k.takeEvents())[0]!.pid).toBe(c);
  });

  it('REPLY to a process whose CALL was not received yet is E_NOENT (no forging)', () => {
    const { k, s, c, slot } = pair();
    callOf(k, c, slot, 1, 'queued');
    expect(res(k, s, A.SYS_REPLY, c, 0, 0)).toBe(A.E_NOENT);
    expect(k.isWaiting(c)).toBe(true);
    expect(wakes(k.takeEvents())).toEqual([]);
  });

  it('REPLY to a process that never called, or to a bogus PID, is E_NOENT', () => {
    const { k, s, c } = pair();
    for (const pid of [c, 999, -1, 0, s]) expect(res(k, s, A.SYS_REPLY, pid, 0, 0)).toBe(A.E_NOENT);
  });

  it('only the receiver of the CALL may reply', () => {
    const { k, s, c, slot, others } = pair(1);
    callOf(k, c, slot, 1);
    recv(k, s, 0);
    expect(res(k, others[0]!, A.SYS_REPLY, c, 0, 0)).toBe(A.E_NOENT);
    expect(k.isWaiting(c)).toBe(true);
    expect(res(k, s, A.SYS_REPLY, c, 0, 0)).toBe(A.E_OK);
  });

  it('the reply right is one-shot: a second REPLY is E_NOENT', () => {
    const { k, s, c, slot } = pair();
    callOf(k, c, slot, 1);
    recv(k, s, 0);
    expect(res(k, s, A.SYS_REPLY, c, 0, 0)).toBe(A.E_OK);
    expect(res(k, s, A.SYS_REPLY, c, 0, 0)).toBe(A.E_NOENT);
    expect(wakes(k.takeEvents())).toHaveLength(1);
  });

  it('a plain SEND received by the server gives no reply right', () => {
    const { k, s, c, slot } = pair();
    send(k, c, slot, 1, 'not a call');
    recv(k, s, 0);
    expect(res(k, s, A.SYS_REPLY, c, 0, 0)).toBe(A.E_NOENT);
  });

  it('REPLY errors on its payload: E_INVAL for a bad len, E_OVERFLOW over 4088 bytes', () => {
    const { k, s, c, slot } = pair();
    callOf(k, c, slot, 1);
    recv(k, s, 0);
    expect(res(k, s, A.SYS_REPLY, c, 0, 5, 'abc')).toBe(A.E_INVAL);
    expect(res(k, s, A.SYS_REPLY, c, 0, -1, 'abc')).toBe(A.E_INVAL);
    const over = new Uint8Array(A.MAX_PAYLOAD + 1);
    expect(res(k, s, A.SYS_REPLY, c, 0, over.length, over)).toBe(A.E_OVERFLOW);
    // The right survives a malformed reply.
    expect(res(k, s, A.SYS_REPLY, c, 0, 3, 'abc')).toBe(A.E_OK);
  });

  it('CALL errors are length-shaped and leave the caller running', () => {
    const { k, s, c, slot } = pair();
    expect(res(k, c, A.SYS_CALL, 9, 0, 0)).toBe(-A.E_BADF);
    const ro = res(k, s, A.SYS_CAP_GRANT, 0, c, A.PERM_READ);
    expect(res(k, c, A.SYS_CALL, ro, 0, 0)).toBe(-A.E_PERM);
    const over = new Uint8Array(A.MAX_PAYLOAD + 1);
    expect(res(k, c, A.SYS_CALL, slot, 0, over.length, over)).toBe(-A.E_OVERFLOW);
    expect(res(k, c, A.SYS_CALL, slot, 0, 4, 'ab')).toBe(-A.E_INVAL);
    expect(res(k, c, A.SYS_CALL, slot, 0, 0, new Uint8Array(A.MAX_REQUEST_DATA + 1))).toBe(-A.E_OVERFLOW);
    // Calling one's own endpoint would wait forever.
    expect(res(k, s, A.SYS_CALL, 0, 0, 0)).toBe(-A.E_INVAL);
    expect(k.isWaiting(c)).toBe(false);
    expect(k.isWaiting(s)).toBe(false);
  });

  it('CALL to a full queue answers -E_AGAIN and the caller does not wait', () => {
    const { k, s, c, slot } = pair(0, { queueCapacity: 1 });
    send(k, c, slot, 1);
    expect(res(k, c, A.SYS_CALL, slot, 2, 0)).toBe(-A.E_AGAIN);
    expect(k.isWaiting(c)).toBe(false);
    expect(recv(k, s, 0).tag).toBe(1);
    expect(call(k, s, A.SYS_RECEIVE, 0, 0, 0).result).toBe(0);
  });

  it('a caller whose received CALL the server never answers wakes with -E_NOENT when the server exits', () => {
    const { k, s, c, slot } = pair();
    callOf(k, c, slot, 1);
    recv(k, s, 0);
    expect(k.syscall(s, A.SYS_EXIT, 0, 0, 0)).toEqual({ kind: 'exited' });
    expect(wakes(k.takeEvents())).toEqual([{ kind: 'wake', pid: c, result: -A.E_NOENT, data: null }]);
    expect(k.isWaiting(c)).toBe(false);
  });

  it('a caller whose CALL is still queued wakes with -E_NOENT when the server is killed', () => {
    const { k, s, c, slot } = pair();
    callOf(k, c, slot, 1);
    k.kill(s);
    expect(wakes(k.takeEvents())).toEqual([{ kind: 'wake', pid: c, result: -A.E_NOENT, data: null }]);
  });

  it('a caller that dies while waiting cannot be replied to', () => {
    const { k, s, c, slot } = pair();
    callOf(k, c, slot, 1);
    recv(k, s, 0);
    k.kill(c);
    expect(res(k, s, A.SYS_REPLY, c, 0, 0)).toBe(A.E_NOENT);
  });

  it('a dead caller\'s queued CALL, received later, gives no reply right', () => {
    const { k, s, c, slot } = pair();
    callOf(k, c, slot, 1);
    k.kill(c);
    expect(recv(k, s, 0).from).toBe(c);
    expect(res(k, s, A.SYS_REPLY, c, 0, 0)).toBe(A.E_NOENT);
  });

  it('serves several callers, each with its own reply', () => {
    const { k, s, c, slot, others } = pair(1);
    const d = others[0]!;
    const ds = res(k, s, A.SYS_CAP_GRANT, 0, d, A.PERM_WRITE);
    callOf(k, c, slot, 1, 'c');
    callOf(k, d, ds, 2, 'd');
    const m1 = recv(k, s, 0), m2 = recv(k, s, 0);
    expect([m1.from, m2.from]).toEqual([c, d]);
    k.takeEvents();
    expect(res(k, s, A.SYS_REPLY, d, 20, 1, 'D')).toBe(0);
    expect(res(k, s, A.SYS_REPLY, c, 10, 1, 'C')).toBe(0);
    const ws = wakes(k.takeEvents());
    expect(ws.map((w) => [w.pid, decodeMessage(w.data!).text])).toEqual([[d, 'D'], [c, 'C']]);
  });
});
