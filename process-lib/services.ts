// Client side of the service protocol: talking to init (slot 2) and to the
// permission service. Layouts are generated (generated/layouts.ts); docs/apps.md explains them.

import {
  E_INVAL, E_NOENT, E_OK, E_PERM, MSG_GRANT_PERMISSION, MSG_LIST_PROGRAMS, MSG_LOOKUP_SERVICE, MSG_REGISTER_SERVICE, MSG_REVOKE_PERMISSION,
  MSG_SERVICE_READY, MSG_SPAWN_SERVICE, OBJ_ENDPOINT, PERM_ALL, PERM_GRANT, PERM_WRITE, PID_PERMISSION, SLOT_INIT,
} from "../kernel/abi";
import { capGrant, findCap } from "./caps";
import {
  GrantRequest, LookupResponse, PermissionResponse, RegisterRequest, RevokeRequest, ServiceName, SpawnResponse,
  StatusReply,
} from "./generated/layouts";
import { call, send } from "./ipc";
import { errorCode, isError, lastError, setLastError } from "./result";

/** A service found through init: its endpoint id and the slot of the write capability init granted. */
export class ServiceRef {
  constructor(public endpointId: u64, public slot: u32) {}
}

/**
 * Registers `name` for endpoint `endpointId`, and waits for init's answer.
 * Returns 0 or -code.
 *
 * A plain REGISTER_SERVICE by CALL, as any binary built for the ABI sends
 * it. Init accepts it only from the endpoint's owner (-E_PERM otherwise),
 * and -E_EXIST while another live process holds the name.
 */
export function registerService(name: string, endpointId: u64): i32 {
  const answer = call(SLOT_INIT, MSG_REGISTER_SERVICE, new RegisterRequest(name, endpointId).encode());
  if (answer == null) return -lastError();
  const reply = StatusReply.decode(answer.payload);
  return reply == null ? -E_INVAL : -<i32>reply.status;
}

/**
 * Looks `name` up. Init grants the caller a write capability to the service's
 * endpoint; the answer names the endpoint, and the slot is found by listing
 * the caller's capabilities. Null when not found (lastError() E_NOENT) or on
 * failure.
 */
export function lookupService(name: string): ServiceRef | null {
  const answer = call(SLOT_INIT, MSG_LOOKUP_SERVICE, new ServiceName(name).encode());
  if (answer == null) return null;
  const response = LookupResponse.decode(answer.payload);
  if (response == null) {
    setLastError(E_INVAL);
    return null;
  }
  if (!response.found) {
    setLastError(E_NOENT);
    return null;
  }
  const slot = findCap(OBJ_ENDPOINT, response.endpointId, PERM_WRITE);
  if (isError(slot)) {
    setLastError(E_NOENT);
    return null;
  }
  return new ServiceRef(response.endpointId, <u32>slot);
}

/**
 * Asks init to start program `name`. On success the caller holds a Process
 * capability (read, write) to the child in `processSlot`.
 */
export function spawnService(name: string): SpawnResponse {
  const answer = call(SLOT_INIT, MSG_SPAWN_SERVICE, new ServiceName(name).encode());
  if (answer == null) return new SpawnResponse(lastError(), 0, 0);
  const response = SpawnResponse.decode(answer.payload);
  return response != null ? response : new SpawnResponse(E_INVAL, 0, 0);
}

/** The programs one can spawn, by name (zos: init's MSG_LIST_PROGRAMS); empty and lastError() on failure. */
export function listPrograms(): string[] {
  const answer = call(SLOT_INIT, MSG_LIST_PROGRAMS, new Uint8Array(0));
  if (answer == null) return new Array<string>();
  setLastError(E_OK);
  const text = answer.text();
  return text.length == 0 ? new Array<string>() : text.split("\n");
}

/** Tells init the caller is up and serving. Returns 0 or -code. */
export function serviceReady(): i32 {
  return send(SLOT_INIT, MSG_SERVICE_READY, new Uint8Array(0));
}

/**
 * Asks the permission service (write capability in `permissionSlot`) to
 * grant `request.toPid` a capability to an endpoint. The service brokers
 * only what the requester could grant itself: for an Endpoint request this
 * first grants the service a capability to that endpoint with grant and the
 * requested rights, taken from the caller's own (when the caller has none,
 * the request goes out without it and the service refuses with E_PERM).
 */
export function requestGrant(permissionSlot: u32, request: GrantRequest): PermissionResponse {
  if (request.objectType == OBJ_ENDPOINT) {
    const proof = proveAuthority(request.objectId, request.perms & PERM_ALL, PID_PERMISSION);
    if (isError(proof) && proof != -E_PERM) return new PermissionResponse(errorCode(proof), 0);
  }
  return askPermissionService(permissionSlot, MSG_GRANT_PERMISSION, request.encode());
}

/** Asks the permission service to revoke `pid`'s capability in `slot` (only the caller's own). */
export function requestRevoke(permissionSlot: u32, request: RevokeRequest): PermissionResponse {
  return askPermissionService(permissionSlot, MSG_REVOKE_PERMISSION, request.encode());
}

/**
 * Grants `toPid` a capability to endpoint `endpointId` with grant plus
 * `perms`, from one of the caller's that has them: how a process shows the
 * permission service that it may hand the endpoint out. Returns the
 * slot in `toPid`, or -E_PERM when the caller holds no such capability.
 */
export function proveAuthority(endpointId: u64, perms: u32, toPid: u32): i32 {
  const needed = perms | PERM_GRANT;
  const slot = findCap(OBJ_ENDPOINT, endpointId, needed);
  if (isError(slot)) return -E_PERM;
  return capGrant(<u32>slot, toPid, needed);
}

function askPermissionService(permissionSlot: u32, tag: u32, payload: Uint8Array): PermissionResponse {
  const answer = call(permissionSlot, tag, payload);
  if (answer == null) return new PermissionResponse(lastError(), 0);
  const response = PermissionResponse.decode(answer.payload);
  return response != null ? response : new PermissionResponse(E_INVAL, 0);
}
