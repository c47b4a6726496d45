// Capabilities: listing, inspecting, granting, deriving, revoking, deleting,
// and creating endpoints.

import {
  E_NOENT, E_OK, EP_CREATE_ID_HIGH, EP_CREATE_ID_LOW, EP_CREATE_NEW, SYS_CAP_DELETE, SYS_CAP_DERIVE, SYS_CAP_GRANT,
  SYS_CAP_INSPECT, SYS_CAP_REVOKE, SYS_EP_CREATE, SYS_LIST_CAPS,
} from "../kernel/abi";
import { ByteReader } from "./bytes";
import { takeResponse } from "./data";
import { zos_syscall } from "./env";
import { fromSlot, fromStatus, setLastError } from "./result";

/** One entry of LIST_CAPS. */
export class CapEntry {
  constructor(public slot: u32, public type: u32, public objectId: u64) {}
}

/** CAP_INSPECT's answer for an occupied slot. */
export class CapInfo {
  constructor(public slot: u32, public type: u32, public perms: u32, public objectId: u64) {}
}

/** The caller's capabilities by slot; an empty list and lastError() on failure. */
export function listCaps(): CapEntry[] {
  const entries = new Array<CapEntry>();
  const status = zos_syscall(SYS_LIST_CAPS, 0, 0, 0);
  setLastError(status);
  if (status != E_OK) return entries;
  const reader = new ByteReader(takeResponse());
  const count = reader.u32();
  for (let i: u32 = 0; i < count && reader.ok; i++) {
    const slot = reader.u32();
    const type = reader.u8();
    const objectId = reader.u64();
    if (reader.ok) entries.push(new CapEntry(slot, type, objectId));
  }
  return entries;
}

/** The capability in `slot`, or null when the slot is empty. */
export function capInspect(slot: u32): CapInfo | null {
  if (zos_syscall(SYS_CAP_INSPECT, <i32>slot, 0, 0) != 1) return null;
  const reader = new ByteReader(takeResponse());
  const type = reader.u8();
  const perms = reader.u8();
  reader.u16(); // padding
  const reportedSlot = reader.u32();
  const objectId = reader.u64();
  return reader.ok ? new CapInfo(reportedSlot, type, perms, objectId) : null;
}

/**
 * The first slot holding a capability of `type` to `objectId` with at least
 * `perms`, or -E_NOENT.
 */
export function findCap(type: u32, objectId: u64, perms: u32 = 0): i32 {
  const entries = listCaps();
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    if (entry.type != type || entry.objectId != objectId) continue;
    const info = capInspect(entry.slot);
    if (info != null && (info.perms & perms) == perms) return <i32>entry.slot;
  }
  return -E_NOENT;
}

/** Copies the capability in `sourceSlot` to `toPid` with `perms` (attenuated). Returns the target's slot or -code. */
export function capGrant(sourceSlot: u32, toPid: u32, perms: u32): i32 {
  return fromSlot(zos_syscall(SYS_CAP_GRANT, <i32>sourceSlot, <i32>toPid, <i32>perms));
}

/** Removes everything derived or granted from `slot`, in every process. Returns 0 or -code. */
export function capRevoke(slot: u32): i32 {
  return fromStatus(zos_syscall(SYS_CAP_REVOKE, <i32>slot, 0, 0));
}

/** Empties the caller's own `slot`. Returns 0 or -code. */
export function capDelete(slot: u32): i32 {
  return fromStatus(zos_syscall(SYS_CAP_DELETE, <i32>slot, 0, 0));
}

/** A weaker copy of `slot` in the caller's own CSpace. Returns the new slot or -code. */
export function capDerive(slot: u32, perms: u32): i32 {
  return fromSlot(zos_syscall(SYS_CAP_DERIVE, <i32>slot, <i32>perms, 0));
}

/** Creates an endpoint owned by the caller. Returns its slot (read, write, grant) or -code. */
export function epCreate(): i32 {
  return fromSlot(zos_syscall(SYS_EP_CREATE, EP_CREATE_NEW, 0, 0));
}

/** The id of the endpoint the caller created last (not the ones the kernel made at spawn). */
export function newestEndpointId(): u64 {
  const low = <u32>zos_syscall(SYS_EP_CREATE, EP_CREATE_ID_LOW, 0, 0);
  const high = <u32>zos_syscall(SYS_EP_CREATE, EP_CREATE_ID_HIGH, 0, 0);
  return (<u64>high << 32) | <u64>low;
}
