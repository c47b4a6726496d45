// The Node harness: every batch is one `zos run --json` child process
// (bin/zos.mjs, the real supervisor on worker_threads). A binary that must be
// refused is given to its own `zos run`, which must exit 2 having run nothing.

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CaseRun, LogRun, ProcRun } from './model.ts';
import type { Batch, BuiltProc } from './plan.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ZOS = join(ROOT, 'bin', 'zos.mjs');

interface Exec { status: number | null; stdout: string; stderr: string; ms: number }

function exec(args: string[], timeoutMs: number): Promise<Exec> {
  const start = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [ZOS, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    // `zos run --timeout` ends the run itself; this only guards against a hung supervisor.
    const guard = setTimeout(() => child.kill('SIGKILL'), timeoutMs + 15_000);
    child.on('close', (status) => {
      clearTimeout(guard);
      resolve({ status, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), ms: performance.now() - start });
    });
  });
}

interface Summary {
  processes: { pid: number; name: string; exitCode: number | null; fault: string | null; output: string }[];
  syslog: number; commits: number; chainVerified: boolean; stateHash: string; replayMatches: boolean;
}

/** Runs one batch; returns a CaseRun per case, in the batch's order. */
export async function runBatchNode(batch: Batch, binDir: string): Promise<CaseRun[]> {
  const dir = join(binDir, `node-b${batch.index}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const file = (p: BuiltProc): string => {
    const path = join(dir, `${p.name}.wasm`);
    writeFileSync(path, p.bytes);
    return path;
  };

  // Refusals: each binary alone; zos must exit 2 and name the problem.
  const refusals = new Map<BuiltProc, { text: string | null; error: string | null }>();
  const limits = batch.memoryLimitPages ? ['--memory-limit', String(batch.memoryLimitPages * 65536)] : [];
  const refused = batch.cases.flatMap((c) => c.procs.filter((p) => p.spec.refused));
  const refuse = async (p: BuiltProc): Promise<void> => {
    const r = await exec(['run', '--json', '--timeout', '5000', ...limits, file(p)], 5000);
    if (r.status === 2) refusals.set(p, { text: r.stderr.trim(), error: null });
    else refusals.set(p, { text: null, error: `zos run of the refused binary exited ${r.status}: ${r.stdout.slice(-300)} ${r.stderr.slice(-300)}` });
  };
  // Validation happens before boot, so these runs are short: two at a time.
  for (let i = 0; i < refused.length; i += 2) await Promise.all(refused.slice(i, i + 2).map(refuse));

  // Everything else in one run, the input case first (--input goes to the first process).
  const runnable = batch.cases.flatMap((c) => c.procs.filter((p) => !p.spec.refused).map((p) => ({ c, p })));
  const inputCase = batch.cases.find((c) => c.case.input !== undefined);
  runnable.sort((a, b) => Number(b.c === inputCase) - Number(a.c === inputCase));
  // The batch's trace, next to the report; a case that fails links it (report.ts).
  const trace = join('traces', `node-b${batch.index}.jsonl`);
  const traceFile = join(binDir, '..', trace);
  mkdirSync(dirname(traceFile), { recursive: true });
  let summary: Summary | null = null;
  let runError: string | null = null;
  let timedOut = false;
  let ms = 0;
  if (runnable.length > 0) {
    const args = ['run', '--json', '--timeout', String(batch.timeoutMs), '--trace', traceFile, ...limits];
    if (batch.cpuLimitMs) args.push('--cpu-limit', String(batch.cpuLimitMs));
    if (inputCase) args.push('--input', inputCase.case.input!);
    const r = await exec([...args, ...runnable.map(({ p }) => file(p))], batch.timeoutMs);
    ms = r.ms;
    const last = r.stdout.trim().split('\n').pop() ?? '';
    try {
      summary = JSON.parse(last) as Summary;
    } catch {
      runError = `zos run exited ${r.status} without a JSON summary: ${r.stderr.slice(-500)}`;
    }
    if (r.status === 124) timedOut = true;
    else if (summary && r.status !== 0 && r.status !== 1) runError = `zos run exited ${r.status}`;
    else if (summary) {
      const allZero = summary.processes.every((p) => p.exitCode === 0);
      if ((r.status === 0) !== allZero) runError = `zos run exit status ${r.status} does not match the processes' exit codes`;
    }
  }

  const logs: LogRun | null = summary
    ? { chainVerified: summary.chainVerified, replayMatches: summary.replayMatches, syslog: summary.syslog, commits: summary.commits }
    : null;
  return batch.cases.map((bc) => {
    const errors: string[] = [];
    const procs: ProcRun[] = bc.procs.map((p) => {
      if (p.spec.refused) {
        const r = refusals.get(p)!;
        if (r.error) errors.push(r.error);
        return { role: p.role, name: p.name, pid: null, exitCode: null, fault: null, output: '', refused: r.text };
      }
      const i = runnable.findIndex((x) => x.p === p);
      const s = summary?.processes[i];
      if (!s) return { role: p.role, name: p.name, pid: null, exitCode: null, fault: null, output: '', refused: null };
      const fault = s.fault ? { reason: s.fault.split(':')[0]!, description: s.fault.slice(s.fault.indexOf(':') + 1).trim() } : null;
      return { role: p.role, name: s.name, pid: s.pid, exitCode: s.exitCode, fault, output: s.output, refused: null };
    });
    if (runError && bc.procs.some((p) => !p.spec.refused)) errors.push(runError);
    // A timeout is the fault of the cases whose processes were still running (zos run killed them).
    for (const p of procs) {
      if (timedOut && p.fault?.reason === 'killed' && /timed out/.test(p.fault.description)) {
        errors.push(`${p.role} (pid ${p.pid}) still running after ${batch.timeoutMs} ms: killed by zos run --timeout`);
      }
    }
    return { harness: 'node', procs, logs, errors, ms, notes: [], ...(existsSync(traceFile) ? { trace } : {}) };
  });
}
