// zos extensions to the ABI (docs/abi.md §3): reading the logs, killing a
// process, and leases (capabilities that expire).

import { E_OK } from "../kernel/abi";
import { utf8Decode } from "./bytes";
import { takeResponseOfLength } from "./data";
import { LEASE_INFO_SIZE, LeaseInfo } from "./generated/layouts";
import { sysZosAxiom, sysZosKill, sysZosLease, sysZosLeaseLeft } from "./generated/syscalls";
import { errorCode, setLastError } from "./result";

/**
 * The kernel's text about its logs: `kind` is AXIOM_SYSLOG, AXIOM_COMMITS
 * (newest `count` entries), AXIOM_VERIFY or AXIOM_STATE_HASH. Null and
 * lastError() on failure.
 */
export function axiomText(kind: i32, count: i32): string | null {
  const length = sysZosAxiom(kind, count);
  if (length < 0) {
    setLastError(errorCode(length));
    return null;
  }
  setLastError(E_OK);
  return length == 0 ? "" : utf8Decode(takeResponseOfLength(length));
}

/** Ends the process named by a Process capability with write. Returns 0 or -code. */
export function killProcess(processSlot: u32): i32 {
  return sysZosKill(<i32>processSlot);
}

/**
 * A copy of `slot` with `source ∩ perms` in a new slot, which the kernel
 * revokes (with everything made from it) after `ms` milliseconds, or when
 * its source expires if that is sooner. Returns the new slot or -code
 * (-E_INVAL for `ms` outside 1..MAX_LEASE_MS).
 */
export function capLease(slot: u32, perms: u32, ms: i32): i32 {
  return sysZosLease(<i32>slot, <i32>perms, ms);
}

/**
 * When the capability in `slot` expires; null when it never does
 * (lastError() E_OK) or on failure (lastError() says which).
 */
export function leaseLeft(slot: u32): LeaseInfo | null {
  const length = sysZosLeaseLeft(<i32>slot);
  setLastError(errorCode(length));
  if (length < LEASE_INFO_SIZE) return null;
  return LeaseInfo.decode(takeResponseOfLength(length));
}
