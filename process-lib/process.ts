// The process itself: identity, time, sleeping, yielding, exiting, the process list.

import { PART_HIGH, PART_LOW } from "../kernel/abi";
import { takeResponse } from "./data";
import { zos_get_pid, zos_yield } from "./generated/env";
import { decodeProcList, ProcEntry } from "./generated/layouts";
import { sysExit, sysGetTime, sysGetWallclock, sysListProcs, sysSleep } from "./generated/syscalls";
import { isError, setLastError } from "./result";

/** Own PID (answered locally, no syscall). */
export function getPid(): u32 {
  return <u32>zos_get_pid();
}

/** Ends the process with `code`; never returns. */
export function exit(code: i32): void {
  sysExit(code); // the kernel does not answer EXIT
}

/** Gives up the CPU without a syscall; the cheap way to wait in a retry loop. */
export function yieldCpu(): void {
  zos_yield();
}

/** Sleeps for `ns` nanoseconds. Returns 0 or -code. */
export function sleep(ns: u64): i32 {
  return sysSleep(<i32>ns, <i32>(ns >> 32));
}

/** Sleeps for `ms` milliseconds. Returns 0 or -code. */
export function sleepMs(ms: u64): i32 {
  return sleep(ms * 1_000_000);
}

/** Nanoseconds since boot. */
export function time(): u64 {
  return readSplitClock(sysGetTime);
}

/** Milliseconds since the Unix epoch. */
export function wallclock(): u64 {
  return readSplitClock(sysGetWallclock);
}

// A clock read in two halves can tear when the low half wraps between the
// calls; reading the high half on both sides detects that.
function readSplitClock(half: (part: i32) => i32): u64 {
  let high = <u32>half(PART_HIGH);
  while (true) {
    const low = <u32>half(PART_LOW);
    const highAfter = <u32>half(PART_HIGH);
    if (highAfter == high) return (<u64>high << 32) | <u64>low;
    high = highAfter;
  }
}

/** The live processes; an empty list and lastError() on failure. */
export function listProcs(): ProcEntry[] {
  const status = sysListProcs();
  setLastError(-status);
  return isError(status) ? new Array<ProcEntry>() : decodeProcList(takeResponse());
}
