// sender: finds service "receiver" and sends it a numbered stream of
// messages. A full queue (E_AGAIN) is waited out and the same message sent
// again, so the receiver must see every seq exactly once, in order.

import {
  describeError, E_AGAIN, errorCode, exit, isError, lookupService, println, send, ServiceRef, sleepMs, time,
  yieldCpu,
} from "../process-lib";
import { newStreamMessage, setSeq, STREAM_SERVICE, STREAM_TAG, streamCount } from "./shared/stream";

const LOOKUP_TIMEOUT_NS: u64 = 5_000_000_000;

export function _start(): void {
  const count = streamCount();
  const receiver = findReceiver();
  if (receiver == null) {
    println("sender: no service \"" + STREAM_SERVICE + "\" after 5 s; start the receiver first");
    exit(2);
    return;
  }
  const message = newStreamMessage();
  for (let seq: u32 = 0; seq < count; seq++) {
    setSeq(message, seq);
    let result = send(receiver.slot, STREAM_TAG, message);
    while (result == -E_AGAIN) {
      yieldCpu();
      result = send(receiver.slot, STREAM_TAG, message);
    }
    if (isError(result)) {
      println("sender: message " + seq.toString() + ": " + describeError(errorCode(result)));
      exit(1);
    }
  }
  println("sent " + count.toString() + " messages");
  exit(0);
}

// The receiver may start after the sender: look again every millisecond.
function findReceiver(): ServiceRef | null {
  const deadline = time() + LOOKUP_TIMEOUT_NS;
  while (true) {
    const found = lookupService(STREAM_SERVICE);
    if (found != null || time() > deadline) return found;
    sleepMs(1);
  }
}
