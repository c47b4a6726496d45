// Lab 2: the CSpace, and slots 0, 1 and 2.
import * as A from '../kernel/abi.ts';
import { callsOf, capAt, defineLab, failedWith, newShells, shellCalls, startedByShell, succeeded, type LabContext } from './api.ts';

/** The shell opened in this lab. */
const fresh = (ctx: LabContext): number | undefined => newShells(ctx)[0];

/** When the fresh shell's spawn was refused: a CALL on its empty slot 2, answered E_BADF. */
function refusal(ctx: LabContext): number | undefined {
  const pid = fresh(ctx);
  if (pid === undefined || capAt(ctx.view, pid, A.SLOT_INIT)) return undefined;
  return callsOf(ctx, A.SYS_CALL, pid).find((c) => c.args[0] === A.SLOT_INIT && failedWith(c, A.E_BADF))?.time;
}

export default defineLab({
  values: {
    fresh,
    first: (ctx) => ctx.shells.find((pid) => pid !== fresh(ctx)),
  },
  checks: {
    listed: (ctx) => shellCalls(ctx, A.SYS_LIST_CAPS).some(succeeded),
    inspected: (ctx) => shellCalls(ctx, A.SYS_CAP_INSPECT).some((c) => c.args[0] === A.SLOT_INIT && succeeded(c)),
    opened: (ctx) => fresh(ctx) !== undefined,
    deleted: (ctx) => {
      const pid = fresh(ctx);
      return pid !== undefined && !capAt(ctx.view, pid, A.SLOT_INIT) &&
        callsOf(ctx, A.SYS_CAP_DELETE, pid).some((c) => c.args[0] === A.SLOT_INIT && succeeded(c));
    },
    refused: (ctx) => refusal(ctx) !== undefined,
    otherStillCan: (ctx) => otherStillCan(ctx),
  },
  goal: (ctx) => otherStillCan(ctx),
});

/** After the refusal, a hello started for a shell that still has its slot 2. */
function otherStillCan(ctx: LabContext): boolean {
  const refusedAt = refusal(ctx);
  if (refusedAt === undefined) return false;
  const created = new Map(ctx.commits.flatMap((c) => (c.type === 'ProcessCreated' ? [[c.fields.pid, c.time] as const] : [])));
  return startedByShell(ctx, 'hello').some((p) => p.requester !== fresh(ctx) && (created.get(p.pid) ?? 0) > refusedAt);
}
