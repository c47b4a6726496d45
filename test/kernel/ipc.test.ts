// SEND and RECEIVE (ABI §3): layouts, rights, bounded FIFO queues, blocking
// and timeouts, and console input on slot 1.

import { describe, expect, it } from 'vitest';
import {
  A, boot, bytes, call, capAt, decodeMessage, drain, epOf, recv, res, send, sys, u32le, wakes,
} from './helpers.ts';

const R = A.PERM_READ, W = A.PERM_WRITE;

/** b gets a write capability to a's slot 0 endpoint; returns b's slot. */
function writeCap(k: ReturnType<typeof boot>['k'], a: number, b: number): number {
  return res(k, a, A.SYS_CAP_GRANT, 0, b, W);
}

describe('SEND', () => {
  it('answers 0 and queues `from u32, tag u32, payload` for the owner', () => {
    const { k, pids: [a, b] } = boot(2);
    const s = writeCap(k, a!, b!);
    k.takeEvents();
    expect(send(k, b!, s, 0x1234, 'hello')).toBe(A.E_OK);
    expect(k.takeEvents()).toEqual([{ kind: 'message', pid: a }]);
    expect(k.endpoints().find((e) => e.id === epOf(k, a!, 0))?.queued).toBe(1);
    const r = call(k, a!, A.SYS_RECEIVE, 0, 0, 0);
    expect(r.result).toBe(8 + 5);
    expect([...r.data!]).toEqual([...u32le(b!, 0x1234), ...bytes('hello')]);
  });

  it('records MessageSent with metadata only', () => {
    const { k, pids: [a, b] } = boot(2);
    const s = writeCap(k, a!, b!);
    send(k, b!, s, 7, 'secret');
    const c = k.commits.at(-1)!;
    expect(c.type).toBe('MessageSent');
    expect(c.fields).toEqual({ from_pid: b, to_endpoint: epOf(k, a!, 0), tag: 7, size: 6 });
    expect(JSON.stringify(k.commits)).not.toContain('secret');
  });

  it('carries a full u32 tag, an empty payload and a payload of exactly 4088 bytes (message of 4096)', () => {
    const { k, pids: [a, b] } = boot(2);
    const s = writeCap(k, a!, b!);
    expect(send(k, b!, s, -1)).toBe(A.E_OK);
    const big = new Uint8Array(A.MAX_PAYLOAD).map((_, i) => i & 0xff);
    expect(send(k, b!, s, 0x80000000, big)).toBe(A.E_OK);
    const [m1, m2] = drain(k, a!, 0);
    expect(m1).toMatchObject({ from: b, tag: 0xffffffff, text: '' });
    expect(m2!.tag).toBe(0x80000000);
    expect(m2!.payload).toEqual(big);
  });

  it('sends only `len` bytes of longer request data', () => {
    const { k, pids: [a, b] } = boot(2);
    const s = writeCap(k, a!, b!);
    expect(res(k, b!, A.SYS_SEND, s, 1, 3, 'abcdef')).toBe(A.E_OK);
    expect(recv(k, a!, 0).text).toBe('abc');
  });

  it('E_BADF for an empty slot; E_PERM without write or on a non-endpoint capability', () => {
    const { k, pids: [a, b] } = boot(2);
    expect(send(k, b!, 9, 1, 'x')).toBe(A.E_BADF);
    expect(send(k, b!, -1, 1, 'x')).toBe(A.E_BADF);
    const ro = res(k, a!, A.SYS_CAP_GRANT, 0, b!, R | A.PERM_GRANT);
    expect(send(k, b!, ro, 1, 'x')).toBe(A.E_PERM);
    const storage = k.grantObject(b!, A.OBJ_STORAGE, 1, A.PERM_ALL);
    expect(send(k, b!, storage, 1, 'x')).toBe(A.E_PERM);
    expect(drain(k, a!, 0)).toEqual([]);
  });

  it('E_INVAL when len is negative or exceeds the request data', () => {
    const { k, pids: [a, b] } = boot(2);
    const s = writeCap(k, a!, b!);
    expect(res(k, b!, A.SYS_SEND, s, 1, 4, 'abc')).toBe(A.E_INVAL);
    expect(res(k, b!, A.SYS_SEND, s, 1, -1, 'abc')).toBe(A.E_INVAL);
  });

  it('E_OVERFLOW for a payload over 4088 bytes and for request data over 65536 bytes', () => {
    const { k, pids: [a, b] } = boot(2);
    const s = writeCap(k, a!, b!);
    const over = new Uint8Array(A.MAX_PAYLOAD + 1);
    expect(res(k, b!, A.SYS_SEND, s, 1, over.length, over)).toBe(A.E_OVERFLOW);
    const huge = new Uint8Array(A.MAX_REQUEST_DATA + 1);
    expect(res(k, b!, A.SYS_SEND, s, 1, 0, huge)).toBe(A.E_OVERFLOW);
    // Exactly 65536 bytes of request data is allowed.
    expect(res(k, b!, A.SYS_SEND, s, 1, 2, new Uint8Array(A.MAX_REQUEST_DATA))).toBe(A.E_OK);
    // The supervisor's flag for data it could not even take in.
    expect(k.syscall(b!, A.SYS_SEND, s, 1, 0, new Uint8Array(0), 0, true)).toEqual({ kind: 'done', result: A.E_OVERFLOW, data: null });
    expect(drain(k, a!, 0)).toHaveLength(1);
  });

  it('answers E_AGAIN on a full queue (default 256) and loses nothing: all 256 arrive in order', () => {
    const { k, pids: [a, b] } = boot(2);
    const s = writeCap(k, a!, b!);
    for (let i = 0; i < A.DEFAULT_QUEUE_CAPACITY; i++) expect(send(k, b!, s, i, u32le(i))).toBe(A.E_OK);
    const before = k.commits.length;
    expect(send(k, b!, s, 999, 'lost?')).toBe(A.E_AGAIN);
    expect(send(k, b!, s, 1000, 'lost?')).toBe(A.E_AGAIN);
    expect(k.commits.length).toBe(before); // no MessageSent for a refused message
    k.takeEvents();
    const got = drain(k, a!, 0);
    expect(got).toHaveLength(256);
    got.forEach((m, i) => {
      expect(m.tag).toBe(i);
      expect(m.payload).toEqual(u32le(i));
    });
    // The refused sender hears once that there is room again.
    expect(k.takeEvents().filter((e) => e.kind === 'room')).toEqual([{ kind: 'room', pid: b }]);
    expect(send(k, b!, s, 257, 'after')).toBe(A.E_OK);
    expect(recv(k, a!, 0)).toMatchObject({ tag: 257, text: 'after' });
  });

  it('honours a configured queue capacity', () => {
    const { k, pids: [a, b] } = boot(2, { queueCapacity: 2 });
    const s = writeCap(k, a!, b!);
    expect([send(k, b!, s, 1), send(k, b!, s, 2), send(k, b!, s, 3)]).toEqual([0, 0, A.E_AGAIN]);
    expect(drain(k, a!, 0).map((m) => m.tag)).toEqual([1, 2]);
  });

  it('is FIFO per endpoint across senders', () => {
    const { k, pids: [a, b, c] } = boot(3);
    const sb = writeCap(k, a!, b!), sc = writeCap(k, a!, c!);
    send(k, b!, sb, 1); send(k, c!, sc, 2); send(k, b!, sb, 3); send(k, a!, 0, 4); send(k, c!, sc, 5);
    expect(drain(k, a!, 0).map((m) => [m.from, m.tag])).toEqual([[b, 1], [c, 2], [b, 3], [a, 4], [c, 5]]);
  });
});

describe('RECEIVE', () => {
  it('non-blocking (flags 0) on an empty queue answers 0 and no data', () => {
    const { k, pids: [a] } = boot(1);
    expect(call(k, a!, A.SYS_RECEIVE, 0, 0, 0)).toEqual({ result: 0, data: null });
    expect(call(k, a!, A.SYS_RECEIVE, 0, 0, 100)).toEqual({ result: 0, data: null });
  });

  it('length-shaped errors: -E_BADF empty slot, -E_PERM without read, by a non-owner, on a non-endpoint', () => {
    const { k, pids: [a, b] } = boot(2);
    expect(res(k, a!, A.SYS_RECEIVE, 7, 0, 0)).toBe(-A.E_BADF);
    expect(res(k, a!, A.SYS_RECEIVE, -1, 1, 0)).toBe(-A.E_BADF);
    const wo = res(k, a!, A.SYS_CAP_DERIVE, 0, W | A.PERM_GRANT);
    expect(res(k, a!, A.SYS_RECEIVE, wo, 0, 0)).toBe(-A.E_PERM);
    // b holds read (and everything else) on a's endpoint, but is not its owner.
    const full = res(k, a!, A.SYS_CAP_GRANT, 0, b!, A.PERM_ALL);
    send(k, a!, 0, 1, 'for a');
    expect(res(k, b!, A.SYS_RECEIVE, full, 0, 0)).toBe(-A.E_PERM);
    expect(res(k, b!, A.SYS_RECEIVE, full, 1, 0)).toBe(-A.E_PERM);
    expect(res(k, a!, A.SYS_RECEIVE, 2, 0, 0)).toBe(-A.E_PERM); // init endpoint, write-only and not a's
    const storage = k.grantObject(a!, A.OBJ_STORAGE, 5, A.PERM_ALL);
    expect(res(k, a!, A.SYS_RECEIVE, storage, 0, 0)).toBe(-A.E_PERM);
    expect(recv(k, a!, 0).text).toBe('for a'); // still there
  });

  it('the owner may receive through a derived read-only capability', () => {
    const { k, pids: [a] } = boot(1);
    const ro = res(k, a!, A.SYS_CAP_DERIVE, 0, R);
    send(k, a!, 0, 3, 'x');
    expect(recv(k, a!, ro)).toMatchObject({ from: a, tag: 3, text: 'x' });
  });

  it('blocking (flags bit 0) waits, and a SEND wakes it with the message', () => {
    const { k, pids: [a, b] } = boot(2);
    const s = writeCap(k, a!, b!);
    expect(sys(k, a!, A.SYS_RECEIVE, 0, A.RECV_BLOCK, 0)).toEqual({ kind: 'blocked' });
    expect(k.isWaiting(a!)).toBe(true);
    expect(k.processes().find((p) => p.pid === a)!.state).toBe(A.STATE_WAITING);
    // A waiting process cannot make another syscall.
    expect(res(k, a!, A.SYS_GET_PID)).toBe(A.E_PERM);
    k.takeEvents();
    expect(send(k, b!, s, 42, 'wake up', )).toBe(A.E_OK);
    const evs = k.takeEvents();
    expect(evs.filter((e) => e.kind === 'message')).toEqual([]); // handed over directly
    const [w] = wakes(evs);
    expect(w).toMatchObject({ kind: 'wake', pid: a, result: 8 + 7 });
    expect(decodeMessage(w!.data!)).toMatchObject({ from: b, tag: 42, text: 'wake up' });
    expect(k.isWaiting(a!)).toBe(false);
    expect(k.endpoints().find((e) => e.id === epOf(k, a!, 0))!.queued).toBe(0);
  });

  it('blocking on a non-empty queue answers at once', () => {
    const { k, pids: [a] } = boot(1);
    send(k, a!, 0, 5, 'ready');
    const out = sys(k, a!, A.SYS_RECEIVE, 0, A.RECV_BLOCK, 1000);
    expect(out.kind).toBe('done');
  });

  it('a message to another endpoint of the same owner does not wake a receive blocked elsewhere', () => {
    const { k, pids: [a, b] } = boot(2);
    const s = writeCap(k, a!, b!); // to a's slot 0
    sys(k, a!, A.SYS_RECEIVE, 1, A.RECV_BLOCK, 0); // blocked on slot 1
    k.takeEvents();
    send(k, b!, s, 1, 'x');
    expect(k.takeEvents()).toEqual([{ kind: 'message', pid: a }]);
    expect(k.isWaiting(a!)).toBe(true);
  });

  it('with a timeout answers 0 when tick() reaches the deadline', () => {
    const { k, pids: [a] } = boot(1);
    expect(sys(k, a!, A.SYS_RECEIVE, 0, A.RECV_BLOCK, 5, '', 1_000).kind).toBe('blocked');
    expect(k.nextDeadline()).toBe(1_000 + 5e6);
    k.tick(1_000 + 5e6 - 1);
    expect(k.takeEvents()).toEqual([]);
    k.tick(1_000 + 5e6);
    expect(k.takeEvents()).toEqual([{ kind: 'wake', pid: a, result: 0, data: null }]);
    expect(k.isWaiting(a!)).toBe(false);
    const last = k.syslog.tail(1)[0]!;
    expect(last).toMatchObject({ kind: 'response', result: 0 });
  });

  it('timeout 0 means no limit', () => {
    const { k, pids: [a] } = boot(1);
    sys(k, a!, A.SYS_RECEIVE, 0, A.RECV_BLOCK, 0);
    expect(k.nextDeadline()).toBeNull();
    k.tick(1e15);
    expect(k.takeEvents()).toEqual([]);
    expect(k.isWaiting(a!)).toBe(true);
  });
});

describe('console input', () => {
  it('arrives on slot 1 as CONSOLE_INPUT from PID 0', () => {
    const { k, pids: [a] } = boot(1);
    expect(k.deliverConsoleInput(a!, bytes('ls\n'))).toBe(A.E_OK);
    expect(recv(k, a!, A.SLOT_INPUT)).toMatchObject({ from: A.PID_SUPERVISOR, tag: A.MSG_CONSOLE_INPUT, text: 'ls\n' });
    expect(drain(k, a!, 0)).toEqual([]);
  });

  it('wakes a receive blocked on slot 1', () => {
    const { k, pids: [a] } = boot(1);
    sys(k, a!, A.SYS_RECEIVE, A.SLOT_INPUT, A.RECV_BLOCK, 0);
    k.deliverConsoleInput(a!, bytes('x'));
    const [w] = wakes(k.takeEvents());
    expect(decodeMessage(w!.data!)).toMatchObject({ from: 0, tag: A.MSG_CONSOLE_INPUT, text: 'x' });
  });

  it('refuses oversize input, dead or unknown processes, a missing slot 1, and a full queue', () => {
    const { k, pids: [a, b, c] } = boot(3, { queueCapacity: 1 });
    expect(k.deliverConsoleInput(a!, new Uint8Array(A.MAX_PAYLOAD + 1))).toBe(A.E_OVERFLOW);
    expect(k.deliverConsoleInput(999, bytes('x'))).toBe(A.E_BADF);
    k.kill(b!);
    expect(k.deliverConsoleInput(b!, bytes('x'))).toBe(A.E_BADF);
    res(k, c!, A.SYS_CAP_DELETE, 1);
    expect(k.deliverConsoleInput(c!, bytes('x'))).toBe(A.E_BADF);
    expect(k.deliverConsoleInput(a!, bytes('1'))).toBe(A.E_OK);
    expect(k.deliverConsoleInput(a!, bytes('2'))).toBe(A.E_AGAIN);
    expect(drain(k, a!, 1).map((m) => m.text)).toEqual(['1']);
    expect(capAt(k, a!, 1)).toBeDefined();
  });
});
