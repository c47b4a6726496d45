// terminal: the zos shell.
//
// Everything arrives on slot 1: console input (CONSOLE_INPUT, UTF-8 text,
// possibly several lines) and the kernel's CAP_REVOKED notices, both from
// PID 0. A message without a trailing newline still ends its last line.
// Ctrl+C ("\x03") leaves serve mode, or else kills the foreground program.
// While serving (serve.ts), the wait on slot 1 is cut into turns, between
// which the served endpoint is read.

import {
  CapRevokedNotice, E_BADF, E_OK, exit, lastError, Message, MSG_CAP_REVOKED, MSG_CONSOLE_INPUT, objectTypeName, PID_SUPERVISOR,
  print, println, receive, revokeReasonName, SLOT_INPUT, yieldCpu,
} from "../../process-lib";
import { CommandLine } from "./command-line";
import { findCommand } from "./commands";
import { interrupt, onCapabilityGone } from "./foreground";
import { unknownCommand } from "./help";
import { learnOwnEndpoints } from "./identity";
import * as serve from "./serve";

const CTRL_C = "\x03";

export function _start(): void {
  learnOwnEndpoints();
  println("zos terminal. Type help for the commands.");
  print(serve.prompt());
  while (true) {
    const message = receive(SLOT_INPUT, true, serve.isServing() ? serve.SERVE_TURN_MS : 0);
    if (message != null) onInputMessage(message);
    else if (lastError() == E_BADF) deaf();
    else if (lastError() != E_OK) yieldCpu(); // don't spin on a persistent error
    if (serve.isServing()) serve.pollServed();
  }
}

// Slot 1 was deleted (delete 1 yes): console input goes only to an
// endpoint the process owns in its slot 1, so nothing typed can reach the
// shell any more. Waiting on would only fill the SysLog with refusals.
function deaf(): void {
  println("");
  println("slot " + SLOT_INPUT.toString() + " is empty: nothing you type can reach this shell any more, so it exits");
  exit(0);
}

function onInputMessage(message: Message): void {
  if (message.from != PID_SUPERVISOR) return; // slot 1 is the supervisor's and the kernel's
  if (message.tag == MSG_CONSOLE_INPUT) onInput(message.text());
  else if (message.tag == MSG_CAP_REVOKED) onRevoked(message);
}

function onInput(text: string): void {
  const lines = text.split("\n");
  // "ls\n" splits into "ls" and "": the final "" only ends the last line.
  if (lines.length > 1 && lines[lines.length - 1].length == 0) lines.pop();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replaceAll("\r", "");
    if (line.includes(CTRL_C)) {
      if (serve.isServing()) {
        println("^C");
        serve.stopServing("Ctrl+C; the shell goes on");
      } else {
        interrupt();
      }
    } else if (line.trim().length > 0) {
      run(new CommandLine(line));
    } else if (serve.isServing()) {
      serve.stopServing("an empty line; the shell goes on");
    }
    print(serve.prompt());
  }
}

function run(line: CommandLine): void {
  const command = findCommand(line.word(0));
  if (command == null) unknownCommand(line.word(0));
  else if (!command.run(line)) println(command.usage());
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
  serve.onCapabilityGone(notice.slot, revokeReasonName(notice.reason));
  print(serve.prompt());
}
