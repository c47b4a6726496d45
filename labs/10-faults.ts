// Lab 10: faults and isolation.
import * as A from '../kernel/abi.ts';
import { alive, defineLab, last, shellCalls, startedByShell, succeeded, type LabContext } from './api.ts';
import type { ProcessInfo } from '../kernel/view.ts';

/** When a process started and ended, in ns since boot (ended: Infinity while it runs). */
function lifetime(ctx: LabContext, pid: number): { from: number; to: number } {
  let from = Infinity;
  let to = Infinity;
  for (const c of ctx.commits) {
    if (c.type === 'ProcessCreated' && c.fields.pid === pid) from = c.time;
    if ((c.type === 'ProcessExited' || c.type === 'ProcessFaulted') && c.fields.pid === pid) to = c.time;
  }
  return { from, to };
}

const spinner = (ctx: LabContext): ProcessInfo | undefined => last(startedByShell(ctx, 'spinner'));

/** A LIST_PROCS from a shell answered while a spinner ran. */
const answered = (ctx: LabContext): boolean => startedByShell(ctx, 'spinner').some((s) => {
  const life = lifetime(ctx, s.pid);
  return shellCalls(ctx, A.SYS_LIST_PROCS).some((c) => succeeded(c) && c.time > life.from && c.time < life.to);
});

const spinnerStopped = (ctx: LabContext): boolean => startedByShell(ctx, 'spinner').some((p) => p.status === 'faulted');

const memhog = (ctx: LabContext): ProcessInfo | undefined =>
  startedByShell(ctx, 'memhog').find((p) => p.status === 'exited' && p.exitCode === 0);

/** A clock that was running before the spinner and still ran when the memory bomb ended. */
const clockSurvived = (ctx: LabContext): boolean => {
  const bomb = memhog(ctx);
  const spin = spinner(ctx);
  if (!bomb || !spin) return false;
  const bombEnd = lifetime(ctx, bomb.pid).to;
  const spinStart = lifetime(ctx, spin.pid).from;
  return startedByShell(ctx, 'clock').some((c) => {
    const life = lifetime(ctx, c.pid);
    return life.from < spinStart && life.to > bombEnd;
  });
};

export default defineLab({
  values: {
    spinner: (ctx) => spinner(ctx)?.pid,
    clock: (ctx) => startedByShell(ctx, 'clock').find((p) => alive(p))?.pid ?? last(startedByShell(ctx, 'clock'))?.pid,
  },
  checks: {
    clockRunning: (ctx) => startedByShell(ctx, 'clock').some(alive),
    spinnerRunning: (ctx) => spinner(ctx) !== undefined,
    answered,
    spinnerStopped,
    memhogContained: (ctx) => memhog(ctx) !== undefined,
  },
  goal: (ctx) => answered(ctx) && spinnerStopped(ctx) && clockSurvived(ctx) &&
    alive(ctx.view.process(A.PID_INIT)) && alive(ctx.view.process(A.PID_PERMISSION)),
});
