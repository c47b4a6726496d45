// receiver: registers service "receiver" and checks that a stream of
// messages arrives complete and in order (FIFO, nothing lost). See sender.

import {
  describeError, E_OK, epCreate, errorCode, exit, isError, lastError, newestEndpointId, println, receive,
  registerService,
} from "../process-lib";
import { readSeq, STREAM_SERVICE, STREAM_TAG, streamCount } from "./shared/stream";

export function _start(): void {
  const count = streamCount();
  const slot = epCreate();
  if (isError(slot)) fail("cannot create an endpoint", errorCode(slot));
  const registered = registerService(STREAM_SERVICE, newestEndpointId());
  if (isError(registered)) fail("cannot register", errorCode(registered));
  println("receiver ready");
  let expected: u32 = 0;
  while (expected < count) {
    const message = receive(<u32>slot, true, 0);
    if (message == null) {
      if (lastError() != E_OK) fail("receive failed", lastError());
      continue;
    }
    if (message.tag != STREAM_TAG) continue;
    const seq = readSeq(message.payload);
    if (seq != <i64>expected) {
      println("receiver: message " + expected.toString() + " out of order: got seq " + seq.toString());
      exit(1);
    }
    expected++;
  }
  println("received " + count.toString() + " messages in order");
  exit(0);
}

function fail(what: string, code: i32): void {
  println("receiver: " + what + ": " + describeError(code));
  exit(1);
}
