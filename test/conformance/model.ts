// What a case is, what a harness gives back for it, and how it is judged.
// The same Case runs in both harnesses (Node through `zos run --json`, and
// Chromium through the page API); `judge` decides pass/fail from a CaseRun,
// whichever harness produced it.

import type { Body, ProgramOptions } from './wat.ts';

/** conformance and hostile: the binding ABI; zos: zos's own extensions (docs/abi.md); fuzz: random programs. */
export type Suite = 'conformance' | 'hostile' | 'zos' | 'fuzz';
export type HarnessName = 'node' | 'browser';

/** What a process must end with. Default: exit code 0, no `FAIL` line. */
export interface Expect {
  exit?: number;
  /** Accepted fault reasons (ProcessFaulted), e.g. ['trap']. */
  fault?: string[];
  /** The fault description must match this. */
  faultText?: RegExp;
  /** The console output must match every one of these. */
  output?: RegExp[];
  /** Allow `FAIL` lines (a process that is expected to fail its own checks). Default false. */
  allowFail?: boolean;
}

export interface ProcSpec {
  /** Unique within the case: 'main', 'server', 'client', 'witness', ... */
  role: string;
  /** A case body (wrapped by program()) ... */
  body?: Body;
  opts?: ProgramOptions;
  /** ... or a whole module as WAT text (given the case's service name) ... */
  module?: (svc: string) => string;
  /** ... or raw bytes (malformed binaries). */
  bytes?: () => Promise<Uint8Array> | Uint8Array;
  /** The binary must be refused at spawn, with an error matching this. Nothing of it runs. */
  refused?: RegExp;
  expect?: Expect;
}

/** One process's end, as a harness saw it. */
export interface ProcRun {
  role: string;
  name: string;
  pid: number | null;
  exitCode: number | null;
  fault: { reason: string; description: string } | null;
  output: string;
  /** Set when spawning it failed (validation): the error text. */
  refused: string | null;
}

/** The logs after a batch: from `zos run --json`, or from window.zos.verify(). */
export interface LogRun {
  chainVerified: boolean;
  replayMatches: boolean;
  syslog: number;
  commits: number;
  badSeq?: number;
}

export interface CaseRun {
  harness: HarnessName;
  procs: ProcRun[];
  logs: LogRun | null;
  /** Browser only: SysLog events, commits and the process table after the batch (page API syslog(), commits(), processes()). */
  browserLogs?: {
    syslog: unknown[]; commits: unknown[];
    processes: { pid: number; name: string; status: string; fault: { reason: string; description: string } | null }[];
  };
  /** Harness problems (timeout, crash, unexpected exit status). */
  errors: string[];
  ms: number;
  /** How the harness did it, for the report: e.g. how a CPU limit was applied. */
  notes: string[];
  /** The batch's trace (`zos run --trace`), relative to the report: a failed case is opened in the page from it. */
  trace?: string;
}

export interface Case {
  id: string;
  suite: Suite;
  /** The ABI section it checks, e.g. '§3 CAP_GRANT'. */
  section: string;
  title: string;
  procs: ProcSpec[];
  /** Runs alone in its batch (timing, flooding, global views such as LIST_PROCS counts). */
  exclusive?: boolean;
  /** Console input for the first process (node: --input; browser: sendInput). */
  input?: string;
  /** Run with this CPU limit, ms (node: --cpu-limit for the whole run; browser: spawn option cpuLimitMs). */
  cpuLimitMs?: number;
  /** Run with this memory limit, in 64 KiB pages (node: --memory-limit for the whole run; browser: spawn option). */
  memoryLimitPages?: number;
  /** Longest the batch may take, ms (default 20000). */
  timeoutMs?: number;
  /** Browser harness: also fetch syslog(), commits() and processes() after the batch (CaseRun.browserLogs). */
  browserLogs?: boolean;
  /** Checks beyond the processes' own (log layouts, rates); returns failures. */
  check?: (run: CaseRun, c: Case) => string[];
}

export interface Verdict {
  pass: boolean;
  failures: string[];
}

/** Decides a case from what one harness saw. */
export function judge(c: Case, run: CaseRun): Verdict {
  const failures: string[] = [...run.errors];
  for (const spec of c.procs) {
    const p = run.procs.find((r) => r.role === spec.role);
    if (!p) {
      failures.push(`${spec.role}: no result`);
      continue;
    }
    const who = `${spec.role} (pid ${p.pid ?? '-'})`;
    if (spec.refused) {
      if (p.refused === null) failures.push(`${who}: was not refused at spawn`);
      else if (!spec.refused.test(p.refused)) failures.push(`${who}: refused with "${p.refused}", want ${spec.refused}`);
      else if (!p.refused.includes(`"${p.name}"`)) failures.push(`${who}: the refusal does not name the process: "${p.refused}"`);
      continue;
    }
    if (p.refused !== null) {
      failures.push(`${who}: refused at spawn: ${p.refused}`);
      continue;
    }
    const e = spec.expect ?? {};
    if (e.fault) {
      if (!p.fault) failures.push(`${who}: ended with exit ${p.exitCode}, want a fault (${e.fault.join(' or ')})`);
      else if (!e.fault.includes(p.fault.reason)) failures.push(`${who}: fault ${p.fault.reason} (${p.fault.description}), want ${e.fault.join(' or ')}`);
      else if (e.faultText && !e.faultText.test(p.fault.description)) failures.push(`${who}: fault text "${p.fault.description}" does not match ${e.faultText}`);
    } else if (p.fault) {
      failures.push(`${who}: faulted: ${p.fault.reason}: ${p.fault.description}`);
    } else if (p.exitCode !== (e.exit ?? 0)) {
      failures.push(`${who}: exit code ${p.exitCode}, want ${e.exit ?? 0}`);
    }
    if (!e.allowFail) {
      for (const line of p.output.split('\n').filter((l) => l.startsWith('FAIL '))) failures.push(`${who}: ${line}`);
    }
    for (const re of e.output ?? []) if (!re.test(p.output)) failures.push(`${who}: output does not match ${re}`);
  }
  const booted = c.procs.some((p) => !p.refused);
  if (run.logs) {
    if (!run.logs.chainVerified) failures.push(`CommitLog chain does not verify${run.logs.badSeq !== undefined ? ` (bad seq ${run.logs.badSeq})` : ''}`);
    if (!run.logs.replayMatches) failures.push('replay does not give the live state hash');
  } else if (booted) {
    failures.push('no log summary for the batch');
  }
  if (c.check) {
    try {
      failures.push(...c.check(run, c));
    } catch (e) {
      failures.push(`check threw: ${(e as Error).message}`);
    }
  }
  return { pass: failures.length === 0, failures };
}

/** The output of one role in a run. */
export const outputOf = (run: CaseRun, role: string): string => run.procs.find((p) => p.role === role)?.output ?? '';
