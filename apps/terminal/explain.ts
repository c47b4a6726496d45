// Answers in the terms of the capability model: rights in letters and
// words, what a slot is, what a copy got compared with what was asked, and
// why the kernel refused an operation on a slot. The rules explained here
// are the kernel's (kernel/rights.ts, ABI §3); the shell learns the facts
// it explains through syscalls (CAP_INSPECT, ZOS_LEASE_LEFT) and never
// decides anything the kernel decides.

import {
  CapInfo, capInspect, E_BADF, E_PERM, errorMeaning, errorName, INIT_ENDPOINT_ID, leaseLeft, OBJ_ENDPOINT,
  OBJ_PROCESS, objectTypeName, PERM_ALL, PERM_GRANT, PERM_READ, PERM_WRITE, permsString, println,
} from "../../process-lib";
import { isCreatedEndpoint, isInputEndpoint, isOwnEndpoint, ownsEndpoint } from "./identity";

/** What an operation needs of the capability in its slot: the kernel's rules, in words. */
export class Need {
  constructor(
    /** The operation as a subject: "sending". */
    public doing: string,
    /** OBJ_ENDPOINT, OBJ_PROCESS, or 0 for any type. */
    public type: u32,
    /** The rights it needs (PERM_* bits). */
    public rights: u32,
    /** Only the endpoint's owner may (RECEIVE). */
    public ownerOnly: bool,
  ) {}
}

export const TO_SEND = new Need("sending", OBJ_ENDPOINT, PERM_WRITE, false);
export const TO_CALL = new Need("a CALL", OBJ_ENDPOINT, PERM_WRITE, false);
export const TO_RECEIVE = new Need("receiving", OBJ_ENDPOINT, PERM_READ, true);
export const TO_GRANT = new Need("granting", 0, PERM_GRANT, false);
export const TO_REVOKE = new Need("revoking", 0, PERM_GRANT, false);
export const TO_KILL = new Need("ending a process", OBJ_PROCESS, PERM_WRITE, false);
/** DERIVE, ZOS_LEASE, DELETE: only that the slot holds something. */
export const TO_COPY = new Need("copying", 0, 0, false);

/**
 * Prints "<command>: refused (E_X): <why>". Returns true: the arguments
 * were fine, the kernel said no, so the shell prints no usage.
 */
export function refuse(command: string, code: i32, why: string): bool {
  println(command + ": refused (" + errorName(code) + "): " + why);
  return true;
}

/**
 * Why the kernel answered `code` to an operation on `slot`: for E_BADF and
 * E_PERM, what the slot holds against what the operation needs; for
 * anything else, what the code means.
 */
export function whyRefused(code: i32, slot: u32, need: Need): string {
  if (code == E_BADF) return emptySlot(slot);
  if (code != E_PERM) return errorMeaning(code);
  const info = capInspect(slot);
  if (info == null) return emptySlot(slot);
  const holds = "slot " + slot.toString() + " holds " + permsString(info.perms) + " on " + objectWords(info.type, info.objectId);
  if (need.type != 0 && info.type != need.type) {
    return holds + ", and " + need.doing + " needs " + (need.type == OBJ_ENDPOINT ? "an " : "a ") + objectTypeName(need.type);
  }
  const missing = need.rights & ~info.perms;
  const notOwner = need.ownerOnly && !ownsEndpoint(info.objectId);
  if (missing != 0) {
    return holds + ": " + need.doing + " needs " + listRights(missing, RIGHT_NAMES, " and ") + ", which it lacks" +
      (notOwner ? "; and only the endpoint's owner receives from it" : "");
  }
  if (notOwner) {
    return "only an endpoint's owner receives from it, and another process owns " +
      objectWords(info.type, info.objectId) + ": slot " + slot.toString() + " is a copy with " +
      permsString(info.perms) + ((info.perms & PERM_WRITE) != 0 ? " (with w you can send to it)" : "");
  }
  return errorMeaning(code);
}

export function emptySlot(slot: u32): string {
  return "slot " + slot.toString() + " is empty: there is no capability in it (caps lists this shell's)";
}

const RIGHTS: u32[] = [PERM_READ, PERM_WRITE, PERM_GRANT];
const RIGHT_WORDS: string[] = ["read", "write", "grant"];
const RIGHT_NAMES: string[] = ["r (read)", "w (write)", "g (grant)"];
const RIGHT_LETTERS: string[] = ["r", "w", "g"];

/** The words for the rights in `perms`, in rwg order, joined by `separator`. */
function listRights(perms: u32, words: string[], separator: string): string {
  const picked = new Array<string>();
  for (let i = 0; i < RIGHTS.length; i++) if ((perms & RIGHTS[i]) != 0) picked.push(words[i]);
  return picked.join(separator);
}

/** "rw- (read, write)"; "--- (no rights)". */
export function rightsWords(perms: u32): string {
  return permsString(perms) + " (" + ((perms & PERM_ALL) != 0 ? listRights(perms, RIGHT_WORDS, ", ") : "no rights") + ")";
}

/**
 * What a copy (derive, grant, lease) got against what was asked:
 * "requested rwg, got rw- (slot 3 holds rw-: g not held, rights never grow)".
 */
export function attenuationWords(requested: u32, got: u32, sourceSlot: u32, sourcePerms: u32): string {
  const words = "requested " + permsString(requested) + ", got " + permsString(got);
  const dropped = requested & ~got;
  if (dropped == 0) return words;
  return words + " (slot " + sourceSlot.toString() + " holds " + permsString(sourcePerms) + ": " +
    listRights(dropped, RIGHT_LETTERS, " and ") + " not held, rights never grow)";
}

/** "endpoint 7", "process 5". */
export function objectWords(type: u32, id: u64): string {
  return objectTypeName(type).toLowerCase() + " " + id.toString();
}

/** What a capability is for this shell, in a few words: "own endpoint: others send here, you receive". */
export function slotRole(info: CapInfo): string {
  const id = info.objectId;
  if (info.type == OBJ_PROCESS) {
    return "process " + id.toString() + ((info.perms & PERM_WRITE) != 0 ? ": kill " + id.toString() + " ends it" : "");
  }
  if (info.type != OBJ_ENDPOINT) return "";
  if (isOwnEndpoint(id)) return "own endpoint: others send here, you receive";
  if (isInputEndpoint(id)) return "input: what you type and notices arrive here";
  if (isCreatedEndpoint(id)) return "created by this shell: only it receives";
  if (id == <u64>INIT_ENDPOINT_ID) return "init's endpoint: spawn, programs ask here";
  return (info.perms & PERM_WRITE) != 0 ? "another's endpoint: you send, its owner receives"
    : "another's endpoint: only its owner receives";
}

/** "expires in 4200 ms" for a leased capability, "" for one that never expires. */
export function leaseWords(slot: u32): string {
  const lease = leaseLeft(slot);
  return lease != null ? "expires in " + lease.msLeft.toString() + " ms" : "";
}

/** "1 byte", "12 bytes". */
export function bytesWords(count: i32): string {
  return count.toString() + (count == 1 ? " byte" : " bytes");
}

/** "3 capabilities", "1 process": a count and its noun. */
export function countWords(count: u32, singular: string, plural: string): string {
  return count.toString() + " " + (count == 1 ? singular : plural);
}
