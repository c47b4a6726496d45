// The process itself: identity, time, sleeping, yielding, exiting, the process list.

import {
  E_OK, PART_HIGH, PART_LOW, SYS_EXIT, SYS_GET_TIME, SYS_GET_WALLCLOCK, SYS_LIST_PROCS, SYS_SLEEP,
} from "../kernel/abi";
import { ByteReader } from "./bytes";
import { takeResponse } from "./data";
import { zos_get_pid, zos_syscall, zos_yield } from "./env";
import { fromStatus, setLastError } from "./result";

/** Own PID (answered locally, no syscall). */
export function getPid(): u32 {
  return <u32>zos_get_pid();
}

/** Ends the process with `code`; never returns. */
export function exit(code: i32): void {
  zos_syscall(SYS_EXIT, code, 0, 0);
  unreachable(); // the kernel does not answer EXIT
}

/** Gives up the CPU without a syscall; the cheap way to wait in a retry loop. */
export function yieldCpu(): void {
  zos_yield();
}

/** Sleeps for `ns` nanoseconds. Returns 0 or -code. */
export function sleep(ns: u64): i32 {
  return fromStatus(zos_syscall(SYS_SLEEP, <i32>ns, <i32>(ns >> 32), 0));
}

/** Sleeps for `ms` milliseconds. Returns 0 or -code. */
export function sleepMs(ms: u64): i32 {
  return sleep(ms * 1_000_000);
}

/** Nanoseconds since boot. */
export function time(): u64 {
  return readSplitClock(SYS_GET_TIME);
}

/** Milliseconds since the Unix epoch. */
export function wallclock(): u64 {
  return readSplitClock(SYS_GET_WALLCLOCK);
}

// A clock read in two halves can tear when the low half wraps between the
// calls; reading the high half on both sides detects that.
function readSplitClock(num: i32): u64 {
  let high = <u32>zos_syscall(num, PART_HIGH, 0, 0);
  while (true) {
    const low = <u32>zos_syscall(num, PART_LOW, 0, 0);
    const highAfter = <u32>zos_syscall(num, PART_HIGH, 0, 0);
    if (highAfter == high) return (<u64>high << 32) | <u64>low;
    high = highAfter;
  }
}

export class ProcEntry {
  constructor(public pid: u32, public name: string) {}
}

/** The live processes; an empty list and lastError() on failure. */
export function listProcs(): ProcEntry[] {
  const entries = new Array<ProcEntry>();
  const status = zos_syscall(SYS_LIST_PROCS, 0, 0, 0);
  setLastError(status);
  if (status != E_OK) return entries;
  const reader = new ByteReader(takeResponse());
  const count = reader.u32();
  for (let i: u32 = 0; i < count && reader.ok; i++) {
    const pid = reader.u32();
    const name = reader.string16();
    if (reader.ok) entries.push(new ProcEntry(pid, name));
  }
  return entries;
}
