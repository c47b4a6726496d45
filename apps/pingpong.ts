// pingpong: CALL/REPLY between two copies of itself.
//
// The first copy finds no service "pong", so it becomes the server: it
// registers an endpoint and answers every CALL with the same tag and
// payload, until APP_INPUT "quit". The second copy is the client: 1000
// calls with an increasing counter, each echo checked, then "quit".

import {
  ByteReader, ByteWriter, call, describeError, E_EXIST, E_OK, epCreate, errorCode, exit, isError, lastError,
  lookupService, MSG_APP_INPUT, MSG_APP_STATE, newestEndpointId, println, receive, registerService, reply,
  utf8Encode,
} from "../process-lib";

const SERVICE = "pong";
const ROUNDS: u32 = 1000;
const QUIT = "quit";

export function _start(): void {
  const server = lookupService(SERVICE);
  if (server != null) runClient(server.slot);
  else runServer();
}

function runServer(): void {
  const slot = epCreate();
  if (isError(slot)) fail("cannot create an endpoint", errorCode(slot));
  const registered = registerService(SERVICE, newestEndpointId());
  if (registered == -E_EXIST) {
    // Another copy registered first: be its client instead.
    const server = lookupService(SERVICE);
    if (server == null) fail("cannot find the pong server", lastError());
    else runClient(server.slot);
    return;
  }
  if (isError(registered)) fail("cannot register", errorCode(registered));
  println("pong server ready");
  while (true) {
    const message = receive(<u32>slot, true, 0);
    if (message == null) {
      if (lastError() != E_OK) fail("receive failed", lastError());
      continue;
    }
    reply(message.from, message.tag, message.payload);
    if (message.tag == MSG_APP_INPUT && message.text() == QUIT) {
      println("pong server done");
      exit(0);
    }
  }
}

function runClient(slot: u32): void {
  for (let round: u32 = 0; round < ROUNDS; round++) {
    const answer = call(slot, MSG_APP_STATE, new ByteWriter(4).u32(round).finish());
    if (answer == null) fail("call " + round.toString() + " failed", lastError());
    else if (answer.tag != MSG_APP_STATE || !echoes(answer.payload, round)) {
      println("pingpong: round trip " + round.toString() + " came back wrong");
      exit(1);
    }
  }
  println("pingpong: " + ROUNDS.toString() + " round trips ok");
  call(slot, MSG_APP_INPUT, utf8Encode(QUIT));
  exit(0);
}

function echoes(payload: Uint8Array, round: u32): bool {
  const reader = new ByteReader(payload);
  return reader.u32() == round && reader.ok && reader.remaining() == 0;
}

function fail(what: string, code: i32): void {
  println("pingpong: " + what + ": " + describeError(code));
  exit(1);
}
