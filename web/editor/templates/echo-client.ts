// echo-client: calls the "echo" service and prints its answer. Run
// echo-service first; this waits up to 5 s for it to register.
//
// What it shows:
// - LOOKUP_SERVICE: init grants the caller a write-only capability to the
//   service's endpoint (the answer names the endpoint; the slot is found
//   with LIST_CAPS);
// - CALL sends and waits for the service's REPLY;
// - that capability cannot receive: no read right, and only the owner receives.

import {
  call, capInspect, describeError, E_OK, exit, getPid, lastError, lookupService, MSG_APP_INPUT, permsString,
  println, receive, ServiceRef, sleepMs, utf8Encode,
} from "../process-lib";

export function _start(): void {
  const echo = findService("echo");
  if (echo == null) {
    println("echo-client: no service \"echo\" after 5 s: run echo-service first");
    exit(2);
    return;
  }
  const info = capInspect(echo.slot);
  println("echo-client: init granted slot " + echo.slot.toString() + ": endpoint " + echo.endpointId.toString() +
    " (" + (info == null ? "empty" : permsString(info.perms)) + ")");

  const text = "hello from pid " + getPid().toString();
  const answer = call(echo.slot, MSG_APP_INPUT, utf8Encode(text));
  if (answer == null) {
    println("echo-client: CALL failed: " + describeError(lastError()));
    exit(1);
    return;
  }
  println("echo-client: echo answered \"" + answer.text() + "\"");

  if (receive(echo.slot, false) == null && lastError() != E_OK) {
    println("echo-client: RECEIVE on slot " + echo.slot.toString() + ": " + describeError(lastError()) +
      ": only the endpoint's owner receives");
  }
  exit(0);
}

function findService(name: string): ServiceRef | null {
  for (let tries = 0; tries < 100; tries++) {
    const service = lookupService(name);
    if (service != null) return service;
    sleepMs(50);
  }
  return null;
}
