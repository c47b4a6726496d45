// Replay (ABI §7): applying the commits to an empty kernel gives the live
// kernel's state hash, at every sequence number; a broken log is located.

import { describe, expect, it } from 'vitest';
import { CommitLog, Kernel, replay, stateHashOf, type Commit } from '../../kernel/index.ts';
import { A, boot, bytes, res, richHistory, send, sendCapData, sys } from './helpers.ts';

/**
 * Records the live state hash after every commit the kernel applies, so
 * replay can be compared at every sequence number, not only between calls.
 */
export function watchHashes(k: Kernel): Map<number, string> {
  const hashes = new Map<number, string>();
  k.commits.forEach((c) => hashes.set(c.seq, ''));
  hashes.set(k.commits.length - 1, k.stateHash());
  const apply = k.state.apply.bind(k.state);
  k.state.apply = (c: Commit) => {
    apply(c);
    hashes.set(c.seq, stateHashOf(k.state));
  };
  return hashes;
}

function recorded(k: Kernel, steps: ((k: Kernel) => unknown)[]): Map<number, string> {
  const hashes = watchHashes(k);
  for (const step of steps) step(k);
  return hashes;
}

describe('replay', () => {
  it('gives the live state hash for a history with every commit type', () => {
    const k = richHistory();
    const r = replay(k.commits);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.stateHash).toBe(k.stateHash());
    expect(r.commits).toBe(k.commits.length);
    expect(r.state.canonical()).toBe(k.state.canonical());
  });

  it('gives the live state hash at every sequence number the live kernel passed through', () => {
    const { k, pids: [a, b, c] } = boot(3);
    let slot = 0, moved = 0;
    const booted = k.commits.length;
    const hashes = recorded(k, [
      (k) => { slot = res(k, a!, A.SYS_CAP_GRANT, 0, b!, 7); },
      (k) => res(k, b!, A.SYS_CAP_DERIVE, slot, 3),
      (k) => res(k, b!, A.SYS_CAP_GRANT, slot, c!, 1),
      (k) => send(k, b!, slot, 1, 'x'),
      (k) => { moved = res(k, c!, A.SYS_CAP_DERIVE, 0, 7); },
      (k) => res(k, a!, A.SYS_CAP_GRANT, 0, c!, A.PERM_WRITE),
      (k) => { const d = sendCapData('m', [moved]); res(k, c!, A.SYS_SEND_CAP, 4, 0, d.a2, d.data); },
      (k) => res(k, a!, A.SYS_RECEIVE, 0, 0, 0),
      (k) => res(k, a!, A.SYS_RECEIVE, 0, 0, 0),
      (k) => res(k, b!, A.SYS_CAP_DELETE, slot),
      (k) => res(k, a!, A.SYS_CAP_REVOKE, 0),
      (k) => res(k, a!, A.SYS_EP_CREATE, 0),
      (k) => k.spawn('late', 5, a!),
      (k) => sys(k, c!, A.SYS_RECEIVE, 0, 1, 0),
      (k) => k.deliverConsoleInput(c!, bytes('hi')),
      (k) => k.removeCapability(b!, 0),
      (k) => k.syscall(a!, A.SYS_EXIT, 1, 0, 0),
      (k) => k.kill(c!),
    ]);
    const seen: number[] = [];
    let compared = 0;
    const r = replay(k.commits, (seq, state) => {
      seen.push(seq);
      const live = hashes.get(seq);
      if (live) {
        expect(stateHashOf(state), `seq ${seq}`).toBe(live);
        compared++;
      }
    });
    expect(r).toMatchObject({ ok: true, stateHash: k.stateHash() });
    expect(seen).toEqual(k.commits.map((c) => c.seq));
    // Every commit from the end of the boot on was compared.
    expect(compared).toBe(k.commits.length - booted + 1);
    expect(compared).toBeGreaterThanOrEqual(40);
  });

  it('replays any prefix of the log', () => {
    const k = richHistory();
    for (let n = 0; n <= k.commits.length; n++) {
      const r = replay(k.commits.slice(0, n));
      expect(r.ok, `prefix ${n}`).toBe(true);
    }
  });

  it('stops at a tampered commit, reports its seq, and keeps the state from before it', () => {
    const k = richHistory();
    const copy = structuredClone(k.commits) as Commit[];
    const bad = Math.floor(copy.length / 2);
    copy[bad]!.time += 1;
    const before = replay(k.commits.slice(0, bad));
    const r = replay(copy);
    expect(r).toMatchObject({ ok: false, badSeq: bad });
    expect(stateHashOf(r.state)).toBe(before.ok ? before.stateHash : '');
  });

  it('finds a well-hashed commit that cannot be applied (e.g. removing an empty slot)', () => {
    const log = new CommitLog();
    log.append(0, 'Genesis', {}, null);
    log.append(0, 'ProcessCreated', { pid: 1, parent: 0, name: 'x' }, null);
    log.append(0, 'CapRemoved', { pid: 1, slot: 4, moving: 0 }, null);
    expect(log.verifyIntegrity().ok).toBe(true);
    const r = replay(log.range());
    expect(r).toMatchObject({ ok: false, badSeq: 2 });
    if (!r.ok) expect(r.reason).toMatch(/cannot be applied/);
  });

  it('does not depend on queued message contents: same commits, same hash, whatever was sent', () => {
    const run = (text: string) => {
      const { k, pids: [a] } = boot(1);
      send(k, a!, 0, 1, text);
      return k;
    };
    const k1 = run('one'), k2 = run('two');
    expect(k1.stateHash()).toBe(k2.stateHash());
    expect(replay(k1.commits)).toMatchObject({ stateHash: k1.stateHash() });
  });

  it('gives the same state after a cleanup whose notices had nowhere to go', () => {
    // The holder's slot 1 points at the endpoint being destroyed.
    const { k, pids: [a, b] } = boot(2);
    res(k, a!, A.SYS_CAP_GRANT, 0, b!, 7);
    res(k, b!, A.SYS_CAP_DELETE, 1);
    res(k, a!, A.SYS_CAP_GRANT, 0, b!, 7);
    k.kill(a!);
    expect(replay(k.commits)).toMatchObject({ ok: true, stateHash: k.stateHash() });
  });

  it('two kernels fed the same calls give identical logs (determinism)', () => {
    const k1 = richHistory(), k2 = richHistory();
    expect(k2.commits).toEqual(k1.commits);
    expect(k2.stateHash()).toBe(k1.stateHash());
    expect(k2.syslog.tail()).toEqual(k1.syslog.tail());
  });
});
