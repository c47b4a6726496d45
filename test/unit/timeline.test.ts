// The timeline (web/timeline.ts, web/log-index.ts, web/state-source.ts):
// the state at any commit equals a fresh replay to that commit, what each
// commit touched, capabilities in flight, diffs, and the live log growing.

import { describe, expect, it } from 'vitest';
import { replay, stateHashOf } from '../../kernel/replay.ts';
import type { Commit } from '../../kernel/commits.ts';
import { capKey, endpointKey, procKey } from '../../web/log-index.ts';
import { StateSource } from '../../web/state-source.ts';
import { liveLog, savedLog, Timeline } from '../../web/timeline.ts';
import { A, boot, drain, res, richHistory, sendCapData } from '../kernel/helpers.ts';

function hashAt(commits: readonly Commit[], seq: number): string {
  const r = replay(commits.slice(0, seq + 1));
  if (!r.ok) throw new Error(r.reason);
  return r.stateHash;
}

describe('Timeline', () => {
  it('gives the state of a fresh replay at every commit, across checkpoints', () => {
    const k = richHistory();
    const t = new Timeline(null, liveLog(k.view), 7);
    expect(t.first).toBe(0);
    expect(t.last).toBe(k.view.commitCount() - 1);
    const all = k.view.commits();
    for (let seq = t.last; seq >= 0; seq--) expect(stateHashOf(t.stateAt(seq).state), `seq ${seq}`).toBe(hashAt(all, seq));
    expect(() => t.stateAt(t.last + 1)).toThrow(RangeError);
    expect(() => t.stateAt(-1)).toThrow(RangeError);
  });

  it('takes in what the live kernel commits later', () => {
    const { k, pids: [a, b] } = boot(2);
    const t = new Timeline(null, liveLog(k.view));
    const before = t.last;
    const slot = res(k, a!, A.SYS_CAP_GRANT, 0, b!, A.PERM_WRITE);
    t.sync();
    expect(t.last).toBe(before + 1);
    const at = t.stateAt(t.last);
    expect(at.commit.type).toBe('CapGranted');
    expect(stateHashOf(at.state)).toBe(k.view.stateHash());
    const granted = k.view.caps(b!).find((c) => c.slot === slot)!;
    const source = k.view.caps(a!).find((c) => c.slot === 0)!;
    expect(at.touched).toEqual([capKey(granted.id), capKey(source.id), procKey(a!), procKey(b!)]);
    expect(t.index.lastTouched).toEqual(at.touched);
    expect(t.index.touchesOf(capKey(granted.id))).toEqual({ total: 1, recent: [t.last] });
  });

  it('names the SysLog request behind a commit, with its result', () => {
    const { k, pids: [a, b] } = boot(2);
    const slot = res(k, a!, A.SYS_CAP_GRANT, 0, b!, A.PERM_WRITE);
    const t = new Timeline(null, liveLog(k.view));
    const c = t.commit(t.last);
    const row = t.request(c.caused_by!)!;
    expect(row.req).toMatchObject({ pid: a, num: A.SYS_CAP_GRANT, args: [0, b, A.PERM_WRITE] });
    expect(row.result).toBe(slot);
    expect(t.request(10 ** 9)).toBeNull();
  });

  it('knows where a capability in flight was sent from and to, until it lands', () => {
    const { k, pids: [a, b] } = boot(2);
    const w = res(k, a!, A.SYS_CAP_GRANT, 0, b!, A.PERM_WRITE | A.PERM_GRANT);
    const moved = res(k, b!, A.SYS_CAP_DERIVE, 1, A.PERM_READ);
    const movedId = k.view.caps(b!).find((c) => c.slot === moved)!.id;
    const { data, a2 } = sendCapData('here', [moved]);
    expect(res(k, b!, A.SYS_SEND_CAP, w, 9, a2, data)).toBe(A.E_OK);
    const source = new StateSource(k.view, () => 0);
    const flying = source.current.detached();
    const endpoint = k.view.caps(a!).find((c) => c.slot === 0)!.object;
    expect(flying).toEqual([expect.objectContaining({
      id: movedId, flight: expect.objectContaining({ fromPid: b, fromSlot: moved, endpoint, landedSeq: null }),
    })]);
    const sentSeq = flying[0]!.flight!.sentSeq;
    drain(k, a!, 0, 1); // it lands in a
    const now = source.current;
    expect(now.detached()).toEqual([]);
    expect(now.caps(a!).some((c) => c.id === movedId)).toBe(true);
    // Looking back: in flight just after it was sent, not before.
    expect(source.goTo(sentSeq).detached().map((d) => d.id)).toEqual([movedId]);
    expect(source.goTo(sentSeq - 1).detached()).toEqual([]);
    expect(source.current.touched()).not.toContain(endpointKey(endpoint));
  });

  it('diffs two commits: processes and capabilities added, ended and removed', () => {
    const { k, pids: [a, b] } = boot(2);
    const slot = res(k, a!, A.SYS_CAP_GRANT, 0, b!, A.PERM_WRITE);
    const granted = k.view.caps(b!).find((c) => c.slot === slot)!;
    const t0 = k.view.commitCount() - 1;
    const c = k.spawn('late', 0, A.PID_INIT);
    k.kill(b!, 0, 'test');
    const t = new Timeline(null, liveLog(k.view));
    const d = t.diff(t0, t.last);
    expect(d.processesAdded.map((p) => p.pid)).toEqual([c]);
    expect(d.processesEnded.map((p) => p.pid)).toEqual([b]);
    expect(d.capsAdded.map((x) => x.pid)).toEqual([c, c, c]); // a new process's slots 0, 1, 2
    expect(d.capsRemoved.map((x) => x.id)).toContain(granted.id);
    expect(d.capsRemoved.every((x) => x.pid === b)).toBe(true);
    expect(d.endpointsAdded).toHaveLength(2);
    expect(d.endpointsRemoved.every((e) => e.owner === b)).toBe(true);
  });

  it('reads a saved log the same way', () => {
    const k = richHistory();
    const all = k.view.commits();
    const t = new Timeline(7, savedLog(all, k.view.syslog()));
    const seq = Math.floor(all.length / 2);
    expect(stateHashOf(t.stateAt(seq).state)).toBe(hashAt(all, seq));
    expect(t.request(all[seq]!.caused_by ?? 1)).not.toBeUndefined();
  });
});

describe('StateSource', () => {
  it('steps within the log, shows no runtime facts for the past, and returns to live', () => {
    const k = richHistory();
    const source = new StateSource(k.view, () => 42);
    expect(source.live).toBe(true);
    expect(source.current.stateHash()).toBe(k.view.stateHash());
    let changes = 0;
    source.onChange(() => changes++);
    const last = k.view.commitCount() - 1;
    const past = source.step(-1);
    expect(past).toMatchObject({ live: false, seq: last - 1 });
    expect(past.stateHash()).toBe(hashAt(k.view.commits(), last - 1));
    expect(past.processes().every((p) => p.syscalls === 0)).toBe(true);
    expect(source.step(+5).seq).toBe(last); // clamped at the newest
    expect(source.goTo(0).processes()).toEqual([]);
    expect(source.step(-3).seq).toBe(0); // clamped at the first
    source.goLive();
    expect(source.live).toBe(true);
    expect(source.current.time).toBe(42);
    expect(changes).toBe(5);
  });

  it('follows a kernel that keeps only a tail of its log', () => {
    const { k, pids: [a, b] } = boot(2, { checkpointEvery: 50, retainCommits: 60 });
    for (let i = 0; i < 120; i++) {
      const s = res(k, a!, A.SYS_CAP_GRANT, 0, b!, A.PERM_WRITE);
      res(k, b!, A.SYS_CAP_DELETE, s);
    }
    const source = new StateSource(k.view, () => 0);
    const t = source.liveTimeline();
    expect(t.first).toBe(k.view.firstCommit());
    expect(t.first).toBeGreaterThan(0);
    expect(source.goTo(t.last).stateHash()).toBe(k.view.stateHash());
    const cp = k.view.checkpoint()!;
    const mid = t.first + 10;
    const r = replay(k.view.commits(t.first, mid + 1), undefined, cp);
    expect(r.ok && r.stateHash).toBe(source.goTo(mid).stateHash());
  });
});
