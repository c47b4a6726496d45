// Lab 3: endpoints, send and receive.
import * as A from '../kernel/abi.ts';
import { callsOf, commitsOf, defineLab, firstEndpoint, receivedOn, type LabContext } from './api.ts';

const sent = (ctx: LabContext): boolean => {
  const e = firstEndpoint(ctx);
  return e !== undefined && commitsOf(ctx, 'MessageSent').some((c) => c.fields.to_endpoint === e.id && c.fields.from_pid !== A.PID_SUPERVISOR);
};

const received = (ctx: LabContext): boolean => {
  const e = firstEndpoint(ctx);
  return e !== undefined && sent(ctx) && receivedOn(ctx, e.owner, e.slot).length > 0;
};

/** After taking the message, a RECEIVE on the same slot found the queue empty. */
const emptied = (ctx: LabContext): boolean => {
  const e = firstEndpoint(ctx);
  const got = e && received(ctx) ? receivedOn(ctx, e.owner, e.slot)[0] : undefined;
  return !!e && !!got && callsOf(ctx, A.SYS_RECEIVE, e.owner).some((c) => c.args[0] === e.slot && c.id > got.id && c.result === 0);
};

export default defineLab({
  values: {
    ep: (ctx) => firstEndpoint(ctx)?.slot,
    epId: (ctx) => firstEndpoint(ctx)?.id,
    owner: (ctx) => firstEndpoint(ctx)?.owner,
  },
  checks: {
    made: (ctx) => firstEndpoint(ctx) !== undefined,
    sent,
    received,
    emptied,
  },
  goal: emptied,
});
