// Serve mode: the shell keeps receiving on an endpoint it owns and prints
// each message as it arrives, while the student goes on typing commands
// (`reply` answers a CALL). An empty line or Ctrl+C leaves it; the shell
// goes on.
//
// A process has one thread and RECEIVE waits on one endpoint, so while
// serving the main loop waits on slot 1 (what is typed) for at most
// SERVE_TURN_MS, then takes what has come to the served endpoint without
// waiting. Typing is answered at once; a message waits at most one turn.
// Each turn is two RECEIVEs in the SysLog, which is what a single-threaded
// server watching two queues costs.

import { E_BADF, E_OK, lastError, Message, print, println, receive } from "../../process-lib";
import { refuse, TO_RECEIVE, whyRefused } from "./explain";
import { mayWaitForReply, printMessage } from "./messages";

/** How long the main loop waits for typed input while serving, in ms. */
export const SERVE_TURN_MS: u32 = 200;
/** Messages printed per turn at most, so that typing is never starved. */
const MESSAGES_PER_TURN = 16;

const SHELL_PROMPT = "zos$ ";

let serving = false;
let servedSlot: u32 = 0;
/** Who sent while serving and got no reply from this shell since: a caller among them still waits. */
let unanswered = new Array<u32>();

export function isServing(): bool {
  return serving;
}

/** "zos$ ", or "zos[serve 0]$ " while serving slot 0. */
export function prompt(): string {
  return serving ? "zos[serve " + servedSlot.toString() + "]$ " : SHELL_PROMPT;
}

/**
 * Starts serving `slot`, after a first RECEIVE that the kernel may refuse
 * (only the endpoint's owner receives, and only with r). Prints what
 * happened; the message the first RECEIVE took, if any, is printed too.
 */
export function startServing(slot: u32): void {
  const first = receive(slot, false, 0);
  if (first == null && lastError() != E_OK) {
    refuse("serve", lastError(), whyRefused(lastError(), slot, TO_RECEIVE));
    return;
  }
  if (serving && servedSlot != slot) println("stopped serving slot " + servedSlot.toString());
  serving = true;
  servedSlot = slot;
  println("serving slot " + slot.toString() + ": each message sent to it is printed here as it arrives.");
  println("  A CALL waits for your answer: reply <pid> <tag> <text>.");
  println("  Other commands work as usual; an empty line or Ctrl+C stops serving.");
  if (first != null) show(first);
}

/** Leaves serve mode, saying why and who may still be waiting for a reply. */
export function stopServing(why: string): void {
  if (!serving) return;
  serving = false;
  println("stopped serving slot " + servedSlot.toString() + ": " + why);
  if (unanswered.length == 0) return;
  const pids = new Array<string>();
  for (let i = 0; i < unanswered.length; i++) pids.push("pid " + unanswered[i].toString());
  println(unanswered.length == 1
    ? "  pid " + unanswered[0].toString() + " got no reply: if it sent a CALL, it still waits (reply " +
      unanswered[0].toString() + " <tag> <text>)"
    : "  " + pids.join(", ") + " got no reply: a caller among them still waits (reply <pid> <tag> <text>)");
  unanswered = new Array<u32>();
}

/** A REPLY to `pid` went through: it waits no more. */
export function onReplied(pid: u32): void {
  const at = unanswered.indexOf(pid);
  if (at >= 0) unanswered.splice(at, 1);
}

/** A capability of the shell's was removed (a CAP_REVOKED notice, for `reason`): serving it ends. */
export function onCapabilityGone(slot: u32, reason: string): void {
  if (serving && slot == servedSlot) stopServing("its capability was revoked (" + reason + ")");
}

/**
 * One turn of serving, from the main loop while the prompt is showing:
 * prints what has arrived on the served endpoint, each on lines of its own,
 * then the prompt again.
 */
export function pollServed(): void {
  let printed = false;
  for (let i = 0; i < MESSAGES_PER_TURN && serving; i++) {
    const message = receive(servedSlot, false, 0);
    if (message == null) {
      if (lastError() == E_OK) break;
      if (!printed) println("");
      const code = lastError();
      stopServing(code == E_BADF ? "slot " + servedSlot.toString() + " is empty now (deleted, revoked, or its endpoint ended)"
        : whyRefused(code, servedSlot, TO_RECEIVE));
      printed = true;
      break;
    }
    if (!printed) println("");
    show(message);
    printed = true;
  }
  if (printed) print(prompt());
}

function show(message: Message): void {
  printMessage("[slot " + servedSlot.toString() + "] ", message);
  if (mayWaitForReply(message) && !unanswered.includes(message.from)) unanswered.push(message.from);
}
