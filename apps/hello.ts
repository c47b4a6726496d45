// hello: the smallest zos program. Greets, then exits 0.

import { exit, getPid, println } from "../process-lib";

export function _start(): void {
  println("Hello from zos! I am pid " + getPid().toString());
  exit(0);
}
