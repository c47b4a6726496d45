// Lab 1: processes and PIDs.
import * as A from '../kernel/abi.ts';
import { alive, defineLab, last, shellCalls, startedByShell, succeeded } from './api.ts';

export default defineLab({
  values: {
    clock: (ctx) => last(startedByShell(ctx, 'clock'))?.pid,
  },
  checks: {
    listed: (ctx) => shellCalls(ctx, A.SYS_LIST_PROCS).some(succeeded),
    helloRan: (ctx) => startedByShell(ctx, 'hello').some((p) => p.status === 'exited' && p.exitCode === 0),
    clockStarted: (ctx) => startedByShell(ctx, 'clock').length > 0,
    clockStopped: (ctx) => startedByShell(ctx, 'clock').some((p) => p.status === 'faulted'),
  },
  goal: (ctx) =>
    startedByShell(ctx, 'hello').some((p) => p.status === 'exited' && p.exitCode === 0) &&
    startedByShell(ctx, 'clock').some((p) => p.status === 'faulted') &&
    alive(ctx.view.process(A.PID_INIT)) && alive(ctx.view.process(A.PID_PERMISSION)),
});
