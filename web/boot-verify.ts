// Checking a saved boot: its chain with verifyChain (the first bad seq when
// tampered), then its state rebuilt by replay, compared with the state hash
// the live kernel had when the last save was made. Pure: runs in the
// verification worker (verify-worker.ts) or, failing that, on the page.

import { verifyChain } from '../kernel/axiom.ts';
import { replay } from '../kernel/replay.ts';
import type { LoadedBoot } from './persistence.ts';

export interface ReplayedProcess {
  pid: number;
  parent: number;
  name: string;
  status: string;
  exitCode: number | null;
  fault: string | null;
  caps: number;
}

export interface BootReport {
  id: number;
  startedAt: number | null;
  savedAt: number | null;
  /** Commits the boot record says were saved, and commits read back intact. */
  savedCommits: number | null;
  commits: number;
  syslog: number;
  syslogDropped: number;
  chain: { ok: true; head: string | null } | { ok: false; badSeq: number; reason: string };
  replay: {
    ok: boolean;
    stateHash: string | null; // of the replayed state (up to the bad seq when broken)
    savedStateHash: string | null;
    matchesSaved: boolean | null; // null when there is nothing to compare with
    appliedCommits: number;
  };
  processes: ReplayedProcess[];
  problems: string[];
}

export function verifyBoot(boot: LoadedBoot): BootReport {
  const rec = boot.record;
  const problems = [...boot.problems];
  let chain: BootReport['chain'];
  const check = verifyChain(boot.commits);
  if (!check.ok) chain = { ok: false, badSeq: check.badSeq, reason: check.reason };
  else if (rec && boot.commits.length < rec.commits) {
    chain = {
      ok: false, badSeq: boot.commits.length,
      reason: `commit ${boot.commits.length} is missing: the boot record says ${rec.commits} commits were saved`,
    };
  } else if (rec && rec.head && boot.commits.length === rec.commits && check.head !== rec.head) {
    chain = { ok: false, badSeq: Math.max(0, rec.commits - 1), reason: 'the last commit is not the head the boot record names' };
  } else chain = { ok: true, head: boot.commits.length ? check.head : null };
  if (rec && boot.commits.length > rec.commits) {
    problems.push(`${boot.commits.length - rec.commits} commits past the saved count (the page closed during a save?)`);
  }

  const r = replay(boot.commits);
  const stateHash = r.ok ? r.stateHash : null;
  const applied = r.ok ? r.commits : r.badSeq;
  const comparable = r.ok && rec?.stateHash && rec.commits === boot.commits.length;
  const processes = [...r.state.procs.values()].sort((a, b) => a.pid - b.pid).map((p) => ({
    pid: p.pid, parent: p.parent, name: p.name, status: p.status, exitCode: p.exitCode,
    fault: p.fault ? `${p.fault.reason}: ${p.fault.description}` : null, caps: p.cspace.size,
  }));
  return {
    id: boot.id,
    startedAt: rec?.startedAt ?? null,
    savedAt: rec?.savedAt ?? null,
    savedCommits: rec?.commits ?? null,
    commits: boot.commits.length,
    syslog: boot.syslog.length,
    syslogDropped: rec?.syslogDropped ?? 0,
    chain,
    replay: {
      ok: r.ok, stateHash, savedStateHash: rec?.stateHash ?? null,
      matchesSaved: comparable ? stateHash === rec!.stateHash : null, appliedCommits: applied,
    },
    processes,
    problems,
  };
}
