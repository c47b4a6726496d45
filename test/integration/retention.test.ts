// A long run keeps only a bounded tail of the CommitLog in memory: older
// commits, covered by a checkpoint, go to onTrim first (the page saves them,
// a trace writes them out). What is kept still verifies and replays from its
// checkpoint to the live state, and what was handed over plus what is kept
// replays from Genesis to the same state, matching every checkpoint on the way.

import { afterEach, describe, expect, it } from 'vitest';
import type { Commit } from '../../kernel/commits.ts';
import { replay, stateHashOf } from '../../kernel/replay.ts';
import { bootZos, type Booted } from './harness.ts';

let zos: Booted | undefined;
afterEach(() => zos?.sup.shutdown());

describe('CommitLog retention', () => {
  it('a 10,000-message run keeps a bounded tail, hands every older commit over in order, and all of it replays', async () => {
    const trimmed: Commit[] = [];
    zos = await bootZos({ retainCommits: 2000, onTrim: (c) => trimmed.push(...c), kernel: { checkpointEvery: 1000 } });
    const view = zos.sup.view;
    let largestKept = 0;
    const watch = setInterval(() => { largestKept = Math.max(largestKept, view.commitCount() - view.firstCommit()); }, 5);
    const receiver = zos.sup.spawn('receiver');
    const sender = zos.sup.spawn('sender');
    const [r, s] = await Promise.all([zos.sup.waitForExit(receiver), zos.sup.waitForExit(sender)]);
    clearInterval(watch);
    expect([r.exitCode, s.exitCode]).toEqual([0, 0]);
    expect(zos.output(receiver)).toContain('received 10000 messages in order');

    // Bounded: never more than retainCommits plus one checkpoint interval in memory.
    const kept = view.commits();
    expect(view.commitCount()).toBeGreaterThan(10_000);
    expect(kept.length).toBeLessThanOrEqual(3000);
    expect(largestKept).toBeLessThanOrEqual(3000);
    // Every dropped commit was handed over, in order, before the kept ones.
    expect(trimmed.map((c) => c.seq)).toEqual(Array.from({ length: view.firstCommit() }, (_, i) => i));
    expect(kept[0]!.prev_hash).toBe(trimmed.at(-1)!.hash);

    // The tail verifies and replays from its checkpoint to the live state.
    const checkpoint = view.checkpoint()!;
    expect(checkpoint.seq).toBe(view.firstCommit() - 1);
    expect(view.verify()).toMatchObject({ ok: true, commits: view.commitCount() });
    const fromCheckpoint = replay(kept, undefined, checkpoint);
    expect(fromCheckpoint.ok && fromCheckpoint.stateHash).toBe(view.stateHash());

    // Genesis to now, across every checkpoint: the state at the checkpoint's seq is the checkpoint's.
    let atCheckpoint: string | null = null;
    const whole = replay([...trimmed, ...kept], (seq, state) => { if (seq === checkpoint.seq) atCheckpoint = stateHashOf(state); });
    expect(whole.ok && whole.stateHash).toBe(view.stateHash());
    expect(atCheckpoint).toBe(checkpoint.stateHash);
  });

  it('keeps every commit when asked to (retainCommits: Infinity, as a trace needs)', async () => {
    zos = await bootZos({ retainCommits: Infinity, kernel: { checkpointEvery: 500 } });
    const receiver = zos.sup.spawn('receiver');
    const sender = zos.sup.spawn('sender');
    await Promise.all([zos.sup.waitForExit(receiver), zos.sup.waitForExit(sender)]);
    expect(zos.sup.view.firstCommit()).toBe(0);
    expect(zos.sup.view.checkpoint()).toBeNull();
    const r = replay(zos.sup.view.commits());
    expect(r.ok && r.stateHash).toBe(zos.sup.view.stateHash());
  });
});
