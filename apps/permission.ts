// permission (PID 2): the policy in front of init's grant and revoke.
//
// Clients CALL it with GRANT_PERMISSION or REVOKE_PERMISSION; it checks the
// request against its policy and, if allowed, forwards the very same payload
// to init by CALL (init only accepts these from PID 2) and relays init's
// PERMISSION_RESPONSE. Policy:
// - GRANT: only Endpoint capabilities, and never the grant right, so nothing
//   handed out this way can be passed on.
// - REVOKE: only the caller's own capabilities (payload pid == caller).

import {
  call, capInspect, debug, describeError, E_INVAL, E_OK, E_PERM, encodeStatus, errorCode, exit, GrantRequest,
  isError, lastError, Message, MSG_GRANT_PERMISSION, MSG_PERMISSION_RESPONSE, MSG_REVOKE_PERMISSION, OBJ_ENDPOINT,
  PERM_GRANT, PermissionResponse, receive, registerService, reply, RevokeRequest, serviceReady, SLOT_INIT, SLOT_SELF,
  yieldCpu,
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
  }
}

function handle(message: Message): void {
  switch (message.tag) {
    case MSG_GRANT_PERMISSION: answer(message, checkGrant(message)); break;
    case MSG_REVOKE_PERMISSION: answer(message, checkRevoke(message)); break;
    default: reply(message.from, message.tag, encodeStatus(E_INVAL));
  }
}

/** E_OK when the grant request may go to init, else the refusal. */
function checkGrant(message: Message): i32 {
  const request = GrantRequest.decode(message.payload);
  if (request == null) return E_INVAL;
  if (request.perms & PERM_GRANT || request.objectType != OBJ_ENDPOINT) return E_PERM;
  return E_OK;
}

/** E_OK when the revoke request may go to init, else the refusal. */
function checkRevoke(message: Message): i32 {
  const request = RevokeRequest.decode(message.payload);
  if (request == null) return E_INVAL;
  return request.pid == message.from ? E_OK : E_PERM;
}

function answer(message: Message, verdict: i32): void {
  reply(message.from, MSG_PERMISSION_RESPONSE, verdict == E_OK ? forward(message) : refusal(verdict));
}

function forward(message: Message): Uint8Array {
  const initAnswer = call(SLOT_INIT, message.tag, message.payload);
  if (initAnswer == null) return refusal(lastError());
  return PermissionResponse.decode(initAnswer.payload) != null ? initAnswer.payload : refusal(E_INVAL);
}

function refusal(status: i32): Uint8Array {
  return new PermissionResponse(status, 0).encode();
}

function fail(what: string, code: i32): void {
  debug("permission: " + what + ": " + describeError(code));
  exit(1);
}
