// Replay: rebuild the replayable state from a CommitLog, checking the chain
// at every step (ABI §7). A tampered or broken commit is located by its seq.

import { chainFault, sha256Hex } from './axiom.ts';
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
    const fault = chainFault(c, i, prev);
    if (fault) return { ok: false, badSeq: i, reason: fault, state };
    try {
      state.apply(c);
    } catch (e) {
      return { ok: false, badSeq: i, reason: `commit ${i} cannot be applied: ${(e as Error).message}`, state };
    }
    prev = c.hash;
    onStep?.(i, state);
  }
  return { ok: true, state, stateHash: stateHashOf(state), commits: commits.length };
}

export function stateHashOf(state: KernelState): string {
  return sha256Hex(state.canonical());
}
