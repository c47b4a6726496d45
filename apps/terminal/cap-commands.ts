// Commands about capabilities: caps, inspect, ep, derive, lease, grant,
// revoke, delete. Each says what it asked and what the kernel gave.

import {
  CapInfo, capDelete, capDerive, capGrant, capInspect, capLease, capRevoke, E_INVAL, E_NOENT, E_NOMEM, E_OK, epCreate,
  errorCode, errorMeaning, isError, lastError, leaseLeft, listCaps, MAX_ENDPOINTS, MAX_LEASE_MS, MAX_SLOTS, MAX_UNASKED_GRANTS,
  newestEndpointId, objectTypeName, parsePerms, permsString, println,
} from "../../process-lib";
import { CommandLine, NOT_A_NUMBER } from "./command-line";
import {
  attenuationWords, countWords, leaseWords, refuse, rightsWords, slotRole, TO_COPY, TO_GRANT, TO_REVOKE, whyRefused,
} from "./explain";
import { RIGHTS_LEGEND } from "./help";
import { isInputEndpoint, noteCreatedEndpoint } from "./identity";

/** The word `delete 1 <CONFIRM>` takes to delete the shell's own input anyway. */
const CONFIRM = "yes";

export function caps(line: CommandLine): bool {
  if (line.count != 1) return false;
  const entries = listCaps();
  if (lastError() != E_OK) return refuse("caps", lastError(), errorMeaning(lastError()));
  println(" SLOT  TYPE      OBJECT  PERMS  WHAT");
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    const info = capInspect(entry.slot);
    const perms = info != null ? permsString(info.perms) : "?";
    const what = info != null ? slotRole(info) : "";
    const lease = leaseWords(entry.slot);
    println(
      entry.slot.toString().padStart(5) + "  " + objectTypeName(entry.type).padEnd(8) +
      entry.objectId.toString().padStart(8) + "  " + perms.padEnd(5) + "  " +
      (lease.length > 0 ? (what.length > 0 ? what + "; " : "") + lease : what),
    );
  }
  println(RIGHTS_LEGEND);
  return true;
}

export function inspect(line: CommandLine): bool {
  const slot = line.number(1);
  if (line.count != 2 || slot < 0) return false;
  const info = capInspect(<u32>slot);
  if (info == null) {
    println("slot " + slot.toString() + " is empty");
    return true;
  }
  const what = slotRole(info);
  const lease = leaseWords(info.slot);
  println(
    "slot " + info.slot.toString() + ": " + objectTypeName(info.type) + " " + info.objectId.toString() +
    ", perms " + rightsWords(info.perms) + (what.length > 0 ? "; " + what : "") + (lease.length > 0 ? "; " + lease : ""),
  );
  return true;
}

export function ep(line: CommandLine): bool {
  if (line.count != 1) return false;
  const slot = epCreate();
  if (slot == -E_NOMEM) {
    return refuse("ep", E_NOMEM, "this shell owns " + MAX_ENDPOINTS.toString() + " endpoints already (the bound per " +
      "process), or all its " + MAX_SLOTS.toString() + " slots are full");
  }
  if (isError(slot)) return refuse("ep", errorCode(slot), errorMeaning(errorCode(slot)));
  const id = newestEndpointId();
  noteCreatedEndpoint(id);
  println("created endpoint " + id.toString() + " in slot " + slot.toString() +
    " (rwg: this shell owns it, so only it receives from it)");
  return true;
}

export function derive(line: CommandLine): bool {
  const slot = line.number(1);
  if (line.count != 3 || slot < 0) return false;
  const perms = parsePerms(line.word(2));
  if (perms < 0) return badPerms("derive", line.word(2));
  const source = capInspect(<u32>slot);
  const derived = capDerive(<u32>slot, perms);
  if (isError(derived)) return refuse("derive", errorCode(derived), whyCopyRefused(errorCode(derived), <u32>slot));
  println("derived slot " + derived.toString() + " from slot " + slot.toString() + ": " +
    copyWords(<u32>perms, <u32>derived, <u32>slot, source) + sharedLease(<u32>derived, <u32>slot));
  return true;
}

export function lease(line: CommandLine): bool {
  const slot = line.number(1);
  const ms = line.integer(3);
  if (line.count != 4 || slot < 0 || ms == NOT_A_NUMBER) return false;
  const perms = parsePerms(line.word(2));
  if (perms < 0) return badPerms("lease", line.word(2));
  const source = capInspect(<u32>slot);
  const sourceLease = leaseLeft(<u32>slot);
  // A number past what an i32 argument holds is passed as the nearest one,
  // which the kernel refuses the same way: the kernel decides, the shell explains.
  const leased = capLease(<u32>slot, perms, <i32>max(min(ms, <i64>i32.MAX_VALUE), <i64>i32.MIN_VALUE));
  if (leased == -E_INVAL) {
    return refuse("lease", E_INVAL, "a lease lasts 1 to " + MAX_LEASE_MS.toString() + " ms (7 days); " +
      line.word(3) + " ms is not one");
  }
  if (isError(leased)) return refuse("lease", errorCode(leased), whyCopyRefused(errorCode(leased), <u32>slot));
  const granted = leaseLeft(<u32>leased);
  const left = granted != null ? granted.msLeft : 0;
  let words = "leased slot " + leased.toString() + " from slot " + slot.toString() + ": " +
    copyWords(<u32>perms, <u32>leased, <u32>slot, source) + ", for " + left.toString() + " ms";
  if (sourceLease != null && granted != null && granted.expiresNs == sourceLease.expiresNs) {
    words += ", not " + ms.toString() + ": that is all slot " + slot.toString() + " has left, and a lease cannot " +
      "outlive its source";
  }
  println(words);
  println("  then the kernel revokes it and every copy made from it (notices say: expired)");
  return true;
}

export function grant(line: CommandLine): bool {
  const slot = line.number(1);
  const pid = line.number(2);
  if (line.count != 4 || slot < 0 || pid < 0) return false;
  const perms = parsePerms(line.word(3));
  if (perms < 0) return badPerms("grant", line.word(3));
  const source = capInspect(<u32>slot);
  const target = capGrant(<u32>slot, <u32>pid, perms);
  if (target == -E_NOMEM) {
    println("grant: refused (E_NOMEM): pid " + pid.toString() + " has no free slot, or this shell already holds " +
      MAX_UNASKED_GRANTS.toString() + " capabilities granted into it unasked, the bound per pair of processes;" +
      " it must delete some first");
    return true;
  }
  if (target == -E_NOENT) return refuse("grant", E_NOENT, "there is no live process with pid " + pid.toString() + " (ps lists them)");
  if (isError(target)) return refuse("grant", errorCode(target), whyRefused(errorCode(target), <u32>slot, TO_GRANT));
  // The target's CSpace is not this shell's to inspect: what it got is the rule, source ∩ requested.
  const got = source != null ? source.perms & <u32>perms : 0;
  const sourcePerms = source != null ? source.perms : 0;
  const lease = leaseLeft(<u32>slot);
  println("granted slot " + slot.toString() + " to pid " + pid.toString() + " as its slot " + target.toString() + ": " +
    attenuationWords(<u32>perms, got, <u32>slot, sourcePerms) +
    (lease != null ? "; it expires with slot " + slot.toString() + ", in " + lease.msLeft.toString() + " ms" : ""));
  return true;
}

export function revoke(line: CommandLine): bool {
  const slot = line.number(1);
  if (line.count != 2 || slot < 0) return false;
  const report = capRevoke(<u32>slot);
  if (report == null) return refuse("revoke", lastError(), whyRefused(lastError(), <u32>slot, TO_REVOKE));
  if (report.removed == 0 && report.inFlight == 0) {
    println("revoked: nothing was derived from slot " + slot.toString() + ", so nothing was removed");
    return true;
  }
  // In flight: moved by SEND_CAP and still queued; the receiver finds SLOT_LOST_IN_TRANSIT instead.
  println("revoked: removed " + countWords(report.removed, "capability", "capabilities") + " in " +
    countWords(report.processes, "process", "processes") +
    (report.inFlight > 0 ? ", " + report.inFlight.toString() + " in flight (lost in transit)" : "") +
    ": every copy made from slot " + slot.toString() + "; slot " + slot.toString() + " itself stays");
  return true;
}

export function deleteSlot(line: CommandLine): bool {
  const slot = line.number(1);
  const confirmed = line.count == 3 && line.word(2) == CONFIRM;
  if ((line.count != 2 && !confirmed) || slot < 0) return false;
  const info = capInspect(<u32>slot);
  if (info != null && isInputEndpoint(info.objectId) && !confirmed) {
    println("delete: slot " + slot.toString() + " is this shell's input: what you type arrives there, so without it " +
      "this shell can never hear you again, and exits. To do it anyway: delete " + slot.toString() + " " + CONFIRM);
    return true;
  }
  const result = capDelete(<u32>slot);
  if (isError(result)) return refuse("delete", errorCode(result), whyRefused(errorCode(result), <u32>slot, TO_COPY));
  println("deleted slot " + slot.toString() + " (copies made from it stay, until a revoke from above)");
  return true;
}

/** "requested rwg, got rw- (…)", from what the new slot holds. */
function copyWords(requested: u32, copy: u32, sourceSlot: u32, source: CapInfo | null): string {
  const info = capInspect(copy);
  return attenuationWords(requested, info != null ? info.perms : 0, sourceSlot, source != null ? source.perms : 0);
}

/** "; like slot 3, it expires in 4200 ms" when a copy inherits its source's lease. */
function sharedLease(copy: u32, sourceSlot: u32): string {
  const lease = leaseLeft(copy);
  return lease != null ? "; like slot " + sourceSlot.toString() + ", it expires in " + lease.msLeft.toString() + " ms" : "";
}

function whyCopyRefused(code: i32, slot: u32): string {
  if (code == E_NOMEM) return "this shell's " + MAX_SLOTS.toString() + " slots are full; delete some first";
  return whyRefused(code, slot, TO_COPY);
}

function badPerms(command: string, text: string): bool {
  println(command + ": perms " + text + ": use letters from rwg (r read, w write, g grant), or a number 0-7");
  return true;
}
