// The sender/receiver stream: what both ends agree on.
//
// The receiver registers STREAM_SERVICE; the sender sends `count` messages
// tagged STREAM_TAG whose payload is `seq u32` followed by filler, with seq
// running 0..count-1. Both take an optional count as console input.

import { MSG_APP_STATE, pollConsoleNumber } from "../../process-lib";

export const STREAM_SERVICE = "receiver";
export const STREAM_TAG: u32 = MSG_APP_STATE;
const DEFAULT_COUNT: u32 = 10000;
const MESSAGE_BYTES = 32;

/** The count given as console input before the program started, else the default. */
export function streamCount(): u32 {
  const given = pollConsoleNumber();
  return given >= 0 ? <u32>given : DEFAULT_COUNT;
}

/** A message buffer with its filler; setSeq() fills in the sequence number. */
export function newStreamMessage(): Uint8Array {
  const message = new Uint8Array(MESSAGE_BYTES);
  for (let i = 4; i < MESSAGE_BYTES; i++) message[i] = <u8>i;
  return message;
}

export function setSeq(message: Uint8Array, seq: u32): void {
  store<u32>(message.dataStart, seq);
}

/** The sequence number of a received payload, or -1 if it is too short to hold one. */
export function readSeq(payload: Uint8Array): i64 {
  return payload.byteLength >= 4 ? <i64>load<u32>(payload.dataStart) : -1;
}
