// Axiom (ABI §7): every syscall gives exactly one request and one response
// event, ids monotonic, times non-decreasing; the SysLog is bounded; the
// CommitLog is a hash chain in which any tampering is found and located.

import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { hashCommit, useSha256 } from '../../kernel/axiom.ts';
import { canonicalCommit, COMMIT_FIELDS, Kernel, SysLog, replay, verifyChain, type Commit } from '../../kernel/index.ts';
import { A, boot, bytes, checkSysLog, res, richHistory, send, sys } from './helpers.ts';

/** A commit's fields as a tamperer sees them: any name, any value. */
const loose = (c: Commit): Record<string, unknown> => c.fields as Record<string, unknown>;

describe('SysLog: one request and one response per syscall', () => {
  it('holds for successes, failures, unknown numbers, dead callers, EXIT, blocked-then-woken calls', () => {
    const { k, pids: [a, b, c] } = boot(3);
    let n = 0;
    const count = () => n++;
    res(k, a!, A.SYS_GET_PID); count();
    res(k, a!, A.SYS_CAP_GRANT, 9, 1, 7); count(); // E_BADF
    res(k, a!, 0x25); count(); // reserved
    res(k, a!, 0x1234); count(); // unknown
    res(k, 99, A.SYS_GET_PID); count(); // no such process
    res(k, a!, A.SYS_SEND, 0, 0, 0, new Uint8Array(A.MAX_REQUEST_DATA + 1)); count(); // E_OVERFLOW
    expect(sys(k, a!, A.SYS_RECEIVE, A.SLOT_INPUT, 1, 0).kind).toBe('blocked'); count();
    res(k, a!, A.SYS_GET_PID); count(); // from a waiting process: E_PERM
    expect(checkSysLog(k.syslog.tail())).toHaveLength(1); // the receive is open
    const s = res(k, b!, A.SYS_CAP_GRANT, 0, c!, A.PERM_WRITE); count();
    send(k, b!, 0, 1, 'x'); count(); // to b's own endpoint
    expect(sys(k, c!, A.SYS_CALL, s, 1, 0).kind).toBe('blocked'); count();
    expect(sys(k, b!, A.SYS_SLEEP, 10, 0, 0).kind).toBe('blocked'); count();
    k.deliverConsoleInput(a!, bytes('wake')); // wakes a's receive: no new syscall
    k.tick(100); // wakes b's sleep
    res(k, b!, A.SYS_RECEIVE, 0, 0, 0); count(); // 'x'
    res(k, b!, A.SYS_RECEIVE, 0, 0, 0); count(); // c's call
    res(k, b!, A.SYS_REPLY, c!, 0, 0); count(); // wakes c
    expect(k.syscall(c!, A.SYS_EXIT, 0, 0, 0).kind).toBe('exited'); count();
    res(k, c!, A.SYS_GET_PID); count(); // after exit
    const log = k.syslog.tail();
    expect(checkSysLog(log)).toEqual([]);
    expect(log.filter((e) => e.kind === 'request')).toHaveLength(n);
    expect(log.filter((e) => e.kind === 'response')).toHaveLength(n);
    expect(k.syslog.length).toBe(2 * n);
  });

  it('records the request as (id, pid, time, num, args) and the response as (id, request_id, result)', () => {
    const { k, pids: [a] } = boot(1);
    res(k, a!, A.SYS_CAP_DERIVE, 0, 0xff, 0, '', 77);
    const [req, resp] = k.syslog.tail();
    expect(req).toEqual({ kind: 'request', id: 1, pid: a, time: 77, num: A.SYS_CAP_DERIVE, args: [0, 0xff, 0] });
    expect(resp).toEqual({ kind: 'response', id: 2, request_id: 1, time: 77, result: 3 });
  });

  it('stores arguments as i32', () => {
    const { k, pids: [a] } = boot(1);
    k.syscall(a!, A.SYS_GET_PID, 0xffffffff, 2 ** 32 + 5, -1);
    expect(k.syslog.tail(2)[0]).toMatchObject({ args: [-1, 5, -1] });
  });

  it('keeps times non-decreasing when `now` goes backwards or is not a number', () => {
    const { k, pids: [a] } = boot(1);
    for (const now of [500, 100, 0, -5, NaN, Infinity, 600, 550]) res(k, a!, A.SYS_YIELD, 0, 0, 0, '', now);
    k.tick(10);
    const log = k.syslog.tail();
    checkSysLog(log);
    expect(log.map((e) => e.time)).toEqual([500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 600, 600, 600, 600]);
    // The CommitLog too.
    const now0 = k.commits.at(-1)!.time;
    k.spawn('x', 1);
    expect(k.commits.at(-1)!.time).toBeGreaterThanOrEqual(now0);
  });

  it('a blocked syscall is answered at its wake time, still once', () => {
    const { k, pids: [a] } = boot(1);
    sys(k, a!, A.SYS_SLEEP, 50, 0, 0, '', 100);
    k.tick(120);
    k.tick(200);
    k.tick(300);
    const log = k.syslog.tail();
    expect(log).toEqual([
      expect.objectContaining({ kind: 'request', time: 100 }),
      expect.objectContaining({ kind: 'response', request_id: log[0]!.id, time: 200, result: 0 }),
    ]);
  });

  it('logs a call made for a process by the supervisor (actFor) with `by: 0`', () => {
    const { k, pids: [a, b] } = boot(2);
    expect(k.actFor(a!, A.SYS_CAP_GRANT, 0, b!, A.PERM_READ)).toBe(3);
    const [req, resp] = k.syslog.tail();
    expect(req).toMatchObject({ kind: 'request', pid: a, num: A.SYS_CAP_GRANT, by: 0 });
    expect(resp).toMatchObject({ kind: 'response', request_id: req!.id, result: 3 });
    expect(k.actFor(a!, A.SYS_SEND, 0, 0, 0)).toBe(A.E_INVAL);
    expect(k.actFor(99, A.SYS_CAP_DELETE, 0, 0, 0)).toBe(A.E_NOENT);
    expect(checkSysLog(k.syslog.tail())).toEqual([]);
  });
});

describe('SysLog: bounded', () => {
  it('trims the oldest first and counts what it trimmed', () => {
    const { k, pids: [a] } = boot(1, { syslogCapacity: 8 });
    for (let i = 0; i < 10; i++) res(k, a!, A.SYS_GET_TIME, 0, 0, 0, '', i);
    expect(k.syslog.capacity).toBe(8);
    expect(k.syslog.length).toBe(8);
    expect(k.syslog.trimmed).toBe(12);
    const log = k.syslog.tail();
    expect(log.map((e) => e.id)).toEqual([13, 14, 15, 16, 17, 18, 19, 20]);
    expect(k.syslog.tail(3).map((e) => e.id)).toEqual([18, 19, 20]);
    expect(log[0]).toMatchObject({ kind: 'request', time: 6 });
  });

  it('works as a ring across many wraps', () => {
    const log = new SysLog(3);
    for (let i = 0; i < 100; i++) log.response(log.request(1, i, 2, i, 0, 0), i, i);
    expect(log.trimmed).toBe(197);
    expect(log.tail()).toEqual([
      { kind: 'response', id: 198, request_id: 197, time: 98, result: 98 },
      { kind: 'request', id: 199, pid: 1, time: 99, num: 2, args: [99, 0, 0] },
      { kind: 'response', id: 200, request_id: 199, time: 99, result: 99 },
    ]);
    expect(log.tail(0)).toEqual([]);
  });

  it('never trims the CommitLog', () => {
    const k = richHistory({ syslogCapacity: 4 });
    expect(k.syslog.length).toBe(4);
    expect(k.commits[0]!.type).toBe('Genesis');
    expect(replay(k.commits)).toMatchObject({ ok: true, stateHash: k.stateHash() });
  });
});

describe('CommitLog: a verifiable hash chain', () => {
  it('has every commit type, seq 0 Genesis, links to the previous hash, and verifies', () => {
    const k = richHistory();
    const types = new Set(k.commits.map((c) => c.type));
    expect([...types].sort()).toEqual(Object.keys(COMMIT_FIELDS).sort());
    expect(k.commits[0]).toMatchObject({ seq: 0, type: 'Genesis', prev_hash: '0'.repeat(64) });
    k.commits.forEach((c, i) => {
      expect(c.seq).toBe(i);
      if (i > 0) expect(c.prev_hash).toBe(k.commits[i - 1]!.hash);
      expect(c.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(hashCommit(c)).toBe(c.hash);
      expect(Object.keys(c.fields)).toEqual([...COMMIT_FIELDS[c.type]]);
    });
    const r = k.verifyIntegrity();
    expect(r).toEqual({ ok: true, commits: k.commits.length, head: k.commits.at(-1)!.hash });
  });

  it('records caused_by: the SysLog request id for syscalls, null for supervisor acts', () => {
    const { k, pids: [a, b] } = boot(2);
    res(k, a!, A.SYS_CAP_GRANT, 0, b!, 7);
    const req = k.syslog.tail().find((e) => e.kind === 'request')!;
    expect(k.commits.at(-1)!.caused_by).toBe(req.id);
    k.kill(b!);
    expect(k.commits.at(-1)!.caused_by).toBeNull();
    expect(k.commits.filter((c) => c.type === 'ProcessCreated').every((c) => c.caused_by === null)).toBe(true);
  });

  it('finds any tampering with any part of any commit, and locates it at that commit\'s seq', () => {
    const k = richHistory();
    const original = k.commits;
    type Tamper = (c: Commit) => void;
    const bump = (v: unknown) => (typeof v === 'number' ? v + 1 : `${String(v)}x`);
    const tampers: [string, Tamper][] = [
      ['seq', (c) => { c.seq += 1; }],
      ['prev_hash', (c) => { c.prev_hash = c.prev_hash.replace(/^./, (d) => (d === '0' ? '1' : '0')); }],
      ['hash', (c) => { c.hash = c.hash.replace(/.$/, (d) => (d === '0' ? '1' : '0')); }],
      ['time', (c) => { c.time += 1; }],
      ['caused_by', (c) => { c.caused_by = c.caused_by === null ? 1 : null; }],
      ['type', (c) => { c.type = c.type === 'EndpointDestroyed' ? 'ProcessExited' : 'EndpointDestroyed'; }],
    ];
    let checked = 0;
    for (let seq = 0; seq < original.length; seq++) {
      const fieldTampers: [string, Tamper][] = Object.keys(original[seq]!.fields).flatMap((name) => [
        [`fields.${name}`, (c: Commit) => { loose(c)[name] = bump(loose(c)[name]); }],
        [`delete fields.${name}`, (c: Commit) => { delete loose(c)[name]; }],
      ] as [string, Tamper][]);
      for (const [what, tamper] of [...tampers, ...fieldTampers]) {
        const copy = structuredClone(original) as Commit[];
        tamper(copy[seq]!);
        const v = verifyChain(copy);
        expect(v.ok, `${what} of seq ${seq}`).toBe(false);
        if (!v.ok) expect(v.badSeq, `${what} of seq ${seq}: ${v.reason}`).toBe(seq);
        const r = replay(copy);
        expect(r.ok, `replay: ${what} of seq ${seq}`).toBe(false);
        if (!r.ok) expect(r.badSeq, `replay: ${what} of seq ${seq}: ${r.reason}`).toBe(seq);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(300);
    // The original was never touched.
    expect(verifyChain(original).ok).toBe(true);
  });

  it('a forger who re-hashes the tampered commit is found at the next one', () => {
    const k = richHistory();
    const copy = structuredClone(k.commits) as Commit[];
    const seq = copy.findIndex((c) => c.type === 'CapGranted');
    loose(copy[seq]!).perms = 7;
    loose(copy[seq]!).to_pid = 1;
    copy[seq]!.hash = hashCommit(copy[seq]!);
    expect(verifyChain(copy)).toMatchObject({ ok: false, badSeq: seq + 1 });
    expect(replay(copy)).toMatchObject({ ok: false, badSeq: seq + 1 });
  });

  it('finds a removed, a duplicated or a reordered commit, and an empty chain verifies', () => {
    const k = richHistory();
    const c = k.commits;
    expect(verifyChain([...c.slice(0, 5), ...c.slice(6)])).toMatchObject({ ok: false, badSeq: 5 });
    expect(verifyChain([...c.slice(0, 6), c[5]!, ...c.slice(6)])).toMatchObject({ ok: false, badSeq: 6 });
    expect(verifyChain([c[0]!, c[2]!, c[1]!, ...c.slice(3)])).toMatchObject({ ok: false, badSeq: 1 });
    expect(verifyChain(c.slice(1))).toMatchObject({ ok: false, badSeq: 0 });
    expect(verifyChain(c.slice(0, 7)).ok).toBe(true); // any prefix is a valid chain
    expect(verifyChain([])).toMatchObject({ ok: true, commits: 0 });
  });

  it('a fresh kernel has just Genesis', () => {
    const k = new Kernel();
    expect(k.commits).toHaveLength(1);
    expect(k.verifyIntegrity().ok).toBe(true);
  });
});

describe('the canonical encoding', () => {
  it('is exactly JSON.stringify([seq, prev_hash, time, type, [field values], caused_by]) for every commit', () => {
    const k = richHistory();
    const reference = (c: Commit): string => JSON.stringify([c.seq, c.prev_hash, c.time, c.type,
      (COMMIT_FIELDS[c.type] as readonly string[]).map((n) => (c.fields as Record<string, unknown>)[n] ?? null), c.caused_by]);
    for (const c of k.commits) expect(canonicalCommit(c)).toBe(reference(c));
    const odd = { seq: 3, prev_hash: 'x', time: 1.5, type: 'ProcessFaulted' as const, caused_by: null,
      fields: { pid: -1, reason: 'quote " backslash \\ newline \n ☃ \u0000', description: '' } };
    expect(canonicalCommit(odd)).toBe(JSON.stringify([3, 'x', 1.5, 'ProcessFaulted', [-1, odd.fields.reason, ''], null]));
  });

  it('hashes the same with any SHA-256 implementation (useSha256 changes only speed)', () => {
    const before = richHistory().commits.map((c) => c.hash);
    useSha256((bytes) => createHash('sha256').update(bytes).digest('hex'));
    try {
      expect(richHistory().commits.map((c) => c.hash)).toEqual(before);
      expect(verifyChain(richHistory().commits).ok).toBe(true);
    } finally {
      useSha256((bytes) => bytesToHex(sha256(bytes)));
    }
  });
});
