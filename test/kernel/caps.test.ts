// The capability syscalls (ABI §3): GRANT, REVOKE, DELETE, INSPECT, DERIVE,
// EP_CREATE and LIST_CAPS, with every error the ABI names.

import { describe, expect, it } from 'vitest';
import {
  A, boot, call, capAt, decodeCaps, decodeInspect, drain, epOf, notices, res, slotErr,
} from './helpers.ts';

const R = A.PERM_READ, W = A.PERM_WRITE, G = A.PERM_GRANT;

describe('CAP_GRANT', () => {
  it('copies into the target, returning the slot there; the copy gets source ∩ perms', () => {
    const { k, pids: [a, b] } = boot(2);
    const slot = res(k, a!, A.SYS_CAP_GRANT, 0, b!, R | W);
    expect(slot).toBe(3); // lowest free slot of b
    const copy = capAt(k, b!, 3)!;
    expect(copy).toMatchObject({ type: A.OBJ_ENDPOINT, object: epOf(k, a!, 0), perms: R | W, parent: capAt(k, a!, 0)!.id });
    const c = k.commits.at(-1)!;
    expect(c.type).toBe('CapGranted');
    expect(c.fields).toEqual({ from_pid: a, to_pid: b, from_slot: 0, to_slot: 3, new_cap_id: copy.id, perms: R | W });
  });

  it('never grows rights: asking for more than the source has gives the source rights only', () => {
    const { k, pids: [a, b] } = boot(2);
    const derived = res(k, a!, A.SYS_CAP_DERIVE, 0, R | G); // r-g
    const slot = res(k, a!, A.SYS_CAP_GRANT, derived, b!, 0xff);
    expect(capAt(k, b!, slot)!.perms).toBe(R | G);
    const none = res(k, a!, A.SYS_CAP_GRANT, 0, b!, 0);
    expect(capAt(k, b!, none)!.perms).toBe(0);
  });

  it('may grant to the caller itself', () => {
    const { k, pids: [a] } = boot(1);
    expect(res(k, a!, A.SYS_CAP_GRANT, 1, a!, R)).toBe(3);
    expect(capAt(k, a!, 3)!.perms).toBe(R);
  });

  it('E_BADF for an empty slot (negative, huge and unused slots), slot-shaped with bit 31', () => {
    const { k, pids: [a, b] } = boot(2);
    for (const slot of [5, -1, 1023, 0x7fffffff, -0x80000000]) {
      const r = res(k, a!, A.SYS_CAP_GRANT, slot, b!, 7);
      expect(r).toBe(slotErr(A.E_BADF));
      expect(r >>> 31).toBe(1);
      expect(r & 0x7fffffff).toBe(A.E_BADF);
    }
  });

  it('E_PERM without the grant right (slot 2 is write-only)', () => {
    const { k, pids: [a, b] } = boot(2);
    expect(res(k, a!, A.SYS_CAP_GRANT, 2, b!, W)).toBe(slotErr(A.E_PERM));
    const rw = res(k, a!, A.SYS_CAP_DERIVE, 0, R | W);
    expect(res(k, a!, A.SYS_CAP_GRANT, rw, b!, R)).toBe(slotErr(A.E_PERM));
  });

  it('E_NOENT for a bad target: unknown PID, PID 0, an exited process', () => {
    const { k, pids: [a, b] } = boot(2);
    k.syscall(b!, A.SYS_EXIT, 0, 0, 0);
    for (const to of [999, -1, A.PID_SUPERVISOR, b!]) {
      expect(res(k, a!, A.SYS_CAP_GRANT, 0, to, 7)).toBe(slotErr(A.E_NOENT));
    }
  });

  it('checks the source before the target: E_BADF, then E_PERM, then E_NOENT', () => {
    const { k, pids: [a] } = boot(1);
    expect(res(k, a!, A.SYS_CAP_GRANT, 9, 999, 7)).toBe(slotErr(A.E_BADF));
    expect(res(k, a!, A.SYS_CAP_GRANT, 2, 999, 7)).toBe(slotErr(A.E_PERM));
    expect(res(k, a!, A.SYS_CAP_GRANT, 0, 999, 7)).toBe(slotErr(A.E_NOENT));
  });

  it('E_NOMEM when the target CSpace is full', () => {
    const { k, pids: [a, b] } = boot(2, { maxSlots: 4 });
    expect(res(k, a!, A.SYS_CAP_GRANT, 0, b!, 7)).toBe(3);
    expect(res(k, a!, A.SYS_CAP_GRANT, 0, b!, 7)).toBe(slotErr(A.E_NOMEM));
  });

  it('changes nothing when it fails', () => {
    const { k, pids: [a] } = boot(1);
    const before = k.commits.length;
    const hash = k.stateHash();
    res(k, a!, A.SYS_CAP_GRANT, 2, 1, 7);
    res(k, a!, A.SYS_CAP_GRANT, 0, 999, 7);
    expect(k.commits.length).toBe(before);
    expect(k.stateHash()).toBe(hash);
  });
});

describe('CAP_DERIVE', () => {
  it('makes source ∩ perms in the caller\'s own CSpace, as a child of the source', () => {
    const { k, pids: [a] } = boot(1);
    const slot = res(k, a!, A.SYS_CAP_DERIVE, 0, R | 0xf8);
    expect(slot).toBe(3);
    expect(capAt(k, a!, 3)).toMatchObject({ perms: R, object: epOf(k, a!, 0), parent: capAt(k, a!, 0)!.id });
  });

  it('needs no particular right, and still cannot grow rights', () => {
    const { k, pids: [a] } = boot(1);
    const slot = res(k, a!, A.SYS_CAP_DERIVE, 2, 7); // slot 2 is write-only
    expect(capAt(k, a!, slot)!.perms).toBe(W);
  });

  it('E_BADF for an empty slot; E_NOMEM when the CSpace is full; both slot-shaped', () => {
    const { k, pids: [a] } = boot(1, { maxSlots: 4 });
    expect(res(k, a!, A.SYS_CAP_DERIVE, 7, 7)).toBe(slotErr(A.E_BADF));
    expect(res(k, a!, A.SYS_CAP_DERIVE, -3, 7)).toBe(slotErr(A.E_BADF));
    expect(res(k, a!, A.SYS_CAP_DERIVE, 0, 7)).toBe(3);
    expect(res(k, a!, A.SYS_CAP_DERIVE, 0, 7)).toBe(slotErr(A.E_NOMEM));
  });
});

describe('CAP_INSPECT', () => {
  it('answers 1 and 16 bytes `type u8, perms u8, pad u16, slot u32, object_id u64` for a present slot', () => {
    const { k, pids: [a] } = boot(1);
    const slot = res(k, a!, A.SYS_CAP_DERIVE, 1, R | G);
    const r = call(k, a!, A.SYS_CAP_INSPECT, slot);
    expect(r.result).toBe(1);
    expect(r.data).toHaveLength(16);
    expect(decodeInspect(r.data!)).toEqual({ type: A.OBJ_ENDPOINT, perms: R | G, pad: 0, slot, object: epOf(k, a!, 1) });
    expect([...r.data!.subarray(0, 4)]).toEqual([1, 5, 0, 0]);
  });

  it('carries 64-bit object ids', () => {
    const { k, pids: [a] } = boot(1);
    const big = 2 ** 40 + 7;
    const slot = k.grantObject(a!, A.OBJ_STORAGE, big, R, 0, null, 9);
    expect(slot).toBe(9);
    const r = call(k, a!, A.SYS_CAP_INSPECT, 9);
    expect(decodeInspect(r.data!)).toEqual({ type: A.OBJ_STORAGE, perms: R, pad: 0, slot: 9, object: big });
  });

  it('answers 0 and no data for an empty slot', () => {
    const { k, pids: [a] } = boot(1);
    for (const slot of [3, -1, 0x7fffffff]) {
      const r = call(k, a!, A.SYS_CAP_INSPECT, slot);
      expect(r.result).toBe(0);
      expect(r.data?.length ?? 0).toBe(0);
    }
  });
});

describe('LIST_CAPS', () => {
  it('answers status 0 and `count u32` then 13-byte `slot u32, type u8, object_id u64` records, in slot order', () => {
    const { k, pids: [a] } = boot(1);
    const big = 2 ** 52 + 3;
    k.grantObject(a!, A.OBJ_NETWORK, big, R, 0, null, 17);
    k.grantObject(a!, A.OBJ_CONSOLE, 4, R, 0, null, 5);
    const r = call(k, a!, A.SYS_LIST_CAPS);
    expect(r.result).toBe(A.E_OK);
    expect(r.data).toHaveLength(4 + 13 * 5);
    expect(new DataView(r.data!.buffer).getUint32(0, true)).toBe(5);
    expect(decodeCaps(r.data!)).toEqual([
      { slot: 0, type: 1, object: epOf(k, a!, 0) }, { slot: 1, type: 1, object: epOf(k, a!, 1) },
      { slot: 2, type: 1, object: 1 }, { slot: 5, type: A.OBJ_CONSOLE, object: 4 },
      { slot: 17, type: A.OBJ_NETWORK, object: big },
    ]);
    // Byte-level: the third record starts at 4 + 26.
    expect([...r.data!.subarray(30, 43)]).toEqual([2, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('answers count 0 for an empty CSpace', () => {
    const { k, pids: [a] } = boot(1);
    for (const s of [0, 1, 2]) res(k, a!, A.SYS_CAP_DELETE, s);
    const r = call(k, a!, A.SYS_LIST_CAPS);
    expect(r.result).toBe(0);
    expect([...r.data!]).toEqual([0, 0, 0, 0]);
  });
});

describe('EP_CREATE', () => {
  it('part 0 creates an endpoint owned by the caller, with rwg in a new slot', () => {
    const { k, pids: [a] } = boot(1);
    const before = k.endpoints().length;
    const slot = res(k, a!, A.SYS_EP_CREATE, A.EP_CREATE_NEW);
    expect(slot).toBe(3);
    const cap = capAt(k, a!, 3)!;
    expect(cap).toMatchObject({ type: A.OBJ_ENDPOINT, perms: A.PERM_ALL, parent: 0 });
    expect(k.endpoints()).toHaveLength(before + 1);
    expect(k.endpoints().find((e) => e.id === cap.object)?.owner).toBe(a);
  });

  it('parts 1 and 2 answer the low and high 32 bits of the id of the newest endpoint', () => {
    const { k, pids: [a] } = boot(1);
    // At spawn the newest endpoint is the input endpoint, slot 1.
    expect(res(k, a!, A.SYS_EP_CREATE, A.EP_CREATE_ID_LOW)).toBe(epOf(k, a!, 1));
    expect(res(k, a!, A.SYS_EP_CREATE, A.EP_CREATE_ID_HIGH)).toBe(0);
    const slot = res(k, a!, A.SYS_EP_CREATE, 0);
    expect(res(k, a!, A.SYS_EP_CREATE, 1)).toBe(epOf(k, a!, slot));
    expect(res(k, a!, A.SYS_EP_CREATE, 2)).toBe(0);
  });

  it('E_INVAL (slot-shaped) for an unknown part', () => {
    const { k, pids: [a] } = boot(1);
    expect(res(k, a!, A.SYS_EP_CREATE, 3)).toBe(slotErr(A.E_INVAL));
    expect(res(k, a!, A.SYS_EP_CREATE, -1)).toBe(slotErr(A.E_INVAL));
  });

  it('E_NOMEM at the endpoint limit and when the CSpace is full', () => {
    const { k, pids: [a, b] } = boot(2, { maxEndpoints: 3, maxSlots: 5 });
    expect(res(k, a!, A.SYS_EP_CREATE, 0)).toBe(3); // 3 owned now
    expect(res(k, a!, A.SYS_EP_CREATE, 0)).toBe(slotErr(A.E_NOMEM));
    expect(res(k, b!, A.SYS_CAP_DERIVE, 0, 7)).toBe(3);
    expect(res(k, b!, A.SYS_CAP_DERIVE, 0, 7)).toBe(4);
    expect(res(k, b!, A.SYS_EP_CREATE, 0)).toBe(slotErr(A.E_NOMEM));
  });
});

describe('CAP_DELETE', () => {
  it('removes the caller\'s own slot and notifies nobody', () => {
    const { k, pids: [a, b] } = boot(2);
    const s = res(k, a!, A.SYS_CAP_GRANT, 0, b!, 7);
    expect(res(k, b!, A.SYS_CAP_DELETE, s)).toBe(A.E_OK);
    expect(capAt(k, b!, s)).toBeUndefined();
    expect(drain(k, a!, 1)).toEqual([]);
    expect(drain(k, b!, 1)).toEqual([]);
    expect(k.commits.at(-1)!.type).toBe('CapRemoved');
    expect(k.commits.at(-1)!.fields).toEqual({ pid: b, slot: s, moving: 0 });
  });

  it('E_BADF (status-shaped) for an empty slot', () => {
    const { k, pids: [a] } = boot(1);
    expect(res(k, a!, A.SYS_CAP_DELETE, 3)).toBe(A.E_BADF);
    expect(res(k, a!, A.SYS_CAP_DELETE, -1)).toBe(A.E_BADF);
  });

  it('keeps what was derived from the deleted capability, and a later revoke from above still reaches it', () => {
    const { k, pids: [a, b, c] } = boot(3);
    const bs = res(k, a!, A.SYS_CAP_GRANT, 0, b!, 7);
    const bd = res(k, b!, A.SYS_CAP_DERIVE, bs, R | W);
    const cs = res(k, b!, A.SYS_CAP_GRANT, bs, c!, R);
    expect(res(k, b!, A.SYS_CAP_DELETE, bs)).toBe(A.E_OK);
    expect(capAt(k, b!, bd)).toBeDefined();
    expect(capAt(k, c!, cs)).toBeDefined();
    // They still hang from the deleted capability, now a tombstone under a's.
    const root = capAt(k, a!, 0)!.id;
    const tomb = k.state.tombstones.get(capAt(k, b!, bd)!.parent);
    expect(tomb?.pid).toBeNull();
    expect(tomb?.parent?.id).toBe(root);
    expect(capAt(k, c!, cs)!.parent).toBe(tomb!.id);
    expect(notices(k, b!)).toEqual([]);
    expect(res(k, a!, A.SYS_CAP_REVOKE, 0)).toBe(A.E_OK);
    expect(capAt(k, b!, bd)).toBeUndefined();
    expect(capAt(k, c!, cs)).toBeUndefined();
    const ep = epOf(k, a!, 0);
    expect(notices(k, b!)).toEqual([{ slot: bd, type: 1, object: ep, reason: A.REVOKE_EXPLICIT }]);
    expect(notices(k, c!)).toEqual([{ slot: cs, type: 1, object: ep, reason: A.REVOKE_EXPLICIT }]);
  });
});

describe('CAP_REVOKE', () => {
  it('is transitive across processes; the slot itself stays; each holder gets one notice per lost cap', () => {
    const { k, pids: [a, b, c] } = boot(3);
    const ep = epOf(k, a!, 0);
    const b1 = res(k, a!, A.SYS_CAP_GRANT, 0, b!, 7); // b: rwg
    const c1 = res(k, b!, A.SYS_CAP_GRANT, b1, c!, R | W); // c: rw
    const b2 = res(k, b!, A.SYS_CAP_DERIVE, b1, R | G); // b: r-g
    const c2 = res(k, c!, A.SYS_CAP_DERIVE, c1, W); // c: -w-
    const a2 = res(k, a!, A.SYS_CAP_DERIVE, 0, R); // a's own derived cap goes too
    const capsBefore = k.caps().length;
    expect(res(k, a!, A.SYS_CAP_REVOKE, 0)).toBe(A.E_OK);
    expect(k.caps().length).toBe(capsBefore - 5);
    expect(capAt(k, a!, 0)).toMatchObject({ object: ep, perms: 7 });
    for (const [pid, slot] of [[b, b1], [b, b2], [c, c1], [c, c2], [a, a2]] as const) {
      expect(capAt(k, pid!, slot), `pid ${pid} slot ${slot}`).toBeUndefined();
    }
    const sorted = (xs: { slot: number }[]) => [...xs].sort((x, y) => x.slot - y.slot);
    const n = (slot: number) => ({ slot, type: A.OBJ_ENDPOINT, object: ep, reason: A.REVOKE_EXPLICIT });
    expect(sorted(notices(k, b!))).toEqual(sorted([n(b1), n(b2)]));
    expect(sorted(notices(k, c!))).toEqual(sorted([n(c1), n(c2)]));
    expect(notices(k, a!)).toEqual([n(a2)]);
    // A second revoke finds nothing more to do and tells nobody.
    expect(res(k, a!, A.SYS_CAP_REVOKE, 0)).toBe(A.E_OK);
    expect([...notices(k, a!), ...notices(k, b!), ...notices(k, c!)]).toEqual([]);
  });

  it('revokes only below the slot: a middle holder\'s revoke leaves its own and the ancestors\' caps', () => {
    const { k, pids: [a, b, c] } = boot(3);
    const b1 = res(k, a!, A.SYS_CAP_GRANT, 0, b!, 7);
    const c1 = res(k, b!, A.SYS_CAP_GRANT, b1, c!, 7);
    const other = res(k, a!, A.SYS_CAP_GRANT, 0, c!, R); // a sibling, not below b1
    expect(res(k, b!, A.SYS_CAP_REVOKE, b1)).toBe(A.E_OK);
    expect(capAt(k, b!, b1)).toBeDefined();
    expect(capAt(k, c!, c1)).toBeUndefined();
    expect(capAt(k, c!, other)).toBeDefined();
  });

  it('the revoke notice payload is byte-exact: slot u32, type u8, object_id u64, reason u8', () => {
    const { k, pids: [a, b] } = boot(2);
    res(k, a!, A.SYS_CAP_GRANT, 0, b!, 7);
    res(k, a!, A.SYS_CAP_REVOKE, 0);
    const m = drain(k, b!, 1)[0]!;
    const ep = epOf(k, a!, 0);
    expect(m.from).toBe(0);
    expect(m.tag).toBe(A.MSG_CAP_REVOKED);
    expect([...m.payload]).toEqual([3, 0, 0, 0, 1, ep & 0xff, (ep >> 8) & 0xff, 0, 0, 0, 0, 0, 0, 1]);
  });

  it('E_BADF for an empty slot and E_PERM without grant, both status-shaped', () => {
    const { k, pids: [a] } = boot(1);
    expect(res(k, a!, A.SYS_CAP_REVOKE, 5)).toBe(A.E_BADF);
    expect(res(k, a!, A.SYS_CAP_REVOKE, -1)).toBe(A.E_BADF);
    expect(res(k, a!, A.SYS_CAP_REVOKE, 2)).toBe(A.E_PERM);
  });

  it('init revoking its endpoint removes every process\'s slot 2', () => {
    const { k, pids } = boot(2);
    expect(res(k, 1, A.SYS_CAP_REVOKE, 0)).toBe(A.E_OK);
    for (const pid of [2, ...pids]) {
      expect(capAt(k, pid, 2)).toBeUndefined();
      expect(notices(k, pid)).toEqual([{ slot: 2, type: 1, object: 1, reason: 1 }]);
    }
  });
});
