// spinner: announces itself, then spins forever with no syscalls at all.
// Only the supervisor can stop it (a CPU limit or a kill): a test for
// preemption of a process that never enters the kernel.

import { println } from "../process-lib";

// Each turn stores to memory, an effect the optimizer must keep, so the
// loop survives as real work rather than an empty branch.
const spins = memory.data(8);

export function _start(): void {
  println("spinning");
  while (true) store<u64>(spins, load<u64>(spins) + 1);
}
