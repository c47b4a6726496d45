// Lab 9: moving capabilities with SEND_CAP (the courier program).
import * as A from '../kernel/abi.ts';
import { callsOf, capIdAt, commitsOf, defineLab, startedByShell, type LabContext } from './api.ts';

/** The courier that registered "courier" with init: a CALL on its slot 2 with REGISTER_SERVICE, answered. */
function receiver(ctx: LabContext): number | undefined {
  return startedByShell(ctx, 'courier').find((p) => callsOf(ctx, A.SYS_CALL, p.pid).some((c) =>
    c.args[0] === A.SLOT_INIT && c.args[1] === A.MSG_REGISTER_SERVICE && c.result !== null && c.result > 0))?.pid;
}

/** A capability a courier (not the receiver) moved out with SEND_CAP: where it was, and its id. */
function moved(ctx: LabContext): { pid: number; slot: number; capId: number } | undefined {
  const couriers = new Set(startedByShell(ctx, 'courier').map((p) => p.pid));
  const r = receiver(ctx);
  const out = commitsOf(ctx, 'CapRemoved').find((c) => c.fields.moving === 1 && couriers.has(c.fields.pid) && c.fields.pid !== r);
  const capId = out && capIdAt(ctx, out.fields.pid, out.fields.slot, out.seq);
  return capId === undefined ? undefined : { pid: out!.fields.pid, slot: out!.fields.slot, capId };
}

/** The same capability (same id), inserted into the receiver's CSpace when it took the message. */
function arrival(ctx: LabContext) {
  const m = moved(ctx);
  const r = receiver(ctx);
  return m && commitsOf(ctx, 'CapInserted').find((c) => c.fields.cap_id === m.capId && c.fields.pid === r);
}

/** The receiver sent to the endpoint the moved capability names. */
const answered = (ctx: LabContext): boolean => {
  const a = arrival(ctx);
  return !!a && commitsOf(ctx, 'MessageSent').some((c) => c.fields.from_pid === a.fields.pid && c.fields.to_endpoint === a.fields.object_id);
};

/** The endpoint the receiver made with EP_CREATE and registered. */
function mailbox(ctx: LabContext): number | undefined {
  const r = receiver(ctx);
  if (r === undefined) return undefined;
  const made = new Set(callsOf(ctx, A.SYS_EP_CREATE, r).map((c) => c.id));
  return commitsOf(ctx, 'EndpointCreated').find((c) => c.caused_by !== null && made.has(c.caused_by))?.fields.id;
}

export default defineLab({
  values: {
    receiver,
    sender: (ctx) => moved(ctx)?.pid,
    movedSlot: (ctx) => moved(ctx)?.slot,
    mailbox,
  },
  checks: {
    receiverReady: (ctx) => receiver(ctx) !== undefined,
    moved: (ctx) => moved(ctx) !== undefined,
    arrived: (ctx) => arrival(ctx) !== undefined,
  },
  goal: answered,
});
