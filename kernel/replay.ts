// Replay: rebuild the replayable state from a CommitLog, checking the chain
// at every step (ABI §7). A tampered or broken commit is located by its seq.
//
// Replay starts at Genesis, or at a checkpoint: a snapshot of the state
// after some commit, with that commit's hash and the state's hash. The same
// checkpoints let the live kernel keep only a tail of its log in memory
// (core.ts) and let the timeline jump to any commit fast (History, below):
// one mechanism.

import { chainFault, type ChainStart, GENESIS_START, sha256Hex } from './axiom.ts';
import type { Commit } from './commits.ts';
import { KernelState, type StateSnapshot } from './state.ts';

export interface Checkpoint extends ChainStart {
  /** SHA-256 of the state's canonical text after commit `seq`. */
  stateHash: string;
  state: StateSnapshot;
}

export type ReplayResult =
  | { ok: true; state: KernelState; stateHash: string; commits: number }
  | { ok: false; badSeq: number; reason: string; state: KernelState };

export function stateHashOf(state: KernelState): string {
  return sha256Hex(state.canonical());
}

export function checkpointOf(state: KernelState, seq: number, head: string): Checkpoint {
  return { seq, head, stateHash: stateHashOf(state), state: state.snapshot() };
}

/** The state a checkpoint holds, or why it can't be trusted (its snapshot does not give its hash). */
export function restoreCheckpoint(cp: Checkpoint): KernelState | string {
  let state: KernelState;
  try {
    state = KernelState.restore(cp.state);
  } catch (e) {
    return `checkpoint at seq ${cp.seq} cannot be restored: ${(e as Error).message}`;
  }
  return stateHashOf(state) === cp.stateHash ? state : `checkpoint at seq ${cp.seq} does not match its state hash`;
}

/**
 * Applies each commit to an empty state, or to the state of `from`, the
 * checkpoint the commits follow. `onStep` sees the state after each commit
 * (for comparing hashes at every sequence number).
 */
export function replay(commits: readonly Commit[], onStep?: (seq: number, state: KernelState) => void,
  from?: Checkpoint): ReplayResult {
  const start: ChainStart = from ?? GENESIS_START;
  const restored = from ? restoreCheckpoint(from) : new KernelState();
  if (typeof restored === 'string') return { ok: false, badSeq: from!.seq, reason: restored, state: new KernelState() };
  const state = restored;
  let prev = start.head;
  for (let i = 0; i < commits.length; i++) {
    const c = commits[i]!;
    const seq = start.seq + 1 + i;
    const fault = chainFault(c, seq, prev);
    if (fault) return { ok: false, badSeq: seq, reason: fault, state };
    try {
      state.apply(c);
    } catch (e) {
      return { ok: false, badSeq: seq, reason: `commit ${seq} cannot be applied: ${(e as Error).message}`, state };
    }
    prev = c.hash;
    onStep?.(seq, state);
  }
  return { ok: true, state, stateHash: stateHashOf(state), commits: start.seq + 1 + commits.length };
}

/**
 * The state at any commit of a verified log, fast however long the log: a
 * checkpoint every `every` commits, each jump a restore of the nearest one
 * before it and at most `every` applies. The log must have been verified
 * (replay() or verifyChain) before: History does not check hashes again.
 */
export class History {
  private readonly checkpoints: Checkpoint[] = [];

  /**
   * `commits(from, to)` gives the commits with seq in [from, to); the log
   * starts after `origin` (Genesis when omitted) and has `length` commits in all.
   */
  constructor(private readonly commits: (from: number, to: number) => readonly Commit[],
    public length: number, origin?: Checkpoint, private readonly every = 1000) {
    this.checkpoints.push(origin ?? checkpointOf(new KernelState(), -1, GENESIS_START.head));
  }

  /** The first seq whose state can be shown. */
  get first(): number {
    return this.checkpoints[0]!.seq;
  }

  /** The state just after commit `seq`, for first ≤ seq < length. */
  stateAt(seq: number): KernelState {
    if (seq < this.first || seq >= this.length) throw new RangeError(`no commit ${seq} in this history`);
    this.indexTo(seq);
    let lo = 0;
    let hi = this.checkpoints.length - 1;
    while (lo < hi) { // the last checkpoint at or before seq
      const mid = (lo + hi + 1) >>> 1;
      if (this.checkpoints[mid]!.seq <= seq) lo = mid;
      else hi = mid - 1;
    }
    const cp = this.checkpoints[lo]!;
    const state = KernelState.restore(cp.state);
    for (const c of this.commits(cp.seq + 1, seq + 1)) state.apply(c);
    return state;
  }

  /** Extends the checkpoints up to `seq`, replaying forward from the last one. */
  private indexTo(seq: number): void {
    let last = this.checkpoints[this.checkpoints.length - 1]!;
    if (last.seq + this.every > seq) return;
    const state = KernelState.restore(last.state);
    while (last.seq + this.every <= seq) {
      const to = last.seq + this.every;
      const batch = this.commits(last.seq + 1, to + 1);
      for (const c of batch) state.apply(c);
      last = checkpointOf(state, to, batch[batch.length - 1]?.hash ?? last.head);
      this.checkpoints.push(last);
    }
  }
}
