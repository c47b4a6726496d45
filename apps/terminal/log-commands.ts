// Commands about the kernel's logs and clock: log, commits, verify, time.
// Their text comes from ZOS_AXIOM unchanged (the conformance suite parses it).

import {
  AXIOM_COMMITS, AXIOM_SYSLOG, AXIOM_VERIFY, axiomText, errorMeaning, lastError, print, println, time, wallclock,
} from "../../process-lib";
import { CommandLine } from "./command-line";
import { refuse } from "./explain";

const DEFAULT_LOG_COUNT = 10;

export function log(line: CommandLine): bool {
  return showAxiom(line, AXIOM_SYSLOG);
}

export function commits(line: CommandLine): bool {
  return showAxiom(line, AXIOM_COMMITS);
}

export function verify(line: CommandLine): bool {
  if (line.count != 1) return false;
  return showAxiom(line, AXIOM_VERIFY);
}

function showAxiom(line: CommandLine, kind: i32): bool {
  const count = line.count > 1 ? line.number(1) : DEFAULT_LOG_COUNT;
  if (line.count > 2 || count < 0) return false;
  const text = axiomText(kind, <i32>count);
  if (text == null) return refuse(line.word(0), lastError(), errorMeaning(lastError()));
  print(text.endsWith("\n") || text.length == 0 ? text : text + "\n");
  return true;
}

export function showTime(line: CommandLine): bool {
  if (line.count != 1) return false;
  const ns = time();
  const millis = (ns / 1_000_000) % 1000;
  println("uptime: " + ns.toString() + " ns (" + (ns / 1_000_000_000).toString() + "." +
    millis.toString().padStart(3, "0") + " s since boot)");
  println("wallclock: " + wallclock().toString() + " ms since the Unix epoch");
  return true;
}
