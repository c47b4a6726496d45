// CSpaces and the derivation tree: every operation on the tree is here,
// as seL4 keeps them in cnode.c.
//
// Every capability made from another (GRANT, DERIVE, a grant on init's
// behalf) is its child in the tree, in whatever process it lives; REVOKE
// removes a capability's whole subtree. Two kinds of node live outside
// every CSpace: a capability in flight in a SEND_CAP message (pinned, so it
// keeps its place and its descendants until it lands), and a deleted one
// with descendants (a tombstone, so a revoke from above still reaches what
// hangs below it).
//
// The first half is the tree itself, changed only by KernelState.apply; the
// second half is the kernel's operations, each of which changes the tree
// only by committing.

import * as A from './abi.ts';
import { type Answer, fail, type KernelCore, ok, type Syscall } from './core.ts';
import { notifyRevoked, abortReceivesOn } from './ipc.ts';
import { encode } from './layout.ts';
import { LAYOUTS } from './abi-table.ts';
import * as R from './rights.ts';
import type { KernelState } from './state.ts';

export interface Cap {
  id: number;
  type: number;
  object: number;
  perms: number;
  // Where it lives: a CSpace slot, or null while out of every CSpace.
  pid: number | null;
  slot: number;
  parent: Cap | null;
  children: Set<Cap>;
  pinned: boolean; // in flight in a SEND_CAP message: kept in the tree until it lands
  expires: number; // ns since boot when its lease ends; 0 = never (zos)
}

// ---------------------------------------------------------------------------
// The tree, as commits change it.

export function capAt(state: KernelState, pid: number, slot: number): Cap {
  const cap = state.proc(pid).cspace.get(slot);
  if (!cap) throw new Error(`commit names empty slot ${slot} of pid ${pid}`);
  return cap;
}

/** Puts a capability into a slot; one that lands from flight takes up its old place. */
export function insertCap(state: KernelState, pid: number, slot: number,
  made: Pick<Cap, 'id' | 'type' | 'object' | 'perms' | 'parent' | 'expires'>): void {
  const cspace = state.proc(pid).cspace;
  if (cspace.has(slot)) throw new Error(`commit fills occupied slot ${slot} of pid ${pid}`);
  let cap = state.tombstones.get(made.id);
  if (cap) {
    state.tombstones.delete(made.id);
    Object.assign(cap, { pid, slot, pinned: false });
  } else {
    cap = { ...made, pid, slot, children: new Set(), pinned: false };
    made.parent?.children.add(cap);
  }
  cspace.set(slot, cap);
  state.caps.set(cap.id, cap);
  state.nextCapId = Math.max(state.nextCapId, cap.id + 1);
}

/**
 * Takes a capability out of its CSpace. It stays in the tree as a tombstone
 * while something hangs below it (deleting a capability must not free what
 * was derived from it from a revoke further up, ABI §3 DELETE) or while it
 * travels in a message; otherwise it leaves the tree.
 */
export function removeCap(state: KernelState, cap: Cap, moving: boolean): void {
  state.proc(cap.pid!).cspace.delete(cap.slot);
  state.caps.delete(cap.id);
  cap.pid = null;
  cap.slot = -1;
  cap.pinned = moving;
  state.tombstones.set(cap.id, cap);
  prune(state, cap);
}

/** Drops tombstones that nothing hangs below any more, up the tree. */
function prune(state: KernelState, node: Cap | null): void {
  while (node && node.pid === null && !node.pinned && node.children.size === 0) {
    state.tombstones.delete(node.id);
    const up = node.parent;
    up?.children.delete(node);
    node.parent = null;
    node = up;
  }
}

/** Every capability derived or granted from `root`, each before its parent. */
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

// ---------------------------------------------------------------------------
// Operations.

export const capIn = (k: KernelCore, pid: number, slot: number): Cap | undefined =>
  k.state.procs.get(pid)?.cspace.get(slot);

/** The preferred slot if free, else the lowest free one, or -1 when the CSpace is full. */
export function freeSlot(k: KernelCore, pid: number, preferred = -1): number {
  const cspace = k.state.proc(pid).cspace;
  if (preferred >= 0 && preferred < k.limits.maxSlots && !cspace.has(preferred)) return preferred;
  for (let s = 0; s < k.limits.maxSlots; s++) if (!cspace.has(s)) return s;
  return -1;
}

/** GRANT and DERIVE: a child of `src` in `toPid`, with rights already attenuated. */
export function copyCap(k: KernelCore, src: Cap, toPid: number, perms: number, now: number,
  causedBy: number | null, preferredSlot = -1): Answer {
  if (k.state.procs.get(toPid)?.status !== 'alive' || toPid === A.PID_SUPERVISOR) return fail(A.E_NOENT);
  const slot = freeSlot(k, toPid, preferredSlot);
  if (slot < 0) return fail(A.E_NOMEM);
  k.commit(now, 'CapGranted', {
    from_pid: src.pid!, to_pid: toPid, from_slot: src.slot, to_slot: slot, new_cap_id: k.state.nextCapId, perms,
  }, causedBy);
  return ok(slot);
}

/** A root capability (no parent) to an object, for spawn and the init channel. */
export function insertRoot(k: KernelCore, pid: number, slot: number, type: number, object: number, perms: number,
  now: number, causedBy: number | null): void {
  k.commit(now, 'CapInserted', {
    pid, slot, cap_id: k.state.nextCapId, type, object_id: object, perms: perms & A.PERM_ALL, parent: 0,
  }, causedBy);
}

/** Takes a resident capability out of its slot, and tells its holder why (a CAP_REVOKED reason). */
export function removeWithNotice(k: KernelCore, cap: Cap, reason: number, now: number, causedBy: number | null): void {
  const { pid, slot } = cap;
  if (reason === A.REVOKE_EXPIRED) k.commit(now, 'CapExpired', { pid: pid!, slot }, causedBy);
  else k.commit(now, 'CapRemoved', { pid: pid!, slot, moving: 0 }, causedBy);
  abortReceivesOn(k, pid!, slot, now);
  notifyRevoked(k, pid!, slot, cap, reason, now, causedBy);
}

/** What a revoke removed: capabilities from CSpaces, how many processes held them, and ones in flight. */
export interface RevokeCount { removed: number; processes: number; inFlight: number }

/** REVOKE (and expiry, with reason 2): every descendant goes, resident or in flight; each holder hears of it. */
export function revokeDescendants(k: KernelCore, root: Cap, now: number, causedBy: number | null,
  reason = A.REVOKE_EXPLICIT): RevokeCount {
  const holders = new Set<number>();
  let removed = 0;
  let inFlight = 0;
  for (const cap of descendants(root)) {
    if (cap.pid === null) {
      if (cap.pinned) { // in flight: it must not land
        k.revokedInFlight.add(cap.id);
        inFlight++;
      }
      continue;
    }
    holders.add(cap.pid);
    removeWithNotice(k, cap, reason, now, causedBy);
    removed++;
  }
  return { removed, processes: holders.size, inFlight };
}

/** Removes a capability and everything derived from it, notifying every holder. */
export function revokeWithRoot(k: KernelCore, cap: Cap, now: number, causedBy: number | null): void {
  revokeDescendants(k, cap, now, causedBy);
  removeWithNotice(k, cap, A.REVOKE_EXPLICIT, now, causedBy);
}

// ---------------------------------------------------------------------------
// Leases (zos): capabilities that expire. Their ends wait in `k.leases`,
// sorted; expiry removes a capability and its subtree exactly as REVOKE
// does, with reason 2, in commits driven by the time the kernel is given.

/** Queues a lease's end; one capability may have several entries, the stale ones skipped. */
function scheduleExpiry(k: KernelCore, id: number, expires: number): void {
  let lo = 0;
  let hi = k.leases.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (k.leases[mid]!.expires <= expires) lo = mid + 1;
    else hi = mid;
  }
  k.leases.splice(lo, 0, { id, expires });
}

/** Removes every capability whose lease has run out by `now`, with its subtree. */
export function expireLeases(k: KernelCore, now: number): void {
  let due = 0;
  while (due < k.leases.length && k.leases[due]!.expires <= now) due++;
  if (due === 0) return;
  for (const { id, expires } of k.leases.splice(0, due)) {
    const cap = k.state.caps.get(id) ?? k.state.tombstones.get(id);
    if (!cap || cap.expires !== expires) continue; // gone already, or leased again shorter
    revokeDescendants(k, cap, now, null, A.REVOKE_EXPIRED);
    if (cap.pid !== null) removeWithNotice(k, cap, A.REVOKE_EXPIRED, now, null);
    else if (cap.pinned) k.revokedInFlight.add(cap.id); // in flight: it must not land
  }
}

/** SEND_CAP: the capability leaves its CSpace but keeps its place in the tree. */
export function takeInFlight(k: KernelCore, cap: Cap, now: number, causedBy: number): Cap {
  k.commit(now, 'CapRemoved', { pid: cap.pid!, slot: cap.slot, moving: 1 }, causedBy);
  return cap; // now a pinned tombstone: same id, same place, same descendants
}

/** A moved capability lands in the receiver; a lost one answers SLOT_LOST_IN_TRANSIT. */
export function landInFlight(k: KernelCore, node: Cap, pid: number, now: number, causedBy: number): number {
  const objectGone = node.type === A.OBJ_ENDPOINT ? !k.state.endpoints.has(node.object)
    : node.type === A.OBJ_PROCESS && k.state.procs.get(node.object)?.status !== 'alive';
  const slot = k.revokedInFlight.delete(node.id) || objectGone ? -1 : freeSlot(k, pid);
  // A lost one stays a pinned tombstone: what was derived from it stays reachable from above.
  if (slot < 0) return A.SLOT_LOST_IN_TRANSIT;
  k.commit(now, 'CapInserted', {
    pid, slot, cap_id: node.id, type: node.type, object_id: node.object, perms: node.perms, parent: node.parent?.id ?? 0,
  }, causedBy);
  return slot;
}

/**
 * Puts a capability to an object into a process (INIT:GRANT, the supervisor).
 * An endpoint is granted from one of its owner's capabilities that holds
 * every requested right, so the owner's REVOKE reaches it and rights never
 * grow; other objects get a root capability.
 */
export function grantObject(k: KernelCore, pid: number, type: number, object: number, perms: number, now: number,
  causedBy: number | null, preferredSlot: number): Answer {
  if (k.state.procs.get(pid)?.status !== 'alive' || pid === A.PID_SUPERVISOR) return fail(A.E_NOENT);
  if (type < A.OBJ_ENDPOINT || type > A.OBJ_MEMORY) return fail(A.E_INVAL);
  if (type === A.OBJ_PROCESS && k.state.procs.get(object)?.status !== 'alive') return fail(A.E_NOENT);
  if (type === A.OBJ_ENDPOINT) {
    const ep = k.state.endpoints.get(object);
    if (!ep) return fail(A.E_NOENT);
    const root = [...k.state.proc(ep.owner).cspace.values()].find((c) => c.type === type && c.object === object
      && (perms & A.PERM_ALL & ~c.perms) === 0);
    return root ? copyCap(k, root, pid, perms & A.PERM_ALL, now, causedBy, preferredSlot) : fail(A.E_PERM);
  }
  const slot = freeSlot(k, pid, preferredSlot);
  if (slot < 0) return fail(A.E_NOMEM);
  insertRoot(k, pid, slot, type, object, perms, now, causedBy);
  return ok(slot);
}

// ---------------------------------------------------------------------------
// Syscall handlers. The gateway has already checked the row's `needs`, so
// `cap` is the capability in the slot argument, holding the rights it needs.

export function sysCapGrant(k: KernelCore, c: Syscall, cap: Cap | undefined): Answer {
  const target = c.a1;
  const unasked = target === c.pid ? null : unaskedGrants(k, c.pid, target);
  if (unasked && unasked.size >= k.limits.maxUnaskedGrants) return fail(A.E_NOMEM);
  const r = copyCap(k, cap!, target, R.attenuate(cap!.perms, c.a2), c.now, c.request);
  if (unasked && r.kind === 'ok') unasked.add(k.state.nextCapId - 1);
  return r;
}

/**
 * The capabilities `granter` put into `target` by CAP_GRANT that `target`
 * still holds where they landed: the count the unasked-grant bound limits
 * (ABI §3), so no process can fill another's CSpace.
 */
function unaskedGrants(k: KernelCore, granter: number, target: number): Set<number> {
  const key = `${granter}:${target}`;
  let ids = k.unaskedGrants.get(key);
  if (!ids) k.unaskedGrants.set(key, (ids = new Set()));
  for (const id of ids) if (k.state.caps.get(id)?.pid !== target) ids.delete(id);
  return ids;
}

/** A process has ended: its counts as granter and as target go. */
export function forgetUnaskedGrants(k: KernelCore, pid: number): void {
  for (const key of k.unaskedGrants.keys()) {
    const [granter, target] = key.split(':').map(Number);
    if (granter === pid || target === pid) k.unaskedGrants.delete(key);
  }
}

export function sysCapDerive(k: KernelCore, c: Syscall, cap: Cap | undefined): Answer {
  return copyCap(k, cap!, c.pid, R.attenuate(cap!.perms, c.a1), c.now, c.request);
}

export function sysCapRevoke(k: KernelCore, c: Syscall, cap: Cap | undefined): Answer {
  const n = revokeDescendants(k, cap!, c.now, c.request);
  return ok(A.E_OK, encode(LAYOUTS.RevokeReport, { removed: n.removed, processes: n.processes, in_flight: n.inFlight }));
}

export function sysZosLease(k: KernelCore, c: Syscall, cap: Cap | undefined): Answer {
  const ms = c.a2;
  if (ms <= 0 || ms > A.MAX_LEASE_MS) return fail(A.E_INVAL);
  const r = copyCap(k, cap!, c.pid, R.attenuate(cap!.perms, c.a1), c.now, c.request);
  if (r.kind !== 'ok') return r;
  const expires = R.leaseEnd(cap!.expires, c.now + ms * 1e6);
  k.commit(c.now, 'CapLeased', { pid: c.pid, slot: r.value, expires }, c.request);
  scheduleExpiry(k, k.state.nextCapId - 1, expires);
  return r;
}

export function sysZosLeaseLeft(k: KernelCore, c: Syscall, cap: Cap | undefined): Answer {
  const expires = cap!.expires;
  if (expires === 0) return ok(0);
  const data = encode(LAYOUTS.LeaseInfo, { ms_left: Math.max(0, Math.ceil((expires - c.now) / 1e6)), expires_ns: expires });
  return ok(data.length, data);
}

export function sysCapDelete(k: KernelCore, c: Syscall): Answer {
  k.commit(c.now, 'CapRemoved', { pid: c.pid, slot: c.a0, moving: 0 }, c.request);
  abortReceivesOn(k, c.pid, c.a0, c.now);
  return ok();
}

export function sysCapInspect(k: KernelCore, c: Syscall): Answer {
  const cap = capIn(k, c.pid, c.a0);
  if (!cap) return ok(0);
  return ok(1, encode(LAYOUTS.CapInfo, { type: cap.type, perms: cap.perms, slot: cap.slot, object_id: cap.object }));
}

export function sysListCaps(k: KernelCore, c: Syscall): Answer {
  const caps = [...k.state.proc(c.pid).cspace.values()].sort((a, b) => a.slot - b.slot);
  const entries = caps.map((cap) => ({ slot: cap.slot, type: cap.type, object_id: cap.object }));
  return ok(0, encode(LAYOUTS.CapList, { count: caps.length }, entries));
}
