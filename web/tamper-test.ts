// The tamper test: what the hash chain protects against, shown on a copy of
// the live CommitLog (the log itself cannot be changed: the page only reads
// it). One commit of the copy is altered as a forger would (the newest grant
// given every right), then the copy is verified: the chain breaks at that
// commit. A forger who then rewrites every hash after it gets a chain that
// holds, but its head is no longer the real head, and its replay ends in a
// state that is not the live one: whoever kept the head (the Boots panel
// saves it) sees the forgery.

import { GENESIS_START, hashCommit, verifyChain } from '../kernel/axiom.ts';
import type { Commit, UnhashedCommit } from '../kernel/commits.ts';
import { permsString } from '../kernel/names.ts';
import { replay } from '../kernel/replay.ts';
import type { LogsView } from './trace-logs.ts';

export interface TamperReport {
  seq: number;
  type: string;
  /** What was changed, in words: "perms rw- → rwg". */
  change: string;
  /** Where verification of the altered copy failed, and why (null if it did not: it always does). */
  badSeq: number | null;
  reason: string | null;
  /** The rewritten chain verifies, but ends in another head than the live one. */
  forgedHead: string;
  realHead: string;
  /** The forged copy replays to another state than the live one. */
  forgedStateHash: string | null;
  liveStateHash: string;
}

const ALL_RIGHTS = 7;

/** Runs the test on a copy of the kept CommitLog; null when the log has nothing to alter. */
export function tamperTest(view: LogsView): TamperReport | null {
  const commits = view.commits();
  const checkpoint = view.checkpoint() ?? undefined;
  const at = target(commits);
  if (at < 0) return null;
  const original = commits[at]!;
  const altered = alter(original);
  const copy = commits.slice();
  copy[at] = altered.commit;
  const broken = verifyChain(copy, checkpoint ?? GENESIS_START);
  // The forger's next move: every hash from the altered commit on, recomputed.
  let prev = at > 0 ? copy[at - 1]!.hash : (checkpoint ?? GENESIS_START).head;
  for (let i = at; i < copy.length; i++) {
    const { hash: _old, ...body } = copy[i]!;
    const relinked = { ...body, prev_hash: prev } as UnhashedCommit;
    prev = hashCommit(relinked);
    copy[i] = { ...relinked, hash: prev } as Commit;
  }
  const forged = replay(copy, undefined, checkpoint);
  return {
    seq: original.seq, type: original.type, change: altered.change,
    badSeq: broken.ok ? null : broken.badSeq, reason: broken.ok ? null : broken.reason,
    forgedHead: prev, realHead: commits[commits.length - 1]!.hash,
    forgedStateHash: forged.ok ? forged.stateHash : null, liveStateHash: view.stateHash(),
  };
}

/** The newest grant or derivation that did not give every right, else the newest process start. */
function target(commits: readonly Commit[]): number {
  for (let i = commits.length - 1; i >= 0; i--) {
    const c = commits[i]!;
    if (c.type === 'CapGranted' && c.fields.perms !== ALL_RIGHTS) return i;
  }
  for (let i = commits.length - 1; i >= 0; i--) if (commits[i]!.type === 'ProcessCreated') return i;
  return -1;
}

function alter(c: Commit): { commit: Commit; change: string } {
  if (c.type === 'CapGranted') {
    return {
      commit: { ...c, fields: { ...c.fields, perms: ALL_RIGHTS } },
      change: `perms ${permsString(c.fields.perms)} → ${permsString(ALL_RIGHTS)}`,
    };
  }
  if (c.type === 'ProcessCreated') {
    return { commit: { ...c, fields: { ...c.fields, name: 'intruder' } }, change: `name ${c.fields.name} → intruder` };
  }
  throw new Error(`no alteration for a ${c.type} commit`); // target() picks only these two types
}
