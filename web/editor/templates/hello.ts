// hello: the smallest program. It prints its PID and exits 0.
//
// Every program exports _start; the runtime calls it after instantiation.
// Edit the text, press Run (Ctrl+Enter): the program is compiled in this
// page, checked against the ABI and started in a terminal tab of its own.

import { exit, getPid, println } from "../process-lib";

export function _start(): void {
  println("Hello from my own program! I am pid " + getPid().toString());
  exit(0);
}
