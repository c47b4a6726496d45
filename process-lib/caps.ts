// Capabilities: listing, inspecting, granting, deriving, revoking, deleting,
// and creating endpoints.

import { E_NOENT, EP_CREATE_ID_HIGH, EP_CREATE_ID_LOW, EP_CREATE_NEW, SYS_EP_CREATE } from "../kernel/abi";
import { takeResponse } from "./data";
import { zos_syscall } from "./generated/env";
import { CapEntry, CapInfo, decodeCapList, RevokeReport } from "./generated/layouts";
import {
  sysCapDelete, sysCapDerive, sysCapGrant, sysCapInspect, sysCapRevoke, sysEpCreate, sysListCaps,
} from "./generated/syscalls";
import { errorCode, isError, setLastError } from "./result";

/** The caller's capabilities by slot; an empty list and lastError() on failure. */
export function listCaps(): CapEntry[] {
  const status = sysListCaps();
  setLastError(-status);
  return isError(status) ? new Array<CapEntry>() : decodeCapList(takeResponse());
}

/** The capability in `slot`, or null when the slot is empty. */
export function capInspect(slot: u32): CapInfo | null {
  if (sysCapInspect(<i32>slot) != 1) return null;
  return CapInfo.decode(takeResponse());
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
  return sysCapGrant(<i32>sourceSlot, <i32>toPid, <i32>perms);
}

/**
 * Removes everything derived or granted from `slot`, in every process, and
 * says what went (zos: removed, processes, in flight). Null and lastError()
 * on failure.
 */
export function capRevoke(slot: u32): RevokeReport | null {
  const status = sysCapRevoke(<i32>slot);
  setLastError(errorCode(status));
  if (isError(status)) return null;
  const report = RevokeReport.decode(takeResponse());
  return report != null ? report : new RevokeReport(); // a kernel without the report: nothing to tell
}

/** Empties the caller's own `slot`. Returns 0 or -code. */
export function capDelete(slot: u32): i32 {
  return sysCapDelete(<i32>slot);
}

/** A weaker copy of `slot` in the caller's own CSpace. Returns the new slot or -code. */
export function capDerive(slot: u32, perms: u32): i32 {
  return sysCapDerive(<i32>slot, <i32>perms);
}

/** Creates an endpoint owned by the caller. Returns its slot (read, write, grant) or -code. */
export function epCreate(): i32 {
  return sysEpCreate(EP_CREATE_NEW);
}

/** The id of the endpoint the caller created last (not the ones the kernel made at spawn). */
export function newestEndpointId(): u64 {
  // The halves of an id travel in EP_CREATE's slot-shaped result, where bit
  // 31 is the error bit; an id's low half may have it set, so read them raw.
  const low = <u32>zos_syscall(SYS_EP_CREATE, EP_CREATE_ID_LOW, 0, 0);
  const high = <u32>zos_syscall(SYS_EP_CREATE, EP_CREATE_ID_HIGH, 0, 0);
  return (<u64>high << 32) | <u64>low;
}
