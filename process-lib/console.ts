// Text out (the debug log and the process's own console) and console input.

import { E_AGAIN, MAX_REQUEST_DATA, MSG_CONSOLE_INPUT, PID_SUPERVISOR, SLOT_INPUT } from "../kernel/abi";
import { utf8Decode, utf8Encode } from "./bytes";
import { putRequest } from "./data";
import { zos_yield } from "./generated/env";
import { sysConsoleWrite, sysDebug } from "./generated/syscalls";
import { receive } from "./ipc";
import { parseU32 } from "./names";

/** Writes a line to the debug log. Returns 0 or -code. */
export function debug(text: string): i32 {
  const bytes = utf8Encode(text);
  putRequest(bytes);
  return sysDebug(bytes.byteLength);
}

/**
 * Writes text to the process's console. A full console (E_AGAIN) is waited
 * out with yields, so no text is lost. Returns 0 or -code.
 */
export function print(text: string): i32 {
  const bytes = utf8Encode(text);
  let offset = 0;
  while (offset < bytes.byteLength) {
    const chunk = bytes.subarray(offset, min(offset + MAX_REQUEST_DATA, bytes.byteLength));
    putRequest(chunk); // request data is cleared after every syscall, so again on each try
    const status = sysConsoleWrite(chunk.byteLength);
    if (status == -E_AGAIN) {
      zos_yield();
      continue;
    }
    if (status < 0) return status;
    offset += chunk.byteLength;
  }
  return 0;
}

/** print() plus a newline. */
export function println(text: string): i32 {
  return print(text + "\n");
}

/**
 * The text of the next console input already waiting on slot 1, or null.
 * Never blocks. Other messages queued before it on slot 1 (revocation
 * notices) are consumed and dropped: use it only where they don't matter.
 */
export function pollConsoleInput(): string | null {
  while (true) {
    const message = receive(SLOT_INPUT, false, 0);
    if (message == null) return null;
    if (message.tag == MSG_CONSOLE_INPUT && message.from == PID_SUPERVISOR) return utf8Decode(message.payload);
  }
}

/**
 * A number (decimal or 0x hex) given as console input that is already
 * waiting, or -1: how programs take an optional argument. Same caveats as
 * pollConsoleInput().
 */
export function pollConsoleNumber(): i64 {
  const text = pollConsoleInput();
  return text != null ? parseU32(text.trim()) : -1;
}
