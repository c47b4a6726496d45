// init (PID 1): the service registry, and the one process whose requests
// the supervisor carries out (spawning programs, granting and revoking
// capabilities). Every other process reaches it through its slot 2.
//
// Requests arrive on slot 0, the init endpoint. Most come by CALL and get a
// REPLY; a REPLY to a plain SEND fails with E_NOENT, which is ignored, so
// senders that don't wait for an answer are served too. The layouts are in
// process-lib/protocol.ts and docs/apps.md.
//
// Slot 1 is a read-only copy of slot 0, so that init's slot 1 is its own
// endpoint, as every other process's is. The kernel delivers console input
// (the desktop can send some to any PID) to whatever endpoint slot 1 names,
// and any process with grant may CAP_GRANT init a capability unasked (binaries
// built on zos's earlier process-lib still grant one before registering);
// with slot 1 free, the first such capability would land there and take
// init's input. Its revocation notices come here too, and are dropped.

import {
  capDerive, debug, E_NOMEM, MAX_PAYLOAD, MSG_LIST_PROGRAMS, MAX_SERVICE_NAMES, MAX_SERVICE_NAMES_PER_OWNER, ServiceName, describeError, E_INVAL, E_OK, E_PERM, StatusReply, errorCode, lastError,
  LookupResponse, Message, MSG_GRANT_PERMISSION, MSG_LOOKUP_RESPONSE, MSG_LOOKUP_SERVICE, MSG_PERMISSION_RESPONSE,
  MSG_REGISTER_SERVICE, MSG_REVOKE_PERMISSION, MSG_SERVICE_READY, MSG_SPAWN_RESPONSE, MSG_SPAWN_SERVICE, OBJ_ENDPOINT,
  OBJ_PROCESS, PERM_READ, PERM_WRITE, PermissionResponse, PID_INIT, PID_PERMISSION, PID_SUPERVISOR, receive, RegisterRequest,
  reply, RevokeRequest, SLOT_INPUT, SLOT_SELF, SpawnResponse, yieldCpu,
} from "../../process-lib";
import { lookup, register } from "./registry";
import { endpointOwner, grantObject, programNames, revokeSlot, spawnProgram } from "./supervisor";

export function _start(): void {
  const input = capDerive(SLOT_SELF, PERM_READ);
  if (input != SLOT_INPUT) debug("init: no slot 1: " + describeError(errorCode(input)));
  const permission = spawnProgram("permission", PID_INIT);
  if (permission.status != E_OK) debug("init: cannot spawn permission: " + describeError(permission.status));
  while (true) {
    const message = receive(SLOT_SELF, true, 0);
    if (message != null) handle(message);
    else if (lastError() != E_OK) yieldCpu(); // don't spin on a persistent error
  }
}

function handle(message: Message): void {
  // From PID 0 come only the kernel's messages to slot 1 (CAP_REVOKED for a
  // capability someone granted init, console input): nothing to do or answer.
  if (message.from == PID_SUPERVISOR) return;
  switch (message.tag) {
    case MSG_REGISTER_SERVICE: onRegister(message); break;
    case MSG_LOOKUP_SERVICE: onLookup(message); break;
    case MSG_SPAWN_SERVICE: onSpawn(message); break;
    case MSG_SERVICE_READY: onServiceReady(message); break;
    case MSG_LIST_PROGRAMS: onListPrograms(message); break;
    case MSG_GRANT_PERMISSION: onGrantPermission(message); break;
    case MSG_REVOKE_PERMISSION: onRevokePermission(message); break;
    default: reply(message.from, message.tag, new StatusReply(E_INVAL).encode());
  }
}

// A process may register only an endpoint it owns: the kernel says who owns
// it (INIT:OWNER), the sender is `from`, which the kernel sets. So knowing an
// endpoint's id is not enough, and a plain REGISTER_SERVICE, as any binary
// built for the ABI sends it, needs nothing more. Init's own endpoint is
// init's, so no one else can register it. Lookups are granted from the
// owner's capability (INIT:GRANT), so init holds nothing for the registry.
function onRegister(message: Message): void {
  const request = RegisterRequest.decode(message.payload);
  let status = E_INVAL;
  if (request != null) {
    const owner = endpointOwner(request.endpointId);
    status = owner.status == E_OK && owner.value == message.from
      ? register(request.name, request.endpointId, message.from)
      : E_PERM; // someone else's endpoint, or none at all
  }
  if (status == E_NOMEM) {
    debug("init: REGISTER_SERVICE " + request!.name + " from pid " + message.from.toString() + " refused: it holds " +
      MAX_SERVICE_NAMES_PER_OWNER.toString() + " names already, or the registry's " + MAX_SERVICE_NAMES.toString() +
      " are taken (docs/abi.md §3 bounds)");
  }
  reply(message.from, MSG_REGISTER_SERVICE, new StatusReply(status).encode());
}

// SERVICE_READY is an announcement, sent by SEND; it is answered anyway
// (status 0), so that a binary that CALLs it is not left blocked forever.
function onServiceReady(message: Message): void {
  debug("service ready: pid " + message.from.toString());
  reply(message.from, MSG_SERVICE_READY, new StatusReply(E_OK).encode());
}

// A found service costs the caller nothing more than a write capability to
// its endpoint, granted before the answer so the caller can use it at once.
function onLookup(message: Message): void {
  const request = ServiceName.decode(message.payload);
  let endpointId = request != null ? lookup(request.name) : 0;
  if (endpointId != 0 && grantObject(message.from, OBJ_ENDPOINT, endpointId, PERM_WRITE).status != E_OK) {
    endpointId = 0; // the service is gone
  }
  reply(message.from, MSG_LOOKUP_RESPONSE, new LookupResponse(endpointId != 0, endpointId).encode());
}

// The program names, one per line, cut at a line end to fit one payload.
function onListPrograms(message: Message): void {
  let names = programNames();
  if (names.byteLength > MAX_PAYLOAD) names = names.subarray(0, names.subarray(0, MAX_PAYLOAD).lastIndexOf(10));
  reply(message.from, MSG_LIST_PROGRAMS, names);
}

function onSpawn(message: Message): void {
  const request = ServiceName.decode(message.payload);
  const response = request != null ? spawnFor(message.from, request.name) : new SpawnResponse(E_INVAL, 0, 0);
  reply(message.from, MSG_SPAWN_RESPONSE, response.encode());
}

// The requester gets a Process capability (read, write) to its child: that is
// what lets it kill the child and hear when it ends.
function spawnFor(requester: u32, name: string): SpawnResponse {
  const spawned = spawnProgram(name, requester);
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
