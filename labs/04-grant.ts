// Lab 4: grant.
import * as A from '../kernel/abi.ts';
import {
  callsOf, commitsOf, copies, copyHeld, defineLab, failedWith, firstEndpoint, otherShell, receivedOn, type Copy, type LabContext,
} from './api.ts';

const owner = (ctx: LabContext): number | undefined => firstEndpoint(ctx)?.owner;
const peer = (ctx: LabContext): number | undefined => otherShell(ctx, owner(ctx));

/** The owner's grant of the endpoint to the other shell. */
function grant(ctx: LabContext): Copy | undefined {
  const e = firstEndpoint(ctx);
  return e && copies(ctx).find((c) => c.fromPid === e.owner && c.fromSlot === e.slot && c.toPid !== e.owner && copyHeld(ctx, c));
}

/** The SysLog id of the other shell's SEND to the endpoint. */
function sentBy(ctx: LabContext): number | undefined {
  const e = firstEndpoint(ctx);
  const g = grant(ctx);
  if (!e || !g) return undefined;
  return commitsOf(ctx, 'MessageSent').find((c) => c.fields.to_endpoint === e.id && c.fields.from_pid === g.toPid)?.caused_by ?? undefined;
}

const received = (ctx: LabContext): boolean => {
  const e = firstEndpoint(ctx);
  const sent = sentBy(ctx);
  return e !== undefined && sent !== undefined && receivedOn(ctx, e.owner, e.slot).some((c) => c.id > sent);
};

export default defineLab({
  values: {
    ep: (ctx) => firstEndpoint(ctx)?.slot,
    owner,
    peer,
    peerSlot: (ctx) => grant(ctx)?.toSlot,
  },
  checks: {
    made: (ctx) => firstEndpoint(ctx) !== undefined,
    peerThere: (ctx) => peer(ctx) !== undefined,
    granted: (ctx) => grant(ctx) !== undefined,
    sent: (ctx) => sentBy(ctx) !== undefined,
    refused: (ctx) => {
      const g = grant(ctx);
      return !!g && callsOf(ctx, A.SYS_RECEIVE, g.toPid).some((c) => c.args[0] === g.toSlot && failedWith(c, A.E_PERM));
    },
    received,
  },
  goal: received,
});
