// echo-service: a service registered with init. It creates an endpoint,
// registers it as "echo" and answers every CALL with the same text, until
// killed. Run it, then run echo-client (as often as you like).
//
// What it shows:
// - EP_CREATE gives the creator read, write and grant (rwg) on a new endpoint;
// - init registers a name only for the endpoint's owner (it asks the kernel);
// - a client that looks "echo" up gets a write-only copy from init: it can
//   CALL, never receive; only the owner receives;
// - REPLY answers a CALL this process received, and nothing else: a plain
//   SEND has no one waiting for an answer (E_NOENT).

import {
  capInspect, describeError, E_OK, epCreate, errorCode, exit, isError, lastError, newestEndpointId, permsString,
  println, receive, registerService, reply, serviceReady,
} from "../process-lib";

const NAME = "echo";

export function _start(): void {
  const slot = epCreate();
  if (isError(slot)) fail("EP_CREATE", errorCode(slot));
  const endpoint = newestEndpointId();
  println("echo: created endpoint " + endpoint.toString() + " in slot " + slot.toString() + " (" + rights(<u32>slot) + ")");

  const registered = registerService(NAME, endpoint);
  if (isError(registered)) fail("REGISTER_SERVICE \"" + NAME + "\"", errorCode(registered));
  serviceReady();
  println("echo: registered as \"" + NAME + "\" with init; waiting for calls");

  while (true) {
    const message = receive(<u32>slot, true, 0);
    if (message == null) {
      if (lastError() != E_OK) fail("RECEIVE", lastError());
      continue;
    }
    println("echo: pid " + message.from.toString() + " called with \"" + message.text() + "\"");
    const answered = reply(message.from, message.tag, message.payload);
    if (isError(answered)) println("echo: REPLY to pid " + message.from.toString() + ": " + describeError(errorCode(answered)));
  }
}

function rights(slot: u32): string {
  const info = capInspect(slot);
  return info == null ? "empty" : permsString(info.perms);
}

function fail(what: string, code: i32): void {
  println("echo: " + what + " failed: " + describeError(code));
  exit(1);
}
