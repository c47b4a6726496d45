// One result convention for every wrapper in process-lib.
//
// The kernel reports errors in three shapes (ABI §2): status (0 or a code),
// slot (bit 31 set plus a code) and length (negative code). The generated
// wrappers (generated/syscalls.ts) turn all three into one: a non-negative
// i32 is the success value, a negative i32 is minus the error code.
// Wrappers that return an object return null on failure instead and leave
// the code in lastError().

import { E_OK } from "../kernel/abi";
import { errorMeaning, errorName } from "./generated/names";

/** True when a wrapper's i32 result is an error. */
export function isError(result: i32): bool {
  return result < 0;
}

/** The error code carried by a wrapper's result (E_OK for a success). */
export function errorCode(result: i32): i32 {
  return result < 0 ? -result : E_OK;
}

let lastErrorCode: i32 = E_OK;

/** The error code of the last object-returning wrapper (E_OK if it succeeded or found nothing). */
export function lastError(): i32 {
  return lastErrorCode;
}

/** Records the outcome of an object-returning wrapper; for process-lib's own use. */
export function setLastError(code: i32): void {
  lastErrorCode = code;
}

/** "E_BADF (no capability in that slot)". */
export function describeError(code: i32): string {
  return errorName(code) + " (" + errorMeaning(code) + ")";
}
