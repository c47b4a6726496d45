// Lab 12: leases, capabilities that expire.
import * as A from '../kernel/abi.ts';
import { commitsOf, copies, defineLab, firstEndpoint, otherShell, passedOn, type Copy, type LabContext } from './api.ts';

const owner = (ctx: LabContext): number | undefined => firstEndpoint(ctx)?.owner;

/** The lease made from the endpoint capability: its slot in the owner's CSpace. */
function lease(ctx: LabContext): Copy | undefined {
  const e = firstEndpoint(ctx);
  if (!e) return undefined;
  const leased = new Set(commitsOf(ctx, 'CapLeased').filter((c) => c.fields.pid === e.owner).map((c) => c.fields.slot));
  return copies(ctx).find((c) => c.fromPid === e.owner && c.toPid === e.owner && c.fromSlot === e.slot && leased.has(c.toSlot));
}

/** The lease's copy granted to another process. */
const lent = (ctx: LabContext): Copy | undefined => passedOn(ctx, lease(ctx));

/** Both expired, by CapExpired commits (no syscall caused them), and both holders were told. */
function expired(ctx: LabContext): boolean {
  const l = lease(ctx);
  const g = lent(ctx);
  if (!l || !g) return false;
  const gone = commitsOf(ctx, 'CapExpired').map((c) => `${c.fields.pid}:${c.fields.slot}`);
  const told = commitsOf(ctx, 'MessageSent').filter((c) => c.fields.from_pid === A.PID_SUPERVISOR && c.fields.tag === A.MSG_CAP_REVOKED).length;
  return gone.includes(`${l.toPid}:${l.toSlot}`) && gone.includes(`${g.toPid}:${g.toSlot}`) && told >= 2;
}

export default defineLab({
  values: {
    ep: (ctx) => firstEndpoint(ctx)?.slot,
    owner,
    peer: (ctx) => otherShell(ctx, owner(ctx)),
    lease: (ctx) => lease(ctx)?.toSlot,
  },
  checks: {
    made: (ctx) => firstEndpoint(ctx) !== undefined,
    peerThere: (ctx) => otherShell(ctx, owner(ctx)) !== undefined,
    leased: (ctx) => lease(ctx) !== undefined,
    lent: (ctx) => lent(ctx) !== undefined,
    expired,
  },
  goal: expired,
});
