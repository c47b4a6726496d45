// Lab 8: call, reply, and a service registered with init.
import * as A from '../kernel/abi.ts';
import { callsOf, copies, defineLab, startedByShell, succeeded, type LabContext } from './api.ts';

/** The pingpong that registered "pong": a CALL on its slot 2 with REGISTER_SERVICE, answered. */
function server(ctx: LabContext): number | undefined {
  return startedByShell(ctx, 'pingpong').find((p) => callsOf(ctx, A.SYS_CALL, p.pid).some((c) =>
    c.args[0] === A.SLOT_INIT && c.args[1] === A.MSG_REGISTER_SERVICE && c.result !== null && c.result > 0))?.pid;
}

/** A pingpong that init gave a capability to the server's endpoint (the lookup), and that the server answered. */
function client(ctx: LabContext): number | undefined {
  const s = server(ctx);
  if (s === undefined) return undefined;
  const lookedUp = new Set(copies(ctx).filter((c) => c.fromPid === s && c.toPid !== s).map((c) => c.toPid));
  return startedByShell(ctx, 'pingpong').find((p) => p.pid !== s && lookedUp.has(p.pid) &&
    callsOf(ctx, A.SYS_REPLY, s).some((r) => r.args[0] === p.pid && succeeded(r)))?.pid;
}

export default defineLab({
  values: { server },
  checks: {
    registered: (ctx) => server(ctx) !== undefined,
    called: (ctx) => client(ctx) !== undefined,
  },
  goal: (ctx) => client(ctx) !== undefined,
});
