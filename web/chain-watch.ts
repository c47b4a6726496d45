// The top bar's chain status: the live CommitLog verified incrementally,
// a bounded number of commits per refresh, so a long log never stalls a
// frame. (The log viewer's Verify button checks the whole chain at once.)

import { chainFault } from '../kernel/axiom.ts';
import { GENESIS_PREV_HASH } from '../kernel/commits.ts';
import type { KernelView } from '../kernel/view.ts';

export class ChainWatch {
  verified = 0;
  head = GENESIS_PREV_HASH;
  fault: { badSeq: number; reason: string } | null = null;

  /** Verifies up to `budget` more commits. */
  step(view: KernelView, budget = 5000): void {
    if (this.fault) return;
    const checkpoint = view.checkpoint();
    if (checkpoint && this.verified <= checkpoint.seq) {
      // Older commits went to storage before they were watched: go on from the checkpoint they end at.
      this.verified = checkpoint.seq + 1;
      this.head = checkpoint.head;
    }
    const from = this.verified;
    const commits = view.commits(from, from + budget);
    for (let i = from; i < from + commits.length; i++) {
      const c = commits[i - from]!;
      const reason = chainFault(c, i, this.head);
      if (reason) {
        this.fault = { badSeq: i, reason };
        return;
      }
      this.head = c.hash;
      this.verified = i + 1;
    }
  }
}
