// The other syscalls of ABI §3 (DEBUG, GET_TIME, LIST_PROCS, GET_WALLCLOCK,
// CONSOLE_WRITE, THREAD_CREATE, YIELD, SLEEP), the E_NOSYS ranges, request
// data limits, the init ↔ supervisor channel (§6) and SYS_ZOS_AXIOM.

import { describe, expect, it, vi } from 'vitest';
import {
  A, boot, bytes, call, capAt, dec, decodeProcs, epOf, notices, res, slotErr, sys,
} from './helpers.ts';

const debug = (k: ReturnType<typeof boot>['k'], pid: number, text: string, now?: number) =>
  call(k, pid, A.SYS_DEBUG, bytes(text).length, 0, 0, text, now);

describe('DEBUG', () => {
  it('answers 0 and sends the text to the debug log', () => {
    const { k, pids: [a] } = boot(1);
    expect(debug(k, a!, 'héllo', 7)).toEqual({ result: 0, data: null });
    expect(k.takeDebug()).toEqual([{ time: 7, pid: a, text: 'héllo' }]);
  });

  it('logs only `len` bytes; E_INVAL when len is negative or over the request data', () => {
    const { k, pids: [a] } = boot(1);
    expect(res(k, a!, A.SYS_DEBUG, 2, 0, 0, 'abcdef')).toBe(0);
    expect(k.takeDebug().map((d) => d.text)).toEqual(['ab']);
    expect(res(k, a!, A.SYS_DEBUG, 7, 0, 0, 'abcdef')).toBe(A.E_INVAL);
    expect(res(k, a!, A.SYS_DEBUG, -1, 0, 0, 'abcdef')).toBe(A.E_INVAL);
    expect(k.takeDebug()).toEqual([]);
  });

  it('from a process other than PID 1, INIT: text is only logged: no spawn, no grant, no revoke', () => {
    const spawnRequest = vi.fn(() => ({ pid: 99 }));
    const { k, pids: [a, b] } = boot(2, { spawnRequest });
    const hash = k.stateHash();
    for (const pid of [A.PID_PERMISSION, a!]) {
      expect(debug(k, pid, 'INIT:SPAWN:shell')).toEqual({ result: 0, data: null });
      expect(debug(k, pid, `INIT:GRANT:${b}:9:1:1:7`)).toEqual({ result: 0, data: null });
      expect(debug(k, pid, `INIT:REVOKE:${b}:0`)).toEqual({ result: 0, data: null });
    }
    expect(spawnRequest).not.toHaveBeenCalled();
    expect(k.stateHash()).toBe(hash);
    expect(k.takeDebug().map((d) => d.text)).toContain('INIT:SPAWN:shell');
  });
});

describe('the init channel (PID 1 DEBUG)', () => {
  it('INIT:SPAWN calls spawnRequest(name, now) and answers the new PID as u32 response data', () => {
    const spawned: string[] = [];
    const { k } = boot(0, {
      spawnRequest: (name, now) => {
        spawned.push(`${name}@${now}`);
        return { pid: k.spawn(name, now, A.PID_INIT) };
      },
    });
    const r = debug(k, 1, 'INIT:SPAWN:shell', 50);
    expect(r.result).toBe(A.E_OK);
    expect([...r.data!]).toEqual([3, 0, 0, 0]);
    expect(spawned).toEqual(['shell@50']);
    expect(k.processes().find((p) => p.pid === 3)).toMatchObject({ name: 'shell', parent: 1 });
  });

  it('INIT:SPAWN answers the supervisor\'s error, or E_NOSYS without a supervisor', () => {
    const { k } = boot(0, { spawnRequest: () => ({ error: A.E_NOENT, message: 'no such app' }) });
    expect(debug(k, 1, 'INIT:SPAWN:nope')).toEqual({ result: A.E_NOENT, data: null });
    expect(k.takeDebug().some((d) => d.pid === 0 && d.text.includes('refused: no such app'))).toBe(true);
    const { k: bare } = boot(0);
    expect(debug(bare, 1, 'INIT:SPAWN:x').result).toBe(A.E_NOSYS);
  });

  it('INIT:GRANT puts a capability into a process and answers its slot; an endpoint is granted from its owner\'s', () => {
    const { k, pids: [a, b] } = boot(2);
    const ep = epOf(k, a!, 0);
    const r = debug(k, 1, `INIT:GRANT:${b}:6:${A.OBJ_ENDPOINT}:${ep}:${A.PERM_WRITE}`);
    expect(r.result).toBe(A.E_OK);
    expect([...r.data!]).toEqual([6, 0, 0, 0]);
    expect(capAt(k, b!, 6)).toMatchObject({ type: A.OBJ_ENDPOINT, object: ep, perms: A.PERM_WRITE, parent: capAt(k, a!, 0)!.id });
    // So the owner's REVOKE reaches it.
    res(k, a!, A.SYS_CAP_REVOKE, 0);
    expect(capAt(k, b!, 6)).toBeUndefined();
    // An occupied preferred slot gives the lowest free one.
    const r2 = debug(k, 1, `INIT:GRANT:${b}:0:${A.OBJ_STORAGE}:5:3`);
    expect([...r2.data!]).toEqual([3, 0, 0, 0]);
    expect(capAt(k, b!, 3)).toMatchObject({ type: A.OBJ_STORAGE, object: 5, perms: 3, parent: 0 });
  });

  it('INIT:GRANT of an endpoint never hangs a copy below a capability with fewer rights', () => {
    const { k, pids: [a, b] } = boot(2);
    const ep = epOf(k, a!, 0);
    const ro = res(k, a!, A.SYS_CAP_DERIVE, 0, A.PERM_READ);
    res(k, a!, A.SYS_CAP_DELETE, 0); // the owner keeps only a read-only capability
    // More than the owner holds: refused, not a root the owner's REVOKE could not reach.
    const r = debug(k, 1, `INIT:GRANT:${b}:6:${A.OBJ_ENDPOINT}:${ep}:7`);
    expect(r.result).toBe(A.E_PERM);
    expect(capAt(k, b!, 6)).toBeUndefined();
    // Asking for no more than the owner holds still hangs it below the owner's.
    debug(k, 1, `INIT:GRANT:${b}:7:${A.OBJ_ENDPOINT}:${ep}:1`);
    expect(capAt(k, b!, 7)!.parent).toBe(capAt(k, a!, ro)!.id);
  });

  it('INIT:GRANT errors: unknown or dead process, bad type, unknown endpoint or process object', () => {
    const { k, pids: [a, b] } = boot(2);
    k.kill(b!);
    expect(debug(k, 1, `INIT:GRANT:99:0:1:1:7`).result).toBe(A.E_NOENT);
    expect(debug(k, 1, `INIT:GRANT:${b}:0:1:1:7`).result).toBe(A.E_NOENT);
    expect(debug(k, 1, `INIT:GRANT:${a}:0:9:1:7`).result).toBe(A.E_INVAL);
    expect(debug(k, 1, `INIT:GRANT:${a}:0:0:1:7`).result).toBe(A.E_INVAL);
    expect(debug(k, 1, `INIT:GRANT:${a}:0:1:999:7`).result).toBe(A.E_NOENT);
    expect(debug(k, 1, `INIT:GRANT:${a}:0:5:${b}:7`).result).toBe(A.E_NOENT);
    expect(debug(k, 1, `INIT:GRANT:${a}:0:5:-1:7`).result).toBe(A.E_INVAL);
    expect(debug(k, 1, `INIT:GRANT:${a}:0:5`).result).toBe(A.E_INVAL);
  });

  it('INIT:REVOKE removes the slot and what was derived from it, notifying holders', () => {
    const { k, pids: [a, b] } = boot(2);
    const bs = res(k, a!, A.SYS_CAP_GRANT, 0, b!, 7);
    const ep = epOf(k, a!, 0);
    expect(debug(k, 1, `INIT:REVOKE:${a}:0`)).toEqual({ result: A.E_OK, data: null });
    expect(capAt(k, a!, 0)).toBeUndefined();
    expect(capAt(k, b!, bs)).toBeUndefined();
    expect(notices(k, a!)).toEqual([{ slot: 0, type: 1, object: ep, reason: 1 }]);
    expect(notices(k, b!)).toEqual([{ slot: bs, type: 1, object: ep, reason: 1 }]);
    expect(debug(k, 1, `INIT:REVOKE:${a}:0`).result).toBe(A.E_BADF);
    expect(debug(k, 1, `INIT:REVOKE:99:0`).result).toBe(A.E_BADF);
  });

  it('anything else after INIT: is E_INVAL; ordinary text from PID 1 is only logged', () => {
    const { k } = boot(0);
    for (const t of ['INIT:', 'INIT:FOO', 'INIT:SPAWN:', 'INIT:SPAWN:a:b', 'INIT:REVOKE:1', 'INIT:REVOKE:x:0', 'INIT:GRANT:1:2:3:4:5:6']) {
      expect(debug(k, 1, t).result, t).toBe(A.E_INVAL);
    }
    expect(debug(k, 1, 'hello INIT:SPAWN:x').result).toBe(A.E_OK);
  });
});

describe('time', () => {
  it('GET_TIME answers the low and high u32 halves of ns since boot', () => {
    const { k } = boot(0);
    const now = 5e9 + 123; // above 2^32 ns
    expect(res(k, 1, A.SYS_GET_TIME, A.PART_LOW, 0, 0, '', now) >>> 0).toBe(now - 2 ** 32);
    expect(res(k, 1, A.SYS_GET_TIME, A.PART_HIGH, 0, 0, '', now)).toBe(1);
    const later = 3 * 2 ** 32 + 2 ** 31 + 5; // a low half with bit 31 set: negative as i32
    const low = res(k, 1, A.SYS_GET_TIME, 0, 0, 0, '', later);
    expect(low).toBeLessThan(0);
    expect(low >>> 0).toBe(2 ** 31 + 5);
    expect(res(k, 1, A.SYS_GET_TIME, 1, 0, 0, '', later)).toBe(3);
  });

  it('GET_TIME never goes backwards when `now` does', () => {
    const { k } = boot(0);
    expect(res(k, 1, A.SYS_GET_TIME, 0, 0, 0, '', 1000)).toBe(1000);
    expect(res(k, 1, A.SYS_GET_TIME, 0, 0, 0, '', 10)).toBe(1000);
    expect(res(k, 1, A.SYS_GET_TIME, 0, 0, 0, '', NaN)).toBe(1000);
  });

  it('GET_WALLCLOCK answers halves of bootWallclockMs + ms since boot', () => {
    const boot0 = 1_700_000_000_000;
    const { k } = boot(0, { bootWallclockMs: boot0 });
    const now = 2_500e6; // 2.5 s after boot
    const ms = boot0 + 2500;
    expect(res(k, 1, A.SYS_GET_WALLCLOCK, A.PART_LOW, 0, 0, '', now) >>> 0).toBe(ms % 2 ** 32);
    expect(res(k, 1, A.SYS_GET_WALLCLOCK, A.PART_HIGH, 0, 0, '', now)).toBe(Math.floor(ms / 2 ** 32));
    const { k: k0 } = boot(0);
    expect(res(k0, 1, A.SYS_GET_WALLCLOCK, 0, 0, 0, '', 3e6)).toBe(3);
  });

  it('SLEEP blocks until tick() reaches now + ns_high·2^32 + ns_low, then answers 0', () => {
    const { k, pids: [a] } = boot(1);
    expect(sys(k, a!, A.SYS_SLEEP, 1000, 1, 0, '', 500)).toEqual({ kind: 'blocked' });
    const deadline = 500 + 2 ** 32 + 1000;
    expect(k.nextDeadline()).toBe(deadline);
    expect(k.processes().find((p) => p.pid === a)!.state).toBe(A.STATE_WAITING);
    k.tick(deadline - 1);
    expect(k.takeEvents()).toEqual([]);
    k.tick(deadline);
    expect(k.takeEvents()).toEqual([{ kind: 'wake', pid: a, result: 0, data: null }]);
    expect(k.nextDeadline()).toBeNull();
    expect(k.syslog.tail(1)[0]).toMatchObject({ kind: 'response', result: 0, time: deadline });
  });

  it('SLEEP treats ns_low as unsigned; SLEEP 0 answers at once', () => {
    const { k, pids: [a, b] } = boot(2);
    expect(call(k, a!, A.SYS_SLEEP, 0, 0, 0)).toEqual({ result: 0, data: null });
    sys(k, b!, A.SYS_SLEEP, -1, 0, 0);
    expect(k.nextDeadline()).toBe(2 ** 32 - 1);
  });

  it('SLEEP of two processes wakes each at its own deadline', () => {
    const { k, pids: [a, b] } = boot(2);
    sys(k, a!, A.SYS_SLEEP, 300, 0, 0);
    sys(k, b!, A.SYS_SLEEP, 100, 0, 0);
    k.tick(150);
    expect(k.takeEvents().map((e) => 'pid' in e && e.pid)).toEqual([b]);
    k.tick(300);
    expect(k.takeEvents().map((e) => 'pid' in e && e.pid)).toEqual([a]);
  });
});

describe('LIST_PROCS', () => {
  it('answers `count u32` then `pid u32, name_len u16, name` for every live process (not PID 0)', () => {
    const { k, pids: [a, b] } = boot(2);
    const c = k.spawn('ünïcode', 0, 1);
    k.kill(b!);
    const r = call(k, a!, A.SYS_LIST_PROCS);
    expect(r.result).toBe(A.E_OK);
    expect(decodeProcs(r.data!)).toEqual([
      { pid: 1, name: 'init' }, { pid: 2, name: 'perm' }, { pid: a, name: 'p3' }, { pid: c, name: 'ünïcode' },
    ]);
    // Byte-level: the first record.
    expect([...r.data!.subarray(0, 14)]).toEqual([4, 0, 0, 0, 1, 0, 0, 0, 4, 0, ...bytes('init')]);
    // The name length is in bytes, not characters.
    const last = r.data!.subarray(r.data!.length - bytes('ünïcode').length - 6);
    expect(new DataView(last.buffer, last.byteOffset).getUint16(4, true)).toBe(bytes('ünïcode').length);
  });
});

describe('CONSOLE_WRITE', () => {
  it('answers 0; the bytes go to drainConsole for that PID only, in order', () => {
    const { k, pids: [a, b] } = boot(2);
    expect(res(k, a!, A.SYS_CONSOLE_WRITE, 3, 0, 0, 'abc')).toBe(0);
    expect(res(k, a!, A.SYS_CONSOLE_WRITE, 2, 0, 0, 'defgh')).toBe(0);
    expect(res(k, b!, A.SYS_CONSOLE_WRITE, 0, 0, 0, 'ignored')).toBe(0);
    const out = k.drainConsole();
    expect(out.map(([pid, data]) => [pid, dec.decode(data)])).toEqual([[a, 'abcde']]);
    expect(k.drainConsole()).toEqual([]);
  });

  it('keeps a process\'s last words past its end', () => {
    const { k, pids: [a] } = boot(1);
    res(k, a!, A.SYS_CONSOLE_WRITE, 3, 0, 0, 'bye');
    k.syscall(a!, A.SYS_EXIT, 0, 0, 0);
    expect(k.drainConsole().map(([pid, d]) => [pid, dec.decode(d)])).toEqual([[a, 'bye']]);
  });

  it('E_INVAL for a bad len; E_AGAIN past the console capacity', () => {
    const { k, pids: [a] } = boot(1, { consoleCapacity: 4 });
    expect(res(k, a!, A.SYS_CONSOLE_WRITE, 4, 0, 0, 'abc')).toBe(A.E_INVAL);
    expect(res(k, a!, A.SYS_CONSOLE_WRITE, -1, 0, 0, 'abc')).toBe(A.E_INVAL);
    expect(res(k, a!, A.SYS_CONSOLE_WRITE, 3, 0, 0, 'abc')).toBe(0);
    expect(res(k, a!, A.SYS_CONSOLE_WRITE, 2, 0, 0, 'de')).toBe(A.E_AGAIN);
    expect(dec.decode(k.drainConsole()[0]![1])).toBe('abc');
    expect(res(k, a!, A.SYS_CONSOLE_WRITE, 2, 0, 0, 'de')).toBe(0);
  });
});

describe('E_NOSYS and small syscalls', () => {
  it('THREAD_CREATE answers E_NOSYS; YIELD answers 0', () => {
    const { k, pids: [a] } = boot(1);
    expect(call(k, a!, A.SYS_THREAD_CREATE)).toEqual({ result: A.E_NOSYS, data: null });
    expect(call(k, a!, A.SYS_YIELD)).toEqual({ result: 0, data: null });
  });

  it('the reserved ranges 0x20–0x2F, 0x50–0x5F, 0x60–0x6F answer E_NOSYS', () => {
    const { k, pids: [a] } = boot(1);
    const hash = k.stateHash();
    for (const base of [0x20, 0x50, 0x60]) {
      for (let num = base; num <= base + 0xf; num++) {
        expect(call(k, a!, num, 1, 2, 3), `0x${num.toString(16)}`).toEqual({ result: A.E_NOSYS, data: null });
      }
    }
    expect(k.stateHash()).toBe(hash);
  });

  it('unknown numbers answer E_NOSYS', () => {
    const { k, pids: [a] } = boot(1);
    for (const num of [0, 0x08, 0x0f, 0x14, 0x1f, 0x36, 0x3f, 0x45, 0x4f, 0x74, 0x7f, 0xff, 0x100, 0x10001, -1, 2 ** 31, 1.5]) {
      expect(res(k, a!, num), `${num}`).toBe(A.E_NOSYS);
    }
  });

  it('request data over 65536 bytes answers E_OVERFLOW, shaped per syscall, before anything else', () => {
    const { k, pids: [a] } = boot(1);
    const huge = new Uint8Array(A.MAX_REQUEST_DATA + 1);
    expect(res(k, a!, A.SYS_DEBUG, 1, 0, 0, huge)).toBe(A.E_OVERFLOW);
    expect(res(k, a!, A.SYS_CAP_GRANT, 0, 1, 7, huge)).toBe(slotErr(A.E_OVERFLOW));
    expect(res(k, a!, A.SYS_RECEIVE, 0, 0, 0, huge)).toBe(-A.E_OVERFLOW);
    expect(res(k, a!, 0x99, 0, 0, 0, huge)).toBe(A.E_OVERFLOW);
    expect(k.syscall(a!, A.SYS_CONSOLE_WRITE, 0, 0, 0, new Uint8Array(0), 0, true)).toMatchObject({ result: A.E_OVERFLOW });
    expect(k.takeDebug()).toEqual([]);
  });

  it('a syscall from a PID with no live process answers E_PERM', () => {
    const { k } = boot(0);
    expect(res(k, 0, A.SYS_GET_PID)).toBe(A.E_PERM);
    expect(res(k, 42, A.SYS_GET_PID)).toBe(A.E_PERM);
    expect(res(k, 42, A.SYS_EP_CREATE, 0)).toBe(slotErr(A.E_PERM));
  });
});

describe('SYS_ZOS_AXIOM', () => {
  it('answers text about the logs as length-shaped response data', () => {
    const { k, pids: [a] } = boot(1);
    const text = (kind: number, count = 0) => {
      const r = call(k, a!, A.SYS_ZOS_AXIOM, kind, count);
      expect(r.result).toBe(r.data!.length);
      return dec.decode(r.data!);
    };
    expect(text(A.AXIOM_SYSLOG, 3)).toMatch(/AXIOM/);
    expect(text(A.AXIOM_COMMITS, 2).trim().split('\n')).toHaveLength(2);
    expect(text(A.AXIOM_VERIFY)).toMatch(/^chain ok: \d+ commits/);
    expect(text(A.AXIOM_STATE_HASH)).toBe(`${k.stateHash()}\n`);
    expect(res(k, a!, A.SYS_ZOS_AXIOM, 9)).toBe(-A.E_INVAL);
  });
});
