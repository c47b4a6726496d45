// Received messages in words: who sent them (the kernel stamps the
// sender's PID; PID 0 is the kernel and the console), the tag by name, the
// payload as text, or decoded when it is a CAP_REVOKED notice, and how to
// answer it if it was a CALL.

import {
  CapRevokedNotice, getPid, Message, MSG_CAP_REVOKED, MSG_CONSOLE_INPUT, PID_SUPERVISOR, println,
  revokeReasonName, tagName,
} from "../../process-lib";
import { bytesWords, objectWords } from "./explain";

/** Payload bytes shown in hex when the payload is not text. */
const HEX_SHOWN = 32;

/** "APP_STATE (0x2000)" for a tag with a name, "0x10" for one without. */
export function tagWords(tag: u32): string {
  const hex = "0x" + tag.toString(16);
  const name = tagName(tag);
  return name == hex ? hex : name + " (" + hex + ")";
}

/** "from pid 5, tag 0x10, 5 bytes: hello"; a notice decoded, binary shown in hex. */
export function describeMessage(message: Message): string {
  const size = message.payload.byteLength;
  return "from " + senderWords(message) + ", tag " + tagWords(message.tag) + ", " + bytesWords(size) +
    (size > 0 ? ": " + contentWords(message) : "");
}

/**
 * Prints a received message after `prefix`, and how to answer it when it
 * may have been a CALL: the kernel does not say whether a message was sent
 * or called, but only a caller waits, and only the receiver may answer.
 * Messages no one waits on (the kernel's, the shell's own) get no hint.
 */
export function printMessage(prefix: string, message: Message): void {
  println(prefix + describeMessage(message));
  if (mayWaitForReply(message)) {
    const pid = message.from.toString();
    println("  (if it was a CALL, pid " + pid + " waits for your answer: reply " + pid + " <tag> <text>)");
  }
}

/** Whether the sender may be a caller waiting for this shell's REPLY. */
export function mayWaitForReply(message: Message): bool {
  return message.from != PID_SUPERVISOR && message.from != getPid();
}

/** "slot 5 (endpoint 7) was revoked: expired". */
export function noticeWords(notice: CapRevokedNotice): string {
  return "slot " + notice.slot.toString() + " (" + objectWords(notice.objectType, notice.objectId) +
    ") was revoked: " + revokeReasonName(notice.reason);
}

function senderWords(message: Message): string {
  const pid = "pid " + message.from.toString();
  if (message.from == PID_SUPERVISOR) return pid + (message.tag == MSG_CONSOLE_INPUT ? " (console input)" : " (the kernel)");
  if (message.from == getPid()) return pid + " (this shell)";
  return pid;
}

function contentWords(message: Message): string {
  if (message.tag == MSG_CAP_REVOKED) {
    const notice = CapRevokedNotice.decode(message.payload);
    if (notice != null) {
      return "notice: " + noticeWords(notice) + (message.from == PID_SUPERVISOR ? ""
        : " (a claim: pid " + message.from.toString() + " sent it, and real notices come only from the kernel, pid 0)");
    }
  }
  return isText(message.payload) ? message.text() : hexWords(message.payload);
}

/** No control characters but tab, line feed and carriage return. */
function isText(bytes: Uint8Array): bool {
  for (let i = 0; i < bytes.byteLength; i++) {
    const byte = bytes[i];
    if ((byte < 0x20 && byte != 9 && byte != 10 && byte != 13) || byte == 0x7f) return false;
  }
  return true;
}

function hexWords(bytes: Uint8Array): string {
  const shown = min(bytes.byteLength, HEX_SHOWN);
  let text = "(binary)";
  for (let i = 0; i < shown; i++) text += " " + (<u32>bytes[i]).toString(16).padStart(2, "0");
  return shown < bytes.byteLength ? text + " …" : text;
}
