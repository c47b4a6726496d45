// Commands about messages: send, recv, call, reply, serve.

import {
  call, capInspect, DEFAULT_QUEUE_CAPACITY, E_AGAIN, E_INVAL, E_NOENT, E_OK, E_OVERFLOW, errorCode, errorMeaning, isError,
  lastError, MAX_PAYLOAD, OBJ_ENDPOINT, PERM_WRITE, println, receive, reply, send, SLOT_SELF, utf8Encode,
} from "../../process-lib";
import { CommandLine } from "./command-line";
import { bytesWords, Need, objectWords, refuse, TO_CALL, TO_RECEIVE, TO_SEND, whyRefused } from "./explain";
import { isInputEndpoint, ownsEndpoint } from "./identity";
import { describeMessage, printMessage, tagWords } from "./messages";
import { onReplied, startServing } from "./serve";

/** What send, call and reply take: `<slot or pid> <tag> <text>`. */
class MessageArgs {
  constructor(public target: u32, public tag: u32, public payload: Uint8Array) {}

  /** Null when the arguments are wrong. */
  static parse(line: CommandLine): MessageArgs | null {
    const target = line.number(1);
    const tag = line.number(2);
    if (line.count < 4 || target < 0 || tag < 0) return null;
    return new MessageArgs(<u32>target, <u32>tag, utf8Encode(line.rest(3)));
  }
}

export function sendText(line: CommandLine): bool {
  const args = MessageArgs.parse(line);
  if (args == null) return false;
  const slot = args.target;
  const result = send(slot, args.tag, args.payload);
  if (isError(result)) return refuse("send", errorCode(result), whySendFailed(errorCode(result), slot, args.payload, TO_SEND));
  println("sent " + bytesWords(args.payload.byteLength) + " to " + endpointOf(slot) + ", tag " + tagWords(args.tag));
  return true;
}

export function recv(line: CommandLine): bool {
  const slot = line.number(1);
  if (line.count != 2 || slot < 0) return false;
  const message = receive(<u32>slot, false, 0);
  if (message == null) {
    if (lastError() != E_OK) return refuse("recv", lastError(), whyRefused(lastError(), <u32>slot, TO_RECEIVE));
    println("no message");
    return true;
  }
  printMessage("", message);
  return true;
}

export function callText(line: CommandLine): bool {
  const args = MessageArgs.parse(line);
  if (args == null) return false;
  const slot = args.target;
  // Said before the CALL, which blocks: the shell hears nothing more until the answer.
  const info = capInspect(slot);
  if (info != null && info.type == OBJ_ENDPOINT && (info.perms & PERM_WRITE) != 0 && !ownsEndpoint(info.objectId)) {
    println("calling " + endpointOf(slot) + ", tag " + tagWords(args.tag) + ": this shell waits for the server's REPLY");
  }
  const answer = call(slot, args.tag, args.payload);
  if (answer == null) {
    const code = lastError();
    if (code == E_INVAL) {
      return refuse("call", code, "this shell owns " + endpointOf(slot) + ": a CALL to itself would wait " +
        "forever, since the shell cannot answer while it waits (send to it, or call another process's endpoint)");
    }
    if (code == E_NOENT) {
      return refuse("call", code, "no REPLY will come: the endpoint's owner ended (before or while answering), " +
        "or the endpoint is gone");
    }
    return refuse("call", code, whySendFailed(code, slot, args.payload, TO_CALL));
  }
  println("reply " + describeMessage(answer));
  return true;
}

export function replyText(line: CommandLine): bool {
  const args = MessageArgs.parse(line);
  if (args == null) return false;
  const pid = args.target;
  const result = reply(pid, args.tag, args.payload);
  if (result == -E_NOENT) {
    return refuse("reply", E_NOENT, "no CALL from pid " + pid.toString() + " is waiting for this shell's answer: " +
      "only the process that received a CALL may answer it, once, so replies can't be forged");
  }
  if (isError(result)) {
    const code = errorCode(result);
    return refuse("reply", code, code == E_OVERFLOW ? tooLong(args.payload) : errorMeaning(code));
  }
  onReplied(pid);
  println("replied to pid " + pid.toString() + " with tag " + tagWords(args.tag) + ", " +
    bytesWords(args.payload.byteLength) + ": its CALL returns now");
  return true;
}

export function serve(line: CommandLine): bool {
  const slot = line.count > 1 ? line.number(1) : SLOT_SELF;
  if (line.count > 2 || slot < 0) return false;
  const info = capInspect(<u32>slot);
  if (info != null && info.type == OBJ_ENDPOINT && isInputEndpoint(info.objectId)) {
    println("serve: slot " + slot.toString() + " is this shell's input, where what you type arrives: the shell " +
      "reads it already. Serve slot 0 (this shell's own endpoint) or an endpoint from ep");
    return true;
  }
  startServing(<u32>slot);
  return true;
}

/** "endpoint 9 (slot 3)", or "slot 3" when it holds no endpoint. */
function endpointOf(slot: u32): string {
  const info = capInspect(slot);
  if (info == null || info.type != OBJ_ENDPOINT) return "slot " + slot.toString();
  return objectWords(info.type, info.objectId) + " (slot " + slot.toString() + ")";
}

/** Why a SEND or CALL of `payload` on `slot` failed. */
function whySendFailed(code: i32, slot: u32, payload: Uint8Array, need: Need): string {
  if (code == E_AGAIN) {
    return "the endpoint's queue is full (" + DEFAULT_QUEUE_CAPACITY.toString() + " messages its owner has not " +
      "received yet); nothing was sent, nothing lost: try again later";
  }
  if (code == E_OVERFLOW) return tooLong(payload);
  if (code == E_NOENT) return "the endpoint is gone: its owner ended";
  return whyRefused(code, slot, need);
}

function tooLong(payload: Uint8Array): string {
  return "the text is " + bytesWords(payload.byteLength) + ", more than a message carries (" + MAX_PAYLOAD.toString() + ")";
}
