// courier: moves a capability from one process to another with SEND_CAP,
// slowly enough to watch (the labs' SEND_CAP lab uses it).
//
// The first copy finds no service "courier", so it becomes the receiver: it
// registers an endpoint and waits for a line of console input (the Processes
// panel's input box) before it takes anything from that endpoint. The second
// copy is the sender: it looks the receiver up, creates an endpoint of its
// own, derives a write-only capability to it, and moves that capability to
// the receiver with SEND_CAP. The capability leaves the sender's CSpace at
// once and waits in the message, in flight, until the receiver takes it; then
// the receiver answers through it, which proves it arrived and works.

import {
  capDerive, capInspect, describeError, E_EXIST, E_OK, epCreate, errorCode, exit, getPid, isError, lastError,
  lookupService, Message, MSG_APP_STATE, MSG_CONSOLE_INPUT, newestEndpointId, PERM_WRITE, permsString,
  PID_SUPERVISOR, println, receive, registerService, send, sendCap, SLOT_INPUT, SLOT_LOST_IN_TRANSIT, utf8Encode,
} from "../process-lib";

const SERVICE = "courier";
/** How long the sender waits for the receiver's answer before giving up. */
const ANSWER_WAIT_MS: u32 = 300_000;

export function _start(): void {
  const receiver = lookupService(SERVICE);
  if (receiver != null) runSender(receiver.slot);
  else runReceiver();
}

function runReceiver(): void {
  const slot = epCreate();
  if (isError(slot)) fail("cannot create an endpoint", errorCode(slot));
  const registered = registerService(SERVICE, newestEndpointId());
  if (registered == -E_EXIST) fail("another courier is registered already; kill it first", E_EXIST);
  if (isError(registered)) fail("cannot register", errorCode(registered));
  println("courier " + getPid().toString() + ": receiver, registered \"courier\" for my endpoint in slot " + slot.toString() + ".");
  println("  Start a second courier: it will move a capability to me. I take it when I get a line of input.");
  while (true) {
    const input = receive(SLOT_INPUT, true, 0);
    if (input == null) {
      if (lastError() != E_OK) fail("cannot read my input", lastError());
      continue;
    }
    if (input.from != PID_SUPERVISOR || input.tag != MSG_CONSOLE_INPUT) continue; // notices
    const message = receive(<u32>slot, false, 0, 1);
    if (message == null) {
      if (lastError() != E_OK) fail("cannot receive", lastError());
      println("courier " + getPid().toString() + ": nothing has come yet.");
      continue;
    }
    take(message);
    exit(0);
  }
}

/** Takes the capability that came with the message and answers through it. */
function take(message: Message): void {
  const me = getPid().toString();
  const landed = message.movedSlots.length > 0 ? message.movedSlots[0] : SLOT_LOST_IN_TRANSIT;
  if (landed == SLOT_LOST_IN_TRANSIT) {
    println("courier " + me + ": the message from pid " + message.from.toString() + " came, but its capability was " +
      "lost in transit: revoked (or its object gone) while it waited.");
    return;
  }
  const info = capInspect(<u32>landed);
  println("courier " + me + ": took the message from pid " + message.from.toString() + ": \"" + message.text() + "\".");
  println("  The capability landed in my slot " + landed.toString() + (info != null ? ", " + permsString(info.perms) +
    " to endpoint " + info.objectId.toString() : "") + ". Answering through it.");
  const sent = send(<u32>landed, MSG_APP_STATE, utf8Encode("thanks, from pid " + me));
  if (isError(sent)) fail("cannot answer through it", errorCode(sent));
}

function runSender(receiverSlot: u32): void {
  const me = getPid().toString();
  const mine = epCreate();
  if (isError(mine)) fail("cannot create an endpoint", errorCode(mine));
  const ticket = capDerive(<u32>mine, PERM_WRITE);
  if (isError(ticket)) fail("cannot derive", errorCode(ticket));
  const moved = sendCap(receiverSlot, MSG_APP_STATE, utf8Encode("a way to answer me"), [<u32>ticket]);
  if (isError(moved)) fail("SEND_CAP failed", errorCode(moved));
  println("courier " + me + ": sender. Moved my slot " + ticket.toString() + " (-w- to my endpoint in slot " +
    mine.toString() + ") to the receiver with SEND_CAP: my slot " + ticket.toString() + " is empty now " +
    (capInspect(<u32>ticket) == null ? "(checked)" : "(it is not!)") + ", and the capability waits in the message.");
  const answer = receive(<u32>mine, true, ANSWER_WAIT_MS);
  if (answer == null) {
    if (lastError() == E_OK) println("courier " + me + ": no answer came; giving up.");
    else println("courier " + me + ": waiting for the answer failed: " + describeError(lastError()));
    exit(1);
    return;
  }
  println("courier " + me + ": the answer came through the capability I moved: \"" + answer.text() + "\".");
  exit(0);
}

function fail(what: string, code: i32): void {
  println("courier: " + what + ": " + describeError(code));
  exit(1);
}
