// terminal: the zos shell.
//
// Everything arrives on slot 1: console input (CONSOLE_INPUT, UTF-8 text,
// possibly several lines) and the kernel's CAP_REVOKED notices, both from
// PID 0. A message without a trailing newline still ends its last line.
// Ctrl+C ("\x03") kills the foreground program.

import {
  CapRevokedNotice, E_OK, lastError, Message, MSG_CAP_REVOKED, MSG_CONSOLE_INPUT, objectTypeName, PID_SUPERVISOR,
  print, println, receive, revokeReasonName, SLOT_INPUT, yieldCpu,
} from "../../process-lib";
import { CommandLine } from "./command-line";
import { commandTable } from "./commands";
import { interrupt, onCapabilityGone } from "./foreground";

const PROMPT = "zos$ ";
const CTRL_C = "\x03";

export function _start(): void {
  println("zos terminal. Type help for the commands.");
  print(PROMPT);
  while (true) {
    const message = receive(SLOT_INPUT, true, 0);
    if (message == null) {
      if (lastError() != E_OK) yieldCpu(); // don't spin on a persistent error
      continue;
    }
    if (message.from != PID_SUPERVISOR) continue; // slot 1 is the supervisor's and the kernel's
    if (message.tag == MSG_CONSOLE_INPUT) onInput(message.text());
    else if (message.tag == MSG_CAP_REVOKED) onRevoked(message);
  }
}

function onInput(text: string): void {
  const lines = text.split("\n");
  // "ls\n" splits into "ls" and "": the final "" only ends the last line.
  if (lines.length > 1 && lines[lines.length - 1].length == 0) lines.pop();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replaceAll("\r", "");
    if (line.includes(CTRL_C)) interrupt();
    else if (line.trim().length > 0) run(new CommandLine(line));
    print(PROMPT);
  }
}

function run(line: CommandLine): void {
  const name = line.word(0);
  const commands = commandTable();
  for (let i = 0; i < commands.length; i++) {
    const command = commands[i];
    if (command.name != name) continue;
    if (!command.run(line)) println(command.usage());
    return;
  }
  println("unknown command: " + name + " (try help)");
}

// Notices arrive while the prompt is showing: print on a line of their own,
// then show the prompt again.
function onRevoked(message: Message): void {
  const notice = CapRevokedNotice.decode(message.payload);
  if (notice == null) return;
  println("");
  println(
    "[revoked] slot " + notice.slot.toString() + " (type " + objectTypeName(notice.objectType) + ", object " +
    notice.objectId.toString() + ", reason: " + revokeReasonName(notice.reason) + ")",
  );
  onCapabilityGone(notice.slot);
  print(PROMPT);
}
