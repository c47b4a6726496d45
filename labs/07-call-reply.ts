// Lab 7: call and reply, by hand between two shells.
import * as A from '../kernel/abi.ts';
import { callsOf, copies, copyHeld, defineLab, failedWith, otherShell, succeeded, type Copy, type LabContext } from './api.ts';

const server = (ctx: LabContext): number | undefined => ctx.shells[0];
const client = (ctx: LabContext): number | undefined => otherShell(ctx, server(ctx));

/** The server's grant of its slot 0 to the client. */
function grant(ctx: LabContext): Copy | undefined {
  const s = server(ctx);
  const c = client(ctx);
  return copies(ctx).find((g) => g.fromPid === s && g.fromSlot === A.SLOT_SELF && g.toPid === c && copyHeld(ctx, g));
}

/** The client's CALL through the granted capability. */
function theCall(ctx: LabContext) {
  const g = grant(ctx);
  return g && callsOf(ctx, A.SYS_CALL, g.toPid).find((c) => c.args[0] === g.toSlot);
}

/** The server's successful REPLY to the client. */
function theReply(ctx: LabContext) {
  const call = theCall(ctx);
  return call && callsOf(ctx, A.SYS_REPLY, server(ctx)).find((r) => r.args[0] === call.pid && r.id > call.id && succeeded(r));
}

/** The call returned with the answer, and a second reply to it was refused. */
const done = (ctx: LabContext): boolean => {
  const call = theCall(ctx);
  const reply = theReply(ctx);
  return !!call && !!reply && call.result !== null && call.result > 0 &&
    callsOf(ctx, A.SYS_REPLY, server(ctx)).some((r) => r.args[0] === call.pid && r.id > reply.id && failedWith(r, A.E_NOENT));
};

export default defineLab({
  values: {
    server,
    client,
    clientSlot: (ctx) => grant(ctx)?.toSlot,
  },
  checks: {
    clientThere: (ctx) => client(ctx) !== undefined,
    granted: (ctx) => grant(ctx) !== undefined,
    serving: (ctx) => grant(ctx) !== undefined &&
      callsOf(ctx, A.SYS_RECEIVE, server(ctx)).some((c) => c.args[0] === A.SLOT_SELF && c.result !== null && c.result >= 0),
    calling: (ctx) => theCall(ctx) !== undefined,
    replied: (ctx) => theReply(ctx) !== undefined,
    refused: done,
  },
  goal: done,
});
