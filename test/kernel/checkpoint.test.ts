// Checkpoints: snapshots of the state that replay can start from, which
// let the live kernel keep only a tail of its log in memory and the
// timeline jump to any commit (History). One mechanism for both.

import { describe, expect, it } from 'vitest';
import {
  type Checkpoint, checkpointOf, History, replay, restoreCheckpoint, stateHashOf,
} from '../../kernel/replay.ts';
import { verifyChain } from '../../kernel/axiom.ts';
import type { Commit } from '../../kernel/commits.ts';
import { Kernel, KernelState } from '../../kernel/index.ts';
import { A, boot, drain, res, richHistory, send } from './helpers.ts';

/** A kernel that has made `messages` round trips, with capabilities granted, leased and revoked along the way. */
function busy(messages: number, opts = {}): { k: Kernel; trimmed: Commit[] } {
  const trimmed: Commit[] = [];
  const { k, pids: [a, b] } = boot(2, { ...opts, onTrim: (c: Commit[]) => trimmed.push(...c) });
  const w = res(k, a!, A.SYS_CAP_GRANT, 0, b!, A.PERM_WRITE | A.PERM_GRANT);
  let now = 0;
  for (let i = 0; i < messages; i++) {
    now += 1000;
    send(k, b!, w, 7, `m${i}`);
    if (i % 50 === 0) {
      const d = res(k, b!, A.SYS_CAP_DERIVE, w, A.PERM_WRITE, 0, '', now);
      res(k, b!, A.SYS_ZOS_LEASE, d, A.PERM_WRITE, 1, '', now);
      if (i % 100 === 0) res(k, b!, A.SYS_CAP_REVOKE, d, 0, 0, '', now);
    }
    if (i % 200 === 199) drain(k, a!, 0);
    k.tick(now);
  }
  return { k, trimmed };
}

describe('state snapshots', () => {
  it('restore gives back the same state: every process, capability, tombstone and counter', () => {
    const k = richHistory();
    const snap = k.state.snapshot();
    const restored = KernelState.restore(JSON.parse(JSON.stringify(snap)));
    expect(restored.canonical()).toBe(k.state.canonical());
    expect(restored.snapshot()).toEqual(snap);
    expect(restored.tombstones.size).toBe(k.state.tombstones.size);
  });

  it('a checkpoint whose snapshot was changed is refused: it no longer gives its state hash', () => {
    const k = richHistory();
    const cp = checkpointOf(k.state, k.commits.length - 1, k.commits.at(-1)!.hash);
    expect(restoreCheckpoint(cp)).toBeInstanceOf(KernelState);
    const forged: Checkpoint = structuredClone(cp);
    forged.state.caps[0]![3] ^= A.PERM_GRANT; // its rights
    expect(restoreCheckpoint(forged)).toMatch(/does not match its state hash/);
    const broken: Checkpoint = structuredClone(cp);
    broken.state.caps.reverse();
    expect(restoreCheckpoint(broken)).toMatch(/cannot be restored|does not match/);
  });
});

describe('replay from a checkpoint', () => {
  it('gives the live state hash, at every commit after it', () => {
    const k = richHistory();
    const all = k.commits;
    const mid = Math.floor(all.length / 2);
    let cp: Checkpoint | undefined;
    const hashes = new Map<number, string>();
    replay(all, (seq, state) => {
      hashes.set(seq, stateHashOf(state));
      if (seq === mid) cp = checkpointOf(state, seq, all[seq]!.hash);
    });
    const r = replay(all.slice(mid + 1), (seq, state) => expect(stateHashOf(state), `seq ${seq}`).toBe(hashes.get(seq)), cp);
    expect(r.ok && r.stateHash).toBe(k.stateHash());
    expect(r.ok && r.commits).toBe(all.length);
  });

  it('finds a tampered commit after the checkpoint by its seq, and a checkpoint that does not match', () => {
    const k = richHistory();
    const all = k.commits;
    const mid = 20;
    const cp = checkpointOf(replayTo(all, mid), mid, all[mid]!.hash);
    const tail = structuredClone(all.slice(mid + 1)) as Commit[];
    const at = tail.findIndex((c) => 'pid' in c.fields);
    (tail[at]!.fields as Record<string, unknown>).pid = 99;
    expect(replay(tail, undefined, cp)).toMatchObject({ ok: false, badSeq: mid + 1 + at });
    expect(verifyChain(tail, cp)).toMatchObject({ ok: false, badSeq: mid + 1 + at });
    expect(replay(all.slice(mid + 1), undefined, { ...cp, stateHash: '0'.repeat(64) })).toMatchObject({ ok: false, badSeq: mid });
    expect(replay(all.slice(mid + 2), undefined, cp)).toMatchObject({ ok: false, badSeq: mid + 1 });
  });
});

function replayTo(commits: readonly Commit[], seq: number): KernelState {
  const r = replay(commits.slice(0, seq + 1));
  if (!r.ok) throw new Error(r.reason);
  return r.state;
}

describe('a kernel that keeps only a tail of its log', () => {
  it('checkpoints every N commits, hands older ones to onTrim, and its tail verifies and replays to the live hash', () => {
    const { k, trimmed } = busy(3000, { checkpointEvery: 500, retainCommits: 1200 });
    const view = k.view;
    const kept = view.commits();
    expect(view.commitCount()).toBe(trimmed.length + kept.length);
    expect(kept.length).toBeGreaterThanOrEqual(1200);
    expect(kept.length).toBeLessThan(1200 + 2 * 500); // at most two checkpoint intervals more
    expect(view.firstCommit()).toBe(trimmed.length);
    expect(view.verify()).toMatchObject({ ok: true, commits: view.commitCount() });
    const cp = view.checkpoint()!;
    expect(cp.seq).toBe(view.firstCommit() - 1);
    const r = replay(kept, undefined, cp);
    expect(r.ok && r.stateHash).toBe(view.stateHash());
    // What was spilled and what was kept make one chain from Genesis that replays to the same state.
    const whole = replay([...trimmed, ...kept]);
    expect(whole.ok && whole.stateHash).toBe(view.stateHash());
  });

  it('replay matches at every commit, across checkpoints', () => {
    const hashes = new Map<number, string>();
    const { k, trimmed } = busy(800, { checkpointEvery: 97, retainCommits: 300 });
    replay([...trimmed, ...k.commits], (seq, state) => hashes.set(seq, stateHashOf(state)));
    const from = k.view.checkpoint()!;
    expect(hashes.get(from.seq)).toBe(from.stateHash);
    let steps = 0;
    replay(k.commits, (seq, state) => {
      expect(stateHashOf(state)).toBe(hashes.get(seq));
      steps++;
    }, from);
    expect(steps).toBe(k.commits.length);
  });

  it('keeps everything by default', () => {
    const { k, trimmed } = busy(300);
    expect(trimmed).toEqual([]);
    expect(k.view.firstCommit()).toBe(0);
    expect(k.view.checkpoint()).toBeNull();
  });
});

describe('History: the state at any commit', () => {
  it('equals a fresh replay to that commit, at random commits, from Genesis and from a checkpoint', () => {
    const { k } = busy(1500);
    const all = k.commits;
    const history = new History((from, to) => all.slice(from, to), all.length, undefined, 200);
    for (let i = 0; i < 25; i++) {
      const seq = Math.floor(((i * 7919) % 1000) / 1000 * all.length);
      expect(stateHashOf(history.stateAt(seq)), `seq ${seq}`).toBe(stateHashOf(replayTo(all, seq)));
    }
    expect(stateHashOf(history.stateAt(all.length - 1))).toBe(k.stateHash());
    const origin = checkpointOf(replayTo(all, 1000), 1000, all[1000]!.hash);
    const later = new History((from, to) => all.slice(from, to), all.length, origin, 100);
    expect(later.first).toBe(1000);
    expect(stateHashOf(later.stateAt(1300))).toBe(stateHashOf(replayTo(all, 1300)));
    expect(() => later.stateAt(999)).toThrow(RangeError);
  });
});
