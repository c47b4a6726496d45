// One result convention for every wrapper in process-lib.
//
// The kernel reports errors in three shapes (ABI §2): status (0 or a code),
// slot (bit 31 set plus a code) and length (negative code). The wrappers turn
// all three into one: a non-negative i32 is the success value, a negative i32
// is minus the error code. Wrappers that return an object return null on
// failure instead and leave the code in lastError().

import {
  E_OK, E_PERM, E_NOENT, E_INVAL, E_NOSYS, E_AGAIN, E_NOMEM, E_BADF, E_BUSY, E_EXIST, E_OVERFLOW,
  SLOT_ERROR_BIT,
} from "../kernel/abi";

/** True when a wrapper's i32 result is an error. */
export function isError(result: i32): bool {
  return result < 0;
}

/** The error code carried by a wrapper's result (E_OK for a success). */
export function errorCode(result: i32): i32 {
  return result < 0 ? -result : E_OK;
}

/** A status-shaped kernel result in the common convention. */
export function fromStatus(status: i32): i32 {
  return -status;
}

/** A slot-shaped kernel result in the common convention. */
export function fromSlot(raw: i32): i32 {
  return raw & SLOT_ERROR_BIT ? -(raw & ~SLOT_ERROR_BIT) : raw;
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

/** The symbolic name of an error code, e.g. "E_BADF". */
export function errorName(code: i32): string {
  switch (code) {
    case E_OK: return "E_OK";
    case E_PERM: return "E_PERM";
    case E_NOENT: return "E_NOENT";
    case E_INVAL: return "E_INVAL";
    case E_NOSYS: return "E_NOSYS";
    case E_AGAIN: return "E_AGAIN";
    case E_NOMEM: return "E_NOMEM";
    case E_BADF: return "E_BADF";
    case E_BUSY: return "E_BUSY";
    case E_EXIST: return "E_EXIST";
    case E_OVERFLOW: return "E_OVERFLOW";
    default: return "E_" + code.toString();
  }
}

/** What an error code means, in a few words. */
export function errorMeaning(code: i32): string {
  switch (code) {
    case E_OK: return "success";
    case E_PERM: return "permission denied";
    case E_NOENT: return "no such process, endpoint or entry";
    case E_INVAL: return "invalid argument";
    case E_NOSYS: return "not implemented";
    case E_AGAIN: return "queue full, try again";
    case E_NOMEM: return "out of memory or slots";
    case E_BADF: return "no capability in that slot";
    case E_BUSY: return "busy";
    case E_EXIST: return "already exists";
    case E_OVERFLOW: return "too much data";
    default: return "unknown error";
  }
}

/** "E_BADF (no capability in that slot)". */
export function describeError(code: i32): string {
  return errorName(code) + " (" + errorMeaning(code) + ")";
}
