// Messages: SEND, RECEIVE, CALL, REPLY and SEND_CAP.

import {
  E_INVAL, E_OK, E_OVERFLOW, RECV_BLOCK, SEND_CAP_COUNT_SHIFT, SEND_CAP_LEN_MASK, SLOT_LOST_IN_TRANSIT,
} from "../kernel/abi";
import { ByteReader, ByteWriter, utf8Decode } from "./bytes";
import { putRequest, takeResponseOfLength } from "./data";
import { MESSAGE_HEADER_SIZE, MessageHeader } from "./generated/layouts";
import { sysCall, sysReceive, sysReply, sysSend, sysSendCap } from "./generated/syscalls";
import { errorCode, setLastError } from "./result";

/** A received message or a reply. */
export class Message {
  constructor(
    public from: u32,
    public tag: u32,
    public payload: Uint8Array,
    /**
     * Where the capabilities that came with a SEND_CAP message landed, in
     * the order the sender listed them: a slot (>= 0), or
     * SLOT_LOST_IN_TRANSIT (-1) for one that was revoked, or whose object
     * ended, while the message was queued (or for which no slot was free).
     * Such a capability is gone; the rest arrived.
     */
    public movedSlots: i32[],
  ) {}

  /** The payload as UTF-8 text. */
  text(): string {
    return utf8Decode(this.payload);
  }

  /** How many of the moved capabilities were lost in transit (SLOT_LOST_IN_TRANSIT). */
  lostInTransit(): i32 {
    let lost = 0;
    for (let i = 0; i < this.movedSlots.length; i++) if (this.movedSlots[i] == SLOT_LOST_IN_TRANSIT) lost++;
    return lost;
  }
}

/** Sends a message on an endpoint capability with write. Returns 0 or -code (-E_AGAIN: queue full). */
export function send(slot: u32, tag: u32, payload: Uint8Array): i32 {
  putRequest(payload);
  return sysSend(<i32>slot, <i32>tag, payload.byteLength);
}

/**
 * The next message on an endpoint the caller owns, or null: nothing there
 * (lastError() == E_OK), or an error (lastError() says which).
 * `block` waits for a message or `timeoutMs` (0 = no limit).
 * The kernel does not say how many capabilities came with a message; a
 * protocol that moves capabilities passes that count as `movedCount`, and
 * the trailing slots are split off the payload into movedSlots, where a
 * capability lost in transit shows as SLOT_LOST_IN_TRANSIT (see Message).
 */
export function receive(slot: u32, block: bool, timeoutMs: u32 = 0, movedCount: i32 = 0): Message | null {
  const length = sysReceive(<i32>slot, block ? RECV_BLOCK : 0, <i32>timeoutMs);
  return messageFromResponse(length, movedCount);
}

/** Sends a request and waits for the server's reply; null and lastError() on failure. */
export function call(slot: u32, tag: u32, payload: Uint8Array): Message | null {
  putRequest(payload);
  const length = sysCall(<i32>slot, <i32>tag, payload.byteLength);
  return messageFromResponse(length, 0);
}

/** Answers a CALL received from `callerPid`. Returns 0 or -code (-E_NOENT: nothing to answer). */
export function reply(callerPid: u32, tag: u32, payload: Uint8Array): i32 {
  putRequest(payload);
  return sysReply(<i32>callerPid, <i32>tag, payload.byteLength);
}

/** Sends a message that moves the capabilities in `slots` to the receiver, all or none. Returns 0 or -code. */
export function sendCap(slot: u32, tag: u32, payload: Uint8Array, slots: u32[]): i32 {
  if (payload.byteLength > SEND_CAP_LEN_MASK || slots.length > SEND_CAP_LEN_MASK) return -E_OVERFLOW;
  const request = new ByteWriter(payload.byteLength + 4 * slots.length).bytes(payload);
  for (let i = 0; i < slots.length; i++) request.u32(slots[i]);
  putRequest(request.finish());
  const lengths = payload.byteLength | (slots.length << SEND_CAP_COUNT_SHIFT);
  return sysSendCap(<i32>slot, <i32>tag, lengths);
}

function messageFromResponse(length: i32, movedCount: i32): Message | null {
  if (length <= 0) {
    setLastError(errorCode(length));
    return null;
  }
  const data = takeResponseOfLength(length);
  const payloadEnd = data.byteLength - 4 * movedCount;
  if (movedCount < 0 || payloadEnd < MESSAGE_HEADER_SIZE) {
    setLastError(E_INVAL);
    return null;
  }
  setLastError(E_OK);
  // The kernel writes 0xFFFFFFFF for a lost capability: read as an i32 it is SLOT_LOST_IN_TRANSIT.
  const movedSlots = new Array<i32>(movedCount);
  for (let i = 0; i < movedCount; i++) movedSlots[i] = load<i32>(data.dataStart + payloadEnd + 4 * i);
  const header = MessageHeader.read(new ByteReader(data));
  return new Message(header.from, header.tag, data.subarray(MESSAGE_HEADER_SIZE, payloadEnd), movedSlots);
}
