// zos extensions to the ABI (docs/abi.md §3): reading the logs and killing a process.

import { E_OK } from "../kernel/abi";
import { utf8Decode } from "./bytes";
import { takeResponseOfLength } from "./data";
import { sysZosAxiom, sysZosKill } from "./generated/syscalls";
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
