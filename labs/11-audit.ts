// Lab 11: the audit trail.
import * as A from '../kernel/abi.ts';
import { defineLab, shellCalls, succeeded, type LabContext } from './api.ts';

const axiom = (ctx: LabContext, kind: number): boolean =>
  shellCalls(ctx, A.SYS_ZOS_AXIOM).some((c) => c.args[0] === kind && succeeded(c));

const replayed = (ctx: LabContext): boolean => ctx.events.some((e) => e.kind === 'verify' && e.ok);
const tamperCaught = (ctx: LabContext): boolean => ctx.events.some((e) => e.kind === 'tamper' && e.ok);

export default defineLab({
  checks: {
    readSysLog: (ctx) => axiom(ctx, A.AXIOM_SYSLOG),
    readCommits: (ctx) => axiom(ctx, A.AXIOM_COMMITS),
    shellVerified: (ctx) => axiom(ctx, A.AXIOM_VERIFY),
    replayed,
    tamperCaught,
  },
  goal: (ctx) => axiom(ctx, A.AXIOM_VERIFY) && replayed(ctx) && tamperCaught(ctx),
});
