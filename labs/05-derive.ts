// Lab 5: derive, attenuation, and trying to escalate.
import * as A from '../kernel/abi.ts';
import { copies, defineLab, failedWith, firstEndpoint, shellCalls, type Copy, type LabContext } from './api.ts';

/** Derivations (copies in the same process, by CAP_DERIVE) from a slot of the endpoint's owner. */
function derivedFrom(ctx: LabContext, slot: number | undefined): Copy[] {
  const e = firstEndpoint(ctx);
  if (!e || slot === undefined) return [];
  return copies(ctx).filter((c) => c.fromPid === e.owner && c.toPid === e.owner && c.fromSlot === slot && c.call?.num === A.SYS_CAP_DERIVE);
}

/** The first copy without grant, derived from the endpoint capability. */
const weak = (ctx: LabContext): Copy | undefined =>
  derivedFrom(ctx, firstEndpoint(ctx)?.slot).find((c) => (c.perms & A.PERM_GRANT) === 0);

/** A copy of that copy for which g was asked, and which has no g. */
const greedy = (ctx: LabContext): Copy | undefined =>
  derivedFrom(ctx, weak(ctx)?.toSlot).find((c) => (c.call!.args[1] & A.PERM_GRANT) !== 0 && (c.perms & A.PERM_GRANT) === 0);

/** A grant by a shell from a slot without g, refused. */
const grantRefused = (ctx: LabContext): boolean => {
  const slots = [weak(ctx)?.toSlot, greedy(ctx)?.toSlot];
  return shellCalls(ctx, A.SYS_CAP_GRANT).some((c) => c.pid === firstEndpoint(ctx)?.owner && slots.includes(c.args[0]) && failedWith(c, A.E_PERM));
};

export default defineLab({
  values: {
    ep: (ctx) => firstEndpoint(ctx)?.slot,
    owner: (ctx) => firstEndpoint(ctx)?.owner,
    weak: (ctx) => weak(ctx)?.toSlot,
    greedy: (ctx) => greedy(ctx)?.toSlot,
  },
  checks: {
    made: (ctx) => firstEndpoint(ctx) !== undefined,
    weakened: (ctx) => weak(ctx) !== undefined,
    escalationFailed: (ctx) => greedy(ctx) !== undefined,
    grantRefused,
  },
  goal: (ctx) => greedy(ctx) !== undefined && grantRefused(ctx),
});
