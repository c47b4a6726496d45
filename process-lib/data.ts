// Request data (zos_send_bytes) and response data (zos_recv_bytes).
//
// Response data belongs to the last syscall only, so a wrapper reads it
// right after its syscall, before making another one.

import { zos_recv_bytes, zos_send_bytes } from "./generated/env";

/** Appends bytes to the request data of the next syscall. */
export function putRequest(data: Uint8Array): void {
  zos_send_bytes(<i32>data.dataStart, data.byteLength);
}

// Large enough for any LIST_* answer in practice; bigger answers are read
// again into a bigger buffer (zos_recv_bytes may be called repeatedly).
const SCRATCH_SIZE = 65536;
let scratch: Uint8Array | null = null;

/** All response data of the last syscall, when its size is not known in advance. */
export function takeResponse(): Uint8Array {
  let buffer = scratch;
  if (buffer == null) {
    buffer = new Uint8Array(SCRATCH_SIZE);
    scratch = buffer;
  }
  let count = zos_recv_bytes(<i32>buffer.dataStart, buffer.byteLength);
  // A full buffer may mean the data was cut: double until it fits.
  while (count == buffer.byteLength) {
    buffer = new Uint8Array(buffer.byteLength * 2);
    count = zos_recv_bytes(<i32>buffer.dataStart, buffer.byteLength);
  }
  return buffer.slice(0, count);
}

/** The response data of the last syscall when its length is known (length-shaped results). */
export function takeResponseOfLength(length: i32): Uint8Array {
  const buffer = new Uint8Array(length);
  const count = zos_recv_bytes(<i32>buffer.dataStart, length);
  return buffer.subarray(0, count);
}
