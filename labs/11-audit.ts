// Lab 11: the audit trail.
import * as A from '../kernel/abi.ts';
import { defineLab, shellCalls, succeeded, type LabContext } from './api.ts';

/** A ZOS_AXIOM call of one of `kinds` that succeeded (the shell's `log` and `commits` ask for the logs in words). */
const axiom = (ctx: LabContext, ...kinds: number[]): boolean =>
  shellCalls(ctx, A.SYS_ZOS_AXIOM).some((c) => kinds.includes(c.args[0]!) && succeeded(c));

const replayed = (ctx: LabContext): boolean => ctx.events.some((e) => e.kind === 'verify' && e.ok);
const tamperCaught = (ctx: LabContext): boolean => ctx.events.some((e) => e.kind === 'tamper' && e.ok);

export default defineLab({
  checks: {
    readSysLog: (ctx) => axiom(ctx, A.AXIOM_SYSLOG, A.AXIOM_SYSLOG_WORDS),
    readCommits: (ctx) => axiom(ctx, A.AXIOM_COMMITS, A.AXIOM_COMMITS_WORDS),
    shellVerified: (ctx) => axiom(ctx, A.AXIOM_VERIFY),
    replayed,
    tamperCaught,
  },
  goal: (ctx) => axiom(ctx, A.AXIOM_VERIFY) && replayed(ctx) && tamperCaught(ctx),
});
