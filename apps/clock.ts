// clock: prints the time since boot once a second, until killed, or K times
// in all once the number K arrives as console input.

import { exit, pollConsoleNumber, println, sleep, time } from "../process-lib";

const SECOND_NS: u64 = 1_000_000_000;

export function _start(): void {
  const start = time();
  let limit: i64 = -1; // none: tick forever
  for (let tick: u64 = 1; ; tick++) {
    const given = pollConsoleNumber();
    if (given >= 0) limit = given;
    if (limit >= 0 && tick > <u64>limit) exit(0);
    println("tick " + tick.toString() + ": " + (time() / 1_000_000).toString() + " ms since boot");
    // Sleep to the next whole second after the start, so ticks don't drift.
    const next = start + tick * SECOND_NS;
    const now = time();
    if (next > now) sleep(next - now);
  }
}
