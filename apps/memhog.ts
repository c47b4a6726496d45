// memhog: grows memory a page at a time until the process memory limit
// stops it (memory.grow returns -1; ABI §1), then reports and exits 0.

import { exit, println } from "../process-lib";

const REPORT_EVERY_PAGES = 64;
const PAGES_PER_MIB = 16;

export function _start(): void {
  while (memory.grow(1) >= 0) {
    const pages = memory.size();
    if (pages % REPORT_EVERY_PAGES == 0) println("memhog: " + pages.toString() + " pages (" + mib(pages) + " MiB)");
  }
  const pages = memory.size();
  println("memhog: stopped at " + pages.toString() + " pages (" + mib(pages) + " MiB)");
  exit(0);
}

/** Pages as MiB with one decimal, e.g. "16.0". */
function mib(pages: i32): string {
  const tenths = pages * 10 / PAGES_PER_MIB;
  return (tenths / 10).toString() + "." + (tenths % 10).toString();
}
