// Init's requests to the supervisor (ABI §6): DEBUG text from PID 1 that
// starts with "INIT:". The DEBUG status is the outcome; on success the
// supervisor leaves a u32 (the new PID or slot, an owner's PID) as response data.

import { ByteReader, debug, E_INVAL, errorCode, takeResponse } from "../../process-lib";

/** The outcome of one request: status 0 and a value, or an error code. */
export class SupervisorAnswer {
  constructor(public status: i32, public value: u32) {}
}

/**
 * INIT:SPAWN:{name}:{requester} (zos: the process it is for, so the
 * supervisor can bound children per process and show a child's output where
 * its requester's is); the value is the new process's PID.
 */
export function spawnProgram(name: string, requester: u32): SupervisorAnswer {
  if (!isProgramName(name)) return new SupervisorAnswer(E_INVAL, 0);
  return ask("INIT:SPAWN:" + name + ":" + requester.toString());
}

/** INIT:GRANT:{pid}:0:{type}:{object_id}:{perms} (slot 0: the first free slot); the value is the slot. */
export function grantObject(pid: u32, type: u32, objectId: u64, perms: u32): SupervisorAnswer {
  return ask(
    "INIT:GRANT:" + pid.toString() + ":0:" + type.toString() + ":" + objectId.toString() + ":" + perms.toString(),
  );
}

/** INIT:OWNER:{endpoint_id} (zos); the value is the owner's PID, E_NOENT when there is no such endpoint. */
export function endpointOwner(endpointId: u64): SupervisorAnswer {
  return ask("INIT:OWNER:" + endpointId.toString());
}

/** INIT:PROGRAMS (zos): the names of the programs INIT:SPAWN can start, one per line; empty on failure. */
export function programNames(): Uint8Array {
  if (errorCode(debug("INIT:PROGRAMS")) != 0) return new Uint8Array(0);
  return takeResponse();
}

/** INIT:REVOKE:{pid}:{slot}. */
export function revokeSlot(pid: u32, slot: u32): SupervisorAnswer {
  return ask("INIT:REVOKE:" + pid.toString() + ":" + slot.toString());
}

function ask(request: string): SupervisorAnswer {
  const status = errorCode(debug(request));
  if (status != 0) return new SupervisorAnswer(status, 0);
  const reader = new ByteReader(takeResponse()); // right after the DEBUG: its response data
  const value = reader.u32();
  return new SupervisorAnswer(0, reader.ok ? value : 0);
}

const MAX_PROGRAM_NAME = 64;

// A program name goes into request text, so it must be one plain field:
// letters, digits, "_", "-" and ".", nothing that could read as a separator.
function isProgramName(name: string): bool {
  if (name.length == 0 || name.length > MAX_PROGRAM_NAME) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    const alphanumeric = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
    if (!alphanumeric && c != 95 && c != 45 && c != 46) return false; // _ - .
  }
  return true;
}
