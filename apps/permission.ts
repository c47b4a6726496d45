// permission (PID 2): a broker for capability grants, and the policy in
// front of init's revoke.
//
// Clients CALL it with GRANT_PERMISSION or REVOKE_PERMISSION and get a
// PERMISSION_RESPONSE. Policy (docs/apps.md):
// - GRANT: Endpoint capabilities only, never with the grant right, and only
//   for a requester that proves it could grant the capability itself: it
//   first grants this service a capability to the endpoint with grant and
//   the requested rights (the "proof"). The service grants from that proof,
//   so what it hands out is a descendant of the requester's capability and
//   the requester's REVOKE reaches it. Each request uses up one proof.
// - REVOKE: only the caller's own capabilities (payload pid == caller);
//   carried out by init (INIT:REVOKE), which accepts it from PID 2 only.
// Anything refused: E_PERM.

import {
  call, capDelete, capGrant, capInspect, debug, describeError, E_INVAL, E_OK, E_PERM, StatusReply, errorCode, exit,
  GrantRequest, isError, lastError, listCaps, Message, MSG_GRANT_PERMISSION, MSG_PERMISSION_RESPONSE,
  MSG_REVOKE_PERMISSION, OBJ_ENDPOINT, PERM_ALL, PERM_GRANT, PermissionResponse, receive, registerService, reply,
  RevokeRequest, serviceReady, SLOT_INIT, SLOT_INPUT, SLOT_SELF, yieldCpu,
} from "../process-lib";

export function _start(): void {
  // Slot 0 was made by the kernel at spawn, so its id comes from CAP_INSPECT
  // (EP_CREATE parts 1/2 only know endpoints this process created itself).
  const self = capInspect(SLOT_SELF);
  if (self == null) {
    fail("no endpoint in slot 0", E_INVAL);
    return;
  }
  const registered = registerService("permission", self.objectId);
  if (isError(registered)) fail("cannot register", errorCode(registered));
  serviceReady();
  while (true) {
    const message = receive(SLOT_SELF, true, 0);
    if (message != null) handle(message);
    else if (lastError() != E_OK) yieldCpu();
    drainNotices();
  }
}

function handle(message: Message): void {
  switch (message.tag) {
    case MSG_GRANT_PERMISSION: reply(message.from, MSG_PERMISSION_RESPONSE, grant(message).encode()); break;
    case MSG_REVOKE_PERMISSION: reply(message.from, MSG_PERMISSION_RESPONSE, revoke(message)); break;
    default: reply(message.from, message.tag, new StatusReply(E_INVAL).encode());
  }
}

function grant(message: Message): PermissionResponse {
  const request = GrantRequest.decode(message.payload);
  if (request == null) return new PermissionResponse(E_INVAL, 0);
  if (request.objectType != OBJ_ENDPOINT) return new PermissionResponse(E_PERM, 0);
  const proof = findProof(request.objectId);
  if (proof < 0) return new PermissionResponse(E_PERM, 0);
  const proofPerms = capInspect(<u32>proof)!.perms;
  let response: PermissionResponse;
  if (request.perms & PERM_GRANT || request.perms & ~PERM_ALL || request.perms & ~proofPerms) {
    response = new PermissionResponse(E_PERM, 0); // passable onward, or more than the requester has
  } else {
    const slot = capGrant(<u32>proof, request.toPid, request.perms);
    response = isError(slot) ? new PermissionResponse(errorCode(slot), 0) : new PermissionResponse(E_OK, <u32>slot);
  }
  // Used up either way. What was granted from it stays, under the requester's capability.
  capDelete(<u32>proof);
  return response;
}

/** The slot of a capability to `endpointId` with grant that a requester gave this service, or -1. */
function findProof(endpointId: u64): i32 {
  const caps = listCaps();
  for (let i = 0; i < caps.length; i++) {
    const entry = caps[i];
    if (entry.slot == SLOT_SELF || entry.slot == SLOT_INPUT || entry.slot == SLOT_INIT) continue; // its own
    if (entry.type != OBJ_ENDPOINT || entry.objectId != endpointId) continue;
    const info = capInspect(entry.slot);
    if (info != null && info.perms & PERM_GRANT) return <i32>entry.slot;
  }
  return -1;
}

function revoke(message: Message): Uint8Array {
  const request = RevokeRequest.decode(message.payload);
  if (request == null) return refusal(E_INVAL);
  if (request.pid != message.from) return refusal(E_PERM);
  const initAnswer = call(SLOT_INIT, message.tag, message.payload);
  if (initAnswer == null) return refusal(lastError());
  return PermissionResponse.decode(initAnswer.payload) != null ? initAnswer.payload : refusal(E_INVAL);
}

function refusal(status: i32): Uint8Array {
  return new PermissionResponse(status, 0).encode();
}

// A proof revoked or ended before its request came leaves a CAP_REVOKED
// notice on slot 1. Nothing else arrives there: drop them, so they don't pile up.
function drainNotices(): void {
  while (receive(SLOT_INPUT, false, 0) != null) {}
}

function fail(what: string, code: i32): void {
  debug("permission: " + what + ": " + describeError(code));
  exit(1);
}
