// Every rule of the capability model, in one place (ABI §3).
//
// The gateway asks `mayUse` before any handler runs, with the `needs` of the
// syscall's row in abi-table.ts; the few rules that are not about one slot's
// rights are the functions below it. A reader can check the model here:
//
//  1. Rights never grow: a copy (GRANT, DERIVE) gets `source ∩ requested`.
//  2. GRANT needs grant on the source; DERIVE needs no particular right.
//  3. REVOKE needs grant; it removes every descendant, never the slot itself.
//  4. SEND, CALL and SEND_CAP need write on an Endpoint capability.
//  5. RECEIVE needs read, and only the endpoint's owner may receive.
//  6. REPLY needs a one-shot reply right, given by receiving a CALL.
//  7. DELETE needs nothing: anyone may drop their own capability.
//  8. zos KILL needs write on a Process capability.
//  9. Source-slot errors (E_BADF, then E_PERM) come before any other error,
//     because the gateway checks them before the handler runs.
// 10. Lifetimes never grow either: a copy of a leased capability expires no
//     later than its source, so leases attenuate like rights (zos).
// 11. No one process may hold more than its bound of capabilities CAP_GRANTed
//     into another's CSpace unasked (ABI §3 bounds; counted in cspace.ts).

import { E_BADF, E_OK, E_PERM, PERM_ALL } from './abi.ts';
import type { Needs } from './abi-table.ts';
import type { Cap } from './cspace.ts';

/** Rule 1: the rights of a copy. */
export function attenuate(source: number, requested: number): number {
  return source & requested & PERM_ALL;
}

/**
 * Rules 2–5, 7, 8: may `caller` use `cap` as `needs` says? `owner` is the
 * owner of the endpoint it names (undefined if there is none). Returns
 * E_OK, E_BADF (empty slot) or E_PERM (wrong type, missing right, not owner).
 */
export function mayUse(needs: Needs, cap: Cap | undefined, caller: number, owner: number | undefined): number {
  if (!cap) return E_BADF;
  if (needs.type !== undefined && cap.type !== needs.type) return E_PERM;
  if ((cap.perms & needs.rights) !== needs.rights) return E_PERM;
  if (needs.owner && owner !== caller) return E_PERM;
  return E_OK;
}

/** Rule 10: when a copy expires, given its source's end and the end asked for (0 = never). */
export function leaseEnd(source: number, asked: number): number {
  if (source === 0) return asked;
  return asked === 0 ? source : Math.min(source, asked);
}

/** Rule 6: the caller is waiting on a CALL that the replier has received. */
export function mayReply(replyRights: ReadonlySet<number> | undefined, callerPid: number): boolean {
  return replyRights?.has(callerPid) ?? false;
}
