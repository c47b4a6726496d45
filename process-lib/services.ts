// Client side of the service protocol: talking to init (slot 2) and to the
// permission service. Layouts are in protocol.ts; docs/apps.md explains them.

import {
  E_INVAL, E_NOENT, MSG_GRANT_PERMISSION, MSG_LOOKUP_SERVICE, MSG_REGISTER_SERVICE, MSG_REVOKE_PERMISSION,
  MSG_SERVICE_READY, MSG_SPAWN_SERVICE, OBJ_ENDPOINT, PERM_WRITE, SLOT_INIT,
} from "../kernel/abi";
import { findCap } from "./caps";
import { call, send } from "./ipc";
import {
  decodeStatus, encodeServiceName, GrantRequest, LookupResponse, PermissionResponse, RegisterRequest, RevokeRequest,
  SpawnResponse,
} from "./protocol";
import { fromStatus, isError, lastError, setLastError } from "./result";

/** A service found through init: its endpoint id and the slot of the write capability init granted. */
export class ServiceRef {
  constructor(public endpointId: u64, public slot: u32) {}
}

/** Registers `name` for an endpoint the caller owns, and waits for init's answer. Returns 0 or -code. */
export function registerService(name: string, endpointId: u64): i32 {
  const answer = call(SLOT_INIT, MSG_REGISTER_SERVICE, new RegisterRequest(name, endpointId).encode());
  if (answer == null) return -lastError();
  const status = decodeStatus(answer.payload);
  return status < 0 ? -E_INVAL : fromStatus(status);
}

/**
 * Looks `name` up. Init grants the caller a write capability to the service's
 * endpoint; the answer names the endpoint, and the slot is found by listing
 * the caller's capabilities. Null when not found (lastError() E_NOENT) or on
 * failure.
 */
export function lookupService(name: string): ServiceRef | null {
  const answer = call(SLOT_INIT, MSG_LOOKUP_SERVICE, encodeServiceName(name));
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
  const answer = call(SLOT_INIT, MSG_SPAWN_SERVICE, encodeServiceName(name));
  if (answer == null) return new SpawnResponse(lastError(), 0, 0);
  const response = SpawnResponse.decode(answer.payload);
  return response != null ? response : new SpawnResponse(E_INVAL, 0, 0);
}

/** Tells init the caller is up and serving. Returns 0 or -code. */
export function serviceReady(): i32 {
  return send(SLOT_INIT, MSG_SERVICE_READY, new Uint8Array(0));
}

/** Asks the permission service (write capability in `permissionSlot`) to grant a capability. */
export function requestGrant(permissionSlot: u32, request: GrantRequest): PermissionResponse {
  return askPermissionService(permissionSlot, MSG_GRANT_PERMISSION, request.encode());
}

/** Asks the permission service to revoke `pid`'s capability in `slot` (only the caller's own). */
export function requestRevoke(permissionSlot: u32, request: RevokeRequest): PermissionResponse {
  return askPermissionService(permissionSlot, MSG_REVOKE_PERMISSION, request.encode());
}

function askPermissionService(permissionSlot: u32, tag: u32, payload: Uint8Array): PermissionResponse {
  const answer = call(permissionSlot, tag, payload);
  if (answer == null) return new PermissionResponse(lastError(), 0);
  const response = PermissionResponse.decode(answer.payload);
  return response != null ? response : new PermissionResponse(E_INVAL, 0);
}
