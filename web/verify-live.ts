// Verifying the running system: the CommitLog's hash chain, and a replay of
// it from Genesis whose state hash must equal the live kernel's. All of it
// is synchronous, so nothing changes the log while it is checked.

import { replay } from '../kernel/replay.ts';
import type { LogsView } from './trace-logs.ts';

export interface LiveVerification {
  ok: boolean; // chain intact and replay matches
  commits: number;
  head: string | null;
  badSeq?: number;
  reason?: string;
  replayMatches: boolean;
  stateHash: string;
  replayHash: string | null;
  ms: number;
}

export function verifyLive(kernel: LogsView): LiveVerification {
  const t0 = performance.now();
  const chain = kernel.verify();
  const stateHash = kernel.stateHash();
  const r = replay(kernel.commits(), undefined, kernel.checkpoint() ?? undefined);
  const replayHash = r.ok ? r.stateHash : null;
  const replayMatches = r.ok && replayHash === stateHash;
  const out: LiveVerification = {
    ok: chain.ok && replayMatches, commits: chain.commits, head: chain.ok ? chain.head : null,
    replayMatches, stateHash, replayHash, ms: performance.now() - t0,
  };
  if (!chain.ok) Object.assign(out, { badSeq: chain.badSeq, reason: chain.reason });
  else if (!r.ok) Object.assign(out, { badSeq: r.badSeq, reason: r.reason });
  return out;
}
