// The SharedArrayBuffer mailbox between a process's worker and the kernel.
//
// One mailbox per process: a header of Int32 words, then the request data
// (appended by zos_send_bytes) and the response data (read by
// zos_recv_bytes). The worker writes a request, sets STATE to REQUEST, rings
// the shared doorbell and sleeps in Atomics.wait on STATE; the kernel side
// writes the answer, sets STATE to RESPONSE and notifies. No copies through
// postMessage, no polling.

import { MAX_REQUEST_DATA, MAX_RESPONSE_DATA } from '../kernel/abi.ts';

export const H = {
  STATE: 0, // IDLE | REQUEST | WAITING | RESPONSE
  NUM: 1,
  A0: 2,
  A1: 3,
  A2: 4,
  REQ_LEN: 5, // bytes of request data; -1 when zos_send_bytes went past the limit
  RESULT: 6,
  RESP_LEN: 7,
  PARK: 8, // bumped when a message is queued for the process or a full queue it met has room: wakes a zos_yield
  PARKED: 9, // 1 while the worker sleeps in zos_yield
  MEMORY_BYTES: 10, // the process's memory size, refreshed at every syscall
  WORDS: 16,
} as const;

export const IDLE = 0;
export const REQUEST = 1;
export const RESPONSE = 2;
/** Taken by the kernel side and waiting there (blocking RECEIVE, CALL, SLEEP): not to be served again. */
export const WAITING = 3;

export const RESPONSE_CAPACITY = MAX_RESPONSE_DATA;
const HEADER_BYTES = H.WORDS * 4;
export const REQUEST_OFFSET = HEADER_BYTES;
export const RESPONSE_OFFSET = REQUEST_OFFSET + MAX_REQUEST_DATA;
export const MAILBOX_BYTES = RESPONSE_OFFSET + RESPONSE_CAPACITY;

export interface MailboxViews {
  header: Int32Array;
  request: Uint8Array;
  response: Uint8Array;
}

export function mailboxViews(sab: SharedArrayBuffer): MailboxViews {
  return {
    header: new Int32Array(sab, 0, H.WORDS),
    request: new Uint8Array(sab, REQUEST_OFFSET, MAX_REQUEST_DATA),
    response: new Uint8Array(sab, RESPONSE_OFFSET, RESPONSE_CAPACITY),
  };
}

/**
 * The doorbell every worker rings: word 0 counts requests, so a waiter can't
 * miss one; word 1 says whether a parked request may spin (answer-wait.ts).
 */
export const DOORBELL_BYTES = 8;
