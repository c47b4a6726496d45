// SEND_CAP (ABI §3): capabilities move atomically with a message, land in
// new slots listed after the payload, and stay in the derivation tree while
// in flight (a revoke reaches them: the receiver sees 0xFFFFFFFF).

import { describe, expect, it } from 'vitest';
import { replay } from '../../kernel/index.ts';
import { A, boot, call, capAt, decodeMessage, drain, epOf, notices, recv, res, sendCapData, sys, wakes } from './helpers.ts';

const LOST = 0xffffffff;

/**
 * s receives on its slot 0; c holds a write capability to it in slot 3,
 * a read-only derivation of its own input endpoint in slot 4 and a Storage
 * capability in slot 5; a is a third process.
 */
function setup(opts = {}) {
  const { k, pids } = boot(3, opts);
  const [s, c, a] = pids as [number, number, number];
  expect(res(k, s, A.SYS_CAP_GRANT, 0, c, A.PERM_WRITE)).toBe(3);
  expect(res(k, c, A.SYS_CAP_DERIVE, 1, A.PERM_READ)).toBe(4);
  expect(k.grantObject(c, A.OBJ_STORAGE, 77, A.PERM_READ | A.PERM_WRITE, 0, null, 5)).toBe(5);
  k.takeEvents();
  return { k, s, c, a };
}

function sendCap(k: ReturnType<typeof boot>['k'], pid: number, slot: number, tag: number, payload: string, slots: number[]): number {
  const { data, a2 } = sendCapData(payload, slots);
  return res(k, pid, A.SYS_SEND_CAP, slot, tag, a2, data);
}

describe('SEND_CAP', () => {
  it('moves the capabilities: gone from the sender, in new receiver slots listed after the payload', () => {
    const { k, s, c } = setup();
    const moved4 = capAt(k, c, 4)!, moved5 = capAt(k, c, 5)!;
    expect(sendCap(k, c, 3, 0x55, 'caps', [4, 5])).toBe(A.E_OK);
    expect(capAt(k, c, 4)).toBeUndefined();
    expect(capAt(k, c, 5)).toBeUndefined();
    const r = call(k, s, A.SYS_RECEIVE, 0, 0, 0);
    expect(r.result).toBe(8 + 4 + 8);
    const m = decodeMessage(r.data!, 2);
    expect(m).toMatchObject({ from: c, tag: 0x55, text: 'caps', slots: [3, 4] });
    // The same capabilities: id, type, object, rights and place in the tree.
    const { slot: _4, pid: _p4, ...rest4 } = moved4;
    const { slot: _5, pid: _p5, ...rest5 } = moved5;
    expect(capAt(k, s, 3)).toEqual({ ...rest4, pid: s, slot: 3 });
    expect(capAt(k, s, 4)).toEqual({ ...rest5, pid: s, slot: 4 });
    expect(replay(k.commits).ok && replay(k.commits)).toMatchObject({ stateHash: k.stateHash() });
  });

  it('with count 0 is a plain send', () => {
    const { k, s, c } = setup();
    expect(sendCap(k, c, 3, 1, 'x', [])).toBe(A.E_OK);
    expect(recv(k, s, 0)).toMatchObject({ from: c, tag: 1, text: 'x' });
  });

  it('a bad slot anywhere in the list moves nothing and fails with E_BADF', () => {
    const { k, s, c } = setup();
    const commits = k.commits.length, hash = k.stateHash();
    for (const bad of [[4, 9], [9, 4], [4, 5, 0x7fffffff], [-1]]) {
      expect(sendCap(k, c, 3, 1, 'p', bad)).toBe(A.E_BADF);
    }
    expect(capAt(k, c, 4)).toBeDefined();
    expect(capAt(k, c, 5)).toBeDefined();
    expect(k.commits.length).toBe(commits);
    expect(k.stateHash()).toBe(hash);
    expect(drain(k, s, 0)).toEqual([]);
  });

  it('E_INVAL for a slot listed twice, for the sending capability itself, for data shorter than len + 4·count', () => {
    const { k, s, c } = setup();
    expect(sendCap(k, c, 3, 1, '', [4, 4])).toBe(A.E_INVAL);
    expect(sendCap(k, c, 3, 1, '', [4, 3])).toBe(A.E_INVAL);
    const { data } = sendCapData('ab', [4]);
    expect(res(k, c, A.SYS_SEND_CAP, 3, 1, 2 | (2 << 16), data)).toBe(A.E_INVAL);
    expect(capAt(k, c, 4)).toBeDefined();
    expect(drain(k, s, 0)).toEqual([]);
  });

  it('status-shaped E_BADF / E_PERM for the sending slot, E_OVERFLOW for a payload over 4088', () => {
    const { k, c } = setup();
    expect(sendCap(k, c, 9, 1, '', [4])).toBe(A.E_BADF);
    expect(sendCap(k, c, 4, 1, '', [5])).toBe(A.E_PERM); // read-only
    expect(sendCap(k, c, 5, 1, '', [4])).toBe(A.E_PERM); // not an endpoint
    const big = 'x'.repeat(A.MAX_PAYLOAD + 1);
    expect(sendCap(k, c, 3, 1, big, [4])).toBe(A.E_OVERFLOW);
    expect(k.syscall(c, A.SYS_SEND_CAP, 3, 1, 0, new Uint8Array(A.MAX_REQUEST_DATA + 1)).kind).toBe('done');
    expect(capAt(k, c, 4)).toBeDefined();
  });

  it('E_AGAIN on a full queue moves nothing', () => {
    const { k, s, c } = setup({ queueCapacity: 1 });
    expect(sendCap(k, c, 3, 1, '', [])).toBe(A.E_OK);
    expect(sendCap(k, c, 3, 2, '', [4, 5])).toBe(A.E_AGAIN);
    expect(capAt(k, c, 4)).toBeDefined();
    expect(capAt(k, c, 5)).toBeDefined();
    recv(k, s, 0);
    expect(sendCap(k, c, 3, 2, '', [4, 5])).toBe(A.E_OK);
  });

  it('a revoke of the moved capability\'s ancestor while in flight: the receiver sees 0xFFFFFFFF for it', () => {
    const { k, s, c, a } = setup();
    const fromA = res(k, a, A.SYS_CAP_GRANT, 0, c, A.PERM_ALL); // c slot 6, child of a's slot 0
    expect(fromA).toBe(6);
    expect(sendCap(k, c, 3, 1, 'in flight', [6, 4])).toBe(A.E_OK);
    expect(res(k, a, A.SYS_CAP_REVOKE, 0)).toBe(A.E_OK);
    const m = recv(k, s, 0, 2);
    expect(m.slots).toEqual([LOST, 3]);
    expect(capAt(k, s, 3)!.object).toBe(epOf(k, c, 1));
    expect(k.caps().filter((x) => x.type === A.OBJ_ENDPOINT && x.object === epOf(k, a, 0)).map((x) => x.pid)).toEqual([a]);
    // Nobody held it while in flight: nobody is told.
    expect(notices(k, c)).toEqual([]);
    expect(notices(k, s)).toEqual([]);
    expect(replay(k.commits)).toMatchObject({ ok: true, stateHash: k.stateHash() });
  });

  it('a privileged removeCapability of the ancestor reaches it in flight too', () => {
    const { k, s, c, a } = setup();
    res(k, a, A.SYS_CAP_GRANT, 0, c, A.PERM_ALL);
    sendCap(k, c, 3, 1, '', [6]);
    expect(k.removeCapability(a, 0)).toBe(A.E_OK);
    expect(recv(k, s, 0, 1).slots).toEqual([LOST]);
  });

  it('a moved capability whose endpoint died in flight arrives as 0xFFFFFFFF', () => {
    const { k, s, c, a } = setup();
    res(k, a, A.SYS_CAP_GRANT, 0, c, A.PERM_WRITE);
    sendCap(k, c, 3, 1, '', [6]);
    k.syscall(a, A.SYS_EXIT, 0, 0, 0);
    expect(recv(k, s, 0, 1).slots).toEqual([LOST]);
    expect(replay(k.commits)).toMatchObject({ ok: true, stateHash: k.stateHash() });
  });

  it('a moved Process capability whose process died in flight arrives as 0xFFFFFFFF', () => {
    const { k, s, c, a } = setup();
    expect(k.grantObject(c, A.OBJ_PROCESS, a, A.PERM_WRITE, 0, null, 6)).toBe(6);
    sendCap(k, c, 3, 1, '', [6]);
    k.kill(a);
    expect(recv(k, s, 0, 1).slots).toEqual([LOST]);
  });

  it('a full receiver CSpace loses the capability (0xFFFFFFFF)', () => {
    const { k, s, c } = setup({ maxSlots: 6 });
    for (let i = 0; i < 3; i++) res(k, s, A.SYS_CAP_DERIVE, 0, 1); // s: slots 0..5, full
    expect(res(k, s, A.SYS_CAP_DERIVE, 0, 1)).toBe((A.SLOT_ERROR_BIT | A.E_NOMEM) | 0);
    sendCap(k, c, 3, 1, '', [4]);
    expect(recv(k, s, 0, 1).slots).toEqual([LOST]);
    expect(replay(k.commits)).toMatchObject({ ok: true, stateHash: k.stateHash() });
  });

  it('the moved capability keeps its place in the tree: the original ancestor\'s revoke reaches it after landing', () => {
    const { k, s, c, a } = setup();
    res(k, a, A.SYS_CAP_GRANT, 0, c, A.PERM_ALL); // c slot 6
    sendCap(k, c, 3, 1, '', [6]);
    const [slot] = recv(k, s, 0, 1).slots;
    expect(capAt(k, s, slot!)!.parent).toBe(capAt(k, a, 0)!.id);
    res(k, a, A.SYS_CAP_REVOKE, 0);
    expect(capAt(k, s, slot!)).toBeUndefined();
    expect(notices(k, s)).toEqual([{ slot, type: A.OBJ_ENDPOINT, object: epOf(k, a, 0), reason: A.REVOKE_EXPLICIT }]);
  });

  it('takes its descendants with it: the new holder\'s REVOKE reaches copies the sender made before the move', () => {
    const { k, s, c, a } = setup();
    // c derives slot 6 from its input endpoint and grants a copy of it to a; then moves slot 6 to s.
    expect(res(k, c, A.SYS_CAP_DERIVE, 1, A.PERM_READ | A.PERM_GRANT)).toBe(6);
    const copy = res(k, c, A.SYS_CAP_GRANT, 6, a, A.PERM_READ);
    expect(copy).toBeGreaterThanOrEqual(0);
    expect(sendCap(k, c, 3, 0x56, '', [6])).toBe(A.E_OK);
    const landed = recv(k, s, 0, 1).slots[0]!;
    expect(capAt(k, a, copy)!.parent).toBe(capAt(k, s, landed)!.id);
    expect(res(k, s, A.SYS_CAP_REVOKE, landed)).toBe(A.E_OK);
    expect(capAt(k, a, copy)).toBeUndefined();
    expect(notices(k, a).map((n) => n.slot)).toEqual([copy]);
    expect(replay(k.commits)).toMatchObject({ ok: true, stateHash: k.stateHash() });
  });

  it('is handed straight to a receiver blocked in RECEIVE, caps included', () => {
    const { k, s, c } = setup();
    sys(k, s, A.SYS_RECEIVE, 0, A.RECV_BLOCK, 0);
    sendCap(k, c, 3, 8, 'now', [5]);
    const [w] = wakes(k.takeEvents());
    expect(decodeMessage(w!.data!, 1)).toMatchObject({ from: c, tag: 8, text: 'now', slots: [3] });
    expect(capAt(k, s, 3)).toMatchObject({ type: A.OBJ_STORAGE, object: 77 });
  });

  it('caps in a message whose endpoint is destroyed vanish, and replay still agrees', () => {
    const { k, s, c } = setup();
    sendCap(k, c, 3, 1, '', [4, 5]);
    k.kill(s);
    expect(k.caps().filter((x) => x.type === A.OBJ_STORAGE)).toEqual([]);
    expect(replay(k.commits)).toMatchObject({ ok: true, stateHash: k.stateHash() });
  });
});
