// Lab 6: revoke over the tree, and the notices.
import * as A from '../kernel/abi.ts';
import {
  causedBy, commitsOf, copies, defineLab, firstEndpoint, otherShell, passedOn, shellCalls, succeeded, toldOfRevoke, type Copy, type LabContext,
} from './api.ts';

const owner = (ctx: LabContext): number | undefined => firstEndpoint(ctx)?.owner;
const peer = (ctx: LabContext): number | undefined => otherShell(ctx, owner(ctx));

/** The owner's derived copy of the endpoint capability. */
function child(ctx: LabContext): Copy | undefined {
  const e = firstEndpoint(ctx);
  return e && copies(ctx).find((c) => c.fromPid === e.owner && c.toPid === e.owner && c.fromSlot === e.slot);
}

/** The copy's grant to another process. */
const grandchild = (ctx: LabContext): Copy | undefined => passedOn(ctx, child(ctx));

/** The owner's CAP_REVOKE of the endpoint slot that removed both copies, told both holders, and left the slot. */
function revokedTree(ctx: LabContext): boolean {
  const e = firstEndpoint(ctx);
  const c = child(ctx);
  const g = grandchild(ctx);
  if (!e || !c || !g) return false;
  return shellCalls(ctx, A.SYS_CAP_REVOKE).some((call) => {
    if (call.pid !== e.owner || call.args[0] !== e.slot || !succeeded(call)) return false;
    const removed = causedBy(ctx, call).flatMap((x) => (x.type === 'CapRemoved' ? [`${x.fields.pid}:${x.fields.slot}`] : []));
    const told = toldOfRevoke(ctx, call);
    return removed.includes(`${c.toPid}:${c.toSlot}`) && removed.includes(`${g.toPid}:${g.toSlot}`) &&
      !removed.includes(`${e.owner}:${e.slot}`) && told.includes(e.owner) && told.includes(g.toPid);
  });
}

/** The endpoint capability itself removed by the desktop's revoke (not by a syscall). */
function rootRevoked(ctx: LabContext): boolean {
  const e = firstEndpoint(ctx);
  return !!e && commitsOf(ctx, 'CapRemoved').some((x) => x.fields.pid === e.owner && x.fields.slot === e.slot && x.caused_by === null);
}

export default defineLab({
  values: {
    ep: (ctx) => firstEndpoint(ctx)?.slot,
    owner,
    peer,
    child: (ctx) => child(ctx)?.toSlot,
  },
  checks: {
    made: (ctx) => firstEndpoint(ctx) !== undefined,
    derived: (ctx) => child(ctx) !== undefined,
    peerThere: (ctx) => peer(ctx) !== undefined,
    granted: (ctx) => grandchild(ctx) !== undefined,
    revokedTree,
    rootRevoked,
  },
  goal: (ctx) => revokedTree(ctx) && rootRevoked(ctx),
});
