// Replay: rebuild the replayable state from a CommitLog, checking the chain
// at every step (ABI §7). A tampered or broken commit is located by its seq.

import { hashCommit, sha256Hex } from './axiom.ts';
import { GENESIS_PREV_HASH, type Commit } from './commits.ts';
import { KernelState } from './state.ts';

export type ReplayResult =
  | { ok: true; state: KernelState; stateHash: string; commits: number }
  | { ok: false; badSeq: number; reason: string; state: KernelState };

/**
 * Applies each commit to an empty state. `onStep` sees the state after each
 * commit (for comparing hashes at every sequence number).
 */
export function replay(commits: readonly Commit[], onStep?: (seq: number, state: KernelState) => void): ReplayResult {
  const state = new KernelState();
  let prev = GENESIS_PREV_HASH;
  for (let i = 0; i < commits.length; i++) {
    const c = commits[i]!;
    const fail = (reason: string): ReplayResult => ({ ok: false, badSeq: i, reason, state });
    if (c.seq !== i) return fail(`commit ${i} carries seq ${c.seq}`);
    if (c.prev_hash !== prev) return fail(`commit ${i} does not link to commit ${i - 1}`);
    try {
      if (hashCommit(c) !== c.hash) return fail(`commit ${i} does not match its hash (tampered)`);
      state.apply(c);
    } catch (e) {
      return fail(`commit ${i} cannot be applied: ${(e as Error).message}`);
    }
    prev = c.hash;
    onStep?.(i, state);
  }
  return { ok: true, state, stateHash: stateHashOf(state), commits: commits.length };
}

export function stateHashOf(state: KernelState): string {
  return sha256Hex(state.canonical());
}
