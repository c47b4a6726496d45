// The endpoints this shell owns, as it learned them through syscalls: the
// two the kernel made at spawn (CAP_INSPECT of slots 0 and 1 at start) and
// the ones `ep` created (EP_CREATE). Only an endpoint's owner receives from
// it, so this is what lets the shell say why a RECEIVE was refused and what
// each of its slots is.

import { capInspect, OBJ_ENDPOINT, SLOT_INPUT, SLOT_SELF } from "../../process-lib";

let ownEndpoint: u64 = 0; // slot 0 at spawn: where others send to this shell
let inputEndpoint: u64 = 0; // slot 1 at spawn: console input and notices
const created = new Set<u64>();

/** Reads slots 0 and 1 once, before anything can change them. */
export function learnOwnEndpoints(): void {
  ownEndpoint = endpointIn(SLOT_SELF);
  inputEndpoint = endpointIn(SLOT_INPUT);
}

export function noteCreatedEndpoint(id: u64): void {
  created.add(id);
}

export function isOwnEndpoint(id: u64): bool {
  return id != 0 && id == ownEndpoint;
}

export function isInputEndpoint(id: u64): bool {
  return id != 0 && id == inputEndpoint;
}

export function isCreatedEndpoint(id: u64): bool {
  return created.has(id);
}

/** Whether this shell owns endpoint `id`. */
export function ownsEndpoint(id: u64): bool {
  return isOwnEndpoint(id) || isInputEndpoint(id) || isCreatedEndpoint(id);
}

function endpointIn(slot: u32): u64 {
  const info = capInspect(slot);
  return info != null && info.type == OBJ_ENDPOINT ? info.objectId : 0;
}
