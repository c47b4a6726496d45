// Capability operations made from the desktop, on a process's behalf:
// GRANT, DERIVE, REVOKE and DELETE through Kernel.actFor (the same handler
// and rights checks as the syscall, logged in the SysLog with by: 0), and a
// privileged revoke of a holder's capability through Supervisor.removeCapability
// (the cap and everything derived from it go; each holder is told with
// MSG_CAP_REVOKED). Both appear in the CommitLog like any other change.

import * as A from '../kernel/abi.ts';
import { errorName, resultText, syscallName } from '../kernel/names.ts';
import type { Session } from './session.ts';

export interface ActResult {
  ok: boolean;
  result: number;
  text: string;
}

export function actFor(session: Session, pid: number, num: number, a0: number, a1 = 0, a2 = 0): ActResult {
  const result = session.sup.actFor(pid, num, a0, a1, a2);
  const shapeOk = num === A.SYS_CAP_GRANT || num === A.SYS_CAP_DERIVE ? result >= 0 : result === A.E_OK;
  return { ok: shapeOk, result, text: `${syscallName(num)} for pid ${pid}: ${resultText(num, result)}` };
}

export const grant = (s: Session, pid: number, slot: number, toPid: number, perms: number): ActResult =>
  actFor(s, pid, A.SYS_CAP_GRANT, slot, toPid, perms);
export const derive = (s: Session, pid: number, slot: number, perms: number): ActResult =>
  actFor(s, pid, A.SYS_CAP_DERIVE, slot, perms);
export const revokeDerived = (s: Session, pid: number, slot: number): ActResult =>
  actFor(s, pid, A.SYS_CAP_REVOKE, slot);
export const deleteCap = (s: Session, pid: number, slot: number): ActResult =>
  actFor(s, pid, A.SYS_CAP_DELETE, slot);

/** Removes a holder's capability and all derived from it; the holder hears of it. */
export function revokeHolder(session: Session, pid: number, slot: number): ActResult {
  const status = session.sup.removeCapability(pid, slot);
  return { ok: status === A.E_OK, result: status, text: `revoke pid ${pid} slot ${slot}: ${errorName(status)}` };
}
