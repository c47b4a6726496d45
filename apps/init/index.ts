// init (PID 1): the service registry, and the one process whose requests
// the supervisor carries out (spawning programs, granting and revoking
// capabilities). Every other process reaches it through its slot 2.
//
// Requests arrive on slot 0, the init endpoint. Most come by CALL and get a
// REPLY; a REPLY to a plain SEND fails with E_NOENT, which is ignored, so
// senders that don't wait for an answer are served too. The layouts are in
// process-lib/protocol.ts and docs/apps.md.

import {
  debug, decodeServiceName, describeError, E_INVAL, E_OK, E_PERM, encodeStatus, GrantRequest, lastError,
  LookupResponse, Message, MSG_GRANT_PERMISSION, MSG_LOOKUP_RESPONSE, MSG_LOOKUP_SERVICE, MSG_PERMISSION_RESPONSE,
  MSG_REGISTER_SERVICE, MSG_REVOKE_PERMISSION, MSG_SERVICE_READY, MSG_SPAWN_RESPONSE, MSG_SPAWN_SERVICE,
  OBJ_ENDPOINT, OBJ_PROCESS, PERM_READ, PERM_WRITE, PermissionResponse, PID_PERMISSION, receive, RegisterRequest,
  reply, RevokeRequest, SLOT_SELF, SpawnResponse, yieldCpu,
} from "../../process-lib";
import { lookup, register } from "./registry";
import { grantObject, revokeSlot, spawnProgram } from "./supervisor";

export function _start(): void {
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
    default: reply(message.from, message.tag, encodeStatus(E_INVAL));
  }
}

function onRegister(message: Message): void {
  const request = RegisterRequest.decode(message.payload);
  const status = request != null ? register(request.name, request.endpointId, message.from) : E_INVAL;
  reply(message.from, MSG_REGISTER_SERVICE, encodeStatus(status));
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

// Only the permission service may have init grant or revoke on its behalf;
// it applies the policy, init only carries the decision out.
function onGrantPermission(message: Message): void {
  let response = new PermissionResponse(E_PERM, 0);
  if (message.from == PID_PERMISSION) {
    const request = GrantRequest.decode(message.payload);
    if (request == null) {
      response = new PermissionResponse(E_INVAL, 0);
    } else {
      const grant = grantObject(request.toPid, request.objectType, request.objectId, request.perms);
      response = new PermissionResponse(grant.status, grant.value);
    }
  }
  reply(message.from, MSG_PERMISSION_RESPONSE, response.encode());
}

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
