// The logs the Logs panel reads: the live kernel's, or those of a trace
// opened from a file (record/trace.ts), which are read-only and already
// verified. Both answer the same few questions of a KernelView.

import { verifyChain } from '../kernel/axiom.ts';
import type { KernelView } from '../kernel/view.ts';
import type { ParsedTrace } from '../record/trace.ts';

/** What the Logs panel, verification and the tamper test read. */
export type LogsView = Pick<KernelView,
  'syslog' | 'syslogStats' | 'commits' | 'commitCount' | 'firstCommit' | 'checkpoint' | 'stateHash' | 'verify'>;

/** A trace's logs as a LogsView: every commit from Genesis, the SysLog events it kept. */
export function traceLogs(run: ParsedTrace): LogsView {
  return {
    syslog: (count) => (count === undefined ? run.syslog.slice() : run.syslog.slice(-count)),
    syslogStats: () => ({ kept: run.syslog.length, trimmed: run.syslogTrimmed }),
    commits: (from = 0, to = run.commits.length) => run.commits.slice(from, to),
    commitCount: () => run.commits.length,
    firstCommit: () => 0,
    checkpoint: () => null,
    stateHash: () => run.stateHash,
    verify: () => verifyChain(run.commits),
  };
}
