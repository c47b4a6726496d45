// init (PID 1): the service registry, and the one process whose requests
// the supervisor carries out (spawning programs, granting and revoking
// capabilities). Every other process reaches it through its slot 2.
//
// Requests arrive on slot 0, the init endpoint. Most come by CALL and get a
// REPLY; a REPLY to a plain SEND fails with E_NOENT, which is ignored, so
// senders that don't wait for an answer are served too. The layouts are in
// process-lib/protocol.ts and docs/apps.md.
//
// Slot 1 is a read-only copy of slot 0. The kernel sends a process's
// CAP_REVOKED notices to whatever endpoint its slot 1 names; init briefly
// holds capabilities other processes grant it (proofs for REGISTER_SERVICE),
// and their notices must come here, not to some other process's endpoint.

import {
  capDelete, capDerive, capInspect, debug, decodeServiceName, describeError, E_INVAL, E_OK, E_PERM, encodeStatus,
  errorCode, INIT_ENDPOINT_ID, lastError, listCaps, LookupResponse, Message, MSG_CAP_REVOKED,
  MSG_GRANT_PERMISSION, MSG_LOOKUP_RESPONSE, MSG_LOOKUP_SERVICE, MSG_PERMISSION_RESPONSE, MSG_REGISTER_SERVICE,
  MSG_REVOKE_PERMISSION, MSG_SERVICE_READY, MSG_SPAWN_RESPONSE, MSG_SPAWN_SERVICE, OBJ_ENDPOINT, OBJ_PROCESS,
  PERM_GRANT, PERM_READ, PERM_WRITE, PermissionResponse, PID_PERMISSION, PID_SUPERVISOR, receive, RegisterRequest,
  reply, RevokeRequest, SLOT_INPUT, SLOT_SELF, SpawnResponse, yieldCpu,
} from "../../process-lib";
import { lookup, register } from "./registry";
import { grantObject, revokeSlot, spawnProgram } from "./supervisor";

export function _start(): void {
  const notices = capDerive(SLOT_SELF, PERM_READ);
  if (notices != SLOT_INPUT) debug("init: no notice slot: " + describeError(errorCode(notices)));
  const permission = spawnProgram("permission");
  if (permission.status != E_OK) debug("init: cannot spawn permission: " + describeError(permission.status));
  while (true) {
    const message = receive(SLOT_SELF, true, 0);
    if (message != null) handle(message);
    else if (lastError() != E_OK) yieldCpu(); // don't spin on a persistent error
  }
}

function handle(message: Message): void {
  switch (message.tag) {
    case MSG_REGISTER_SERVICE: onRegister(message); break;
    case MSG_LOOKUP_SERVICE: onLookup(message); break;
    case MSG_SPAWN_SERVICE: onSpawn(message); break;
    case MSG_SERVICE_READY: debug("service ready: pid " + message.from.toString()); break;
    case MSG_GRANT_PERMISSION: onGrantPermission(message); break;
    case MSG_REVOKE_PERMISSION: onRevokePermission(message); break;
    case MSG_CAP_REVOKED:
      // From PID 0: a proof taken back before its request came (slot 1). Nothing to do.
      if (message.from != PID_SUPERVISOR) reply(message.from, message.tag, encodeStatus(E_INVAL));
      break;
    default: reply(message.from, message.tag, encodeStatus(E_INVAL));
  }
}

// A registration needs proof that the registrant may hand the endpoint out:
// a capability to it with write and grant, granted to init beforehand
// (process-lib's registerService does that). Knowing an endpoint's id is
// not enough. The proof is used up whatever the answer; lookups are granted
// from the owner's capability (INIT:GRANT), so init keeps nothing.
function onRegister(message: Message): void {
  const request = RegisterRequest.decode(message.payload);
  let status = E_INVAL;
  if (request != null) {
    const proof = findProof(request.endpointId);
    if (proof < 0) {
      status = E_PERM;
    } else {
      status = register(request.name, request.endpointId, message.from);
      capDelete(<u32>proof);
    }
  }
  reply(message.from, MSG_REGISTER_SERVICE, encodeStatus(status));
}

/** The slot of a capability someone granted init to `endpointId` with write and grant, or -1. */
function findProof(endpointId: u64): i32 {
  if (endpointId == <u64>INIT_ENDPOINT_ID) return -1; // init's own endpoint is no one's to register
  const needed = PERM_WRITE | PERM_GRANT;
  const caps = listCaps();
  for (let i = 0; i < caps.length; i++) {
    const entry = caps[i];
    if (entry.type != OBJ_ENDPOINT || entry.objectId != endpointId) continue;
    const info = capInspect(entry.slot);
    if (info != null && (info.perms & needed) == needed) return <i32>entry.slot;
  }
  return -1;
}

// A found service costs the caller nothing more than a write capability to
// its endpoint, granted before the answer so the caller can use it at once.
function onLookup(message: Message): void {
  const name = decodeServiceName(message.payload);
  let endpointId = name != null ? lookup(name) : 0;
  if (endpointId != 0 && grantObject(message.from, OBJ_ENDPOINT, endpointId, PERM_WRITE).status != E_OK) {
    endpointId = 0; // the service is gone
  }
  reply(message.from, MSG_LOOKUP_RESPONSE, new LookupResponse(endpointId != 0, endpointId).encode());
}

function onSpawn(message: Message): void {
  const name = decodeServiceName(message.payload);
  const response = name != null ? spawnFor(message.from, name) : new SpawnResponse(E_INVAL, 0, 0);
  reply(message.from, MSG_SPAWN_RESPONSE, response.encode());
}

// The requester gets a Process capability (read, write) to its child: that is
// what lets it kill the child and hear when it ends.
function spawnFor(requester: u32, name: string): SpawnResponse {
  const spawned = spawnProgram(name);
  if (spawned.status != E_OK) return new SpawnResponse(spawned.status, 0, 0);
  const grant = grantObject(requester, OBJ_PROCESS, spawned.value, PERM_READ | PERM_WRITE);
  return new SpawnResponse(grant.status, spawned.value, grant.value);
}

// Grants on request are the permission service's business: it holds the
// requester's proof and grants from it itself (docs/apps.md). Init grants
// nothing on request, to anyone.
function onGrantPermission(message: Message): void {
  reply(message.from, MSG_PERMISSION_RESPONSE, new PermissionResponse(E_PERM, 0).encode());
}

// Only the permission service may have init revoke on its behalf; it applies
// the policy (a caller's own capabilities only), init carries it out.
function onRevokePermission(message: Message): void {
  let response = new PermissionResponse(E_PERM, 0);
  if (message.from == PID_PERMISSION) {
    const request = RevokeRequest.decode(message.payload);
    response = request != null
      ? new PermissionResponse(revokeSlot(request.pid, request.slot).status, request.slot)
      : new PermissionResponse(E_INVAL, 0);
  }
  reply(message.from, MSG_PERMISSION_RESPONSE, response.encode());
}
