// Commands about the shell itself: echo, clear, exit (help is in help.ts).

import { exit, print, println } from "../../process-lib";
import { CommandLine } from "./command-line";

export function echo(line: CommandLine): bool {
  println(line.rest(1));
  return true;
}

export function clear(line: CommandLine): bool {
  if (line.count != 1) return false;
  print("\x1b[2J\x1b[H");
  return true;
}

export function exitShell(line: CommandLine): bool {
  const code = line.count > 1 ? line.number(1) : 0;
  if (line.count > 2 || code < 0) return false;
  exit(<i32>code);
  return true;
}
