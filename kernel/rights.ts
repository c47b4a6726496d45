// Every rule of the capability model, in one place (ABI §3).
//
// Handlers in kernel.ts ask these functions and nothing else whether an
// operation is allowed, so a reader can check the model here alone:
//
//  1. Rights never grow: a copy (GRANT, DERIVE) gets `source ∩ requested`.
//  2. GRANT needs grant on the source; DERIVE needs no particular right.
//  3. REVOKE needs grant; it removes every descendant, never the slot itself.
//  4. SEND and CALL need write on an Endpoint capability.
//  5. RECEIVE needs read, and only the endpoint's owner may receive.
//  6. REPLY needs a one-shot reply right, given by receiving a CALL.
//  7. DELETE needs nothing: anyone may drop their own capability.
//  8. zos KILL needs write on a Process capability.
//  9. Source-slot errors (E_BADF, then E_PERM) come before target errors.

import {
  E_BADF, E_OK, E_PERM, OBJ_ENDPOINT, OBJ_PROCESS, PERM_ALL, PERM_GRANT, PERM_READ, PERM_WRITE,
} from './abi.ts';
import type { Cap } from './state.ts';

export type Check = typeof E_OK | typeof E_BADF | typeof E_PERM | number;

/** Rule 1: the rights of a copy. */
export function attenuate(source: number, requested: number): number {
  return source & requested & PERM_ALL;
}

function need(cap: Cap | undefined, perm: number, type?: number): Check {
  if (!cap) return E_BADF;
  if (type !== undefined && cap.type !== type) return E_PERM;
  return (cap.perms & perm) === perm ? E_OK : E_PERM;
}

/** Rule 2. */
export const mayGrant = (cap: Cap | undefined): Check => need(cap, PERM_GRANT);
/** Rule 2: deriving needs only that the slot holds something. */
export const mayDerive = (cap: Cap | undefined): Check => need(cap, 0);
/** Rule 3. */
export const mayRevoke = (cap: Cap | undefined): Check => need(cap, PERM_GRANT);
/** Rule 4. */
export const maySend = (cap: Cap | undefined): Check => need(cap, PERM_WRITE, OBJ_ENDPOINT);
/** Rule 7. */
export const mayDelete = (cap: Cap | undefined): Check => need(cap, 0);
/** Rule 8. */
export const mayKill = (cap: Cap | undefined): Check => need(cap, PERM_WRITE, OBJ_PROCESS);

/** Rule 5: `owner` is the endpoint's owner, or undefined if it is gone. */
export function mayReceive(cap: Cap | undefined, caller: number, owner: number | undefined): Check {
  const rights = need(cap, PERM_READ, OBJ_ENDPOINT);
  if (rights !== E_OK) return rights;
  return owner === caller ? E_OK : E_PERM;
}

/** Rule 6: the caller is waiting on a CALL that the replier has received. */
export function mayReply(replyRights: ReadonlySet<number> | undefined, callerPid: number): boolean {
  return replyRights?.has(callerPid) ?? false;
}

/** Rule 3: every capability derived or granted from `root`, each before its parent. */
export function descendants(root: Cap): Cap[] {
  // Iterative, so that a chain of a million derivations cannot blow the stack.
  const preorder: Cap[] = [];
  const stack = [...root.children];
  while (stack.length > 0) {
    const c = stack.pop()!;
    preorder.push(c);
    for (const child of c.children) stack.push(child);
  }
  return preorder.reverse();
}
