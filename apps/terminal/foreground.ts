// The foreground program: the last child started with `spawn`. Ctrl+C kills
// it, and the shell reports when it ends. The shell knows a child has ended
// when the kernel removes its Process capability (CAP_REVOKED, reason
// "process exited"), whether it exited, faulted or was killed.

import { capInspect, errorCode, isError, killProcess, OBJ_PROCESS, println } from "../../process-lib";
import { refuse, TO_KILL, whyRefused } from "./explain";

let active = false;
let foregroundPid: u32 = 0;
let foregroundSlot: u32 = 0; // the shell's Process capability to it

export function setForeground(pid: u32, processSlot: u32): void {
  active = true;
  foregroundPid = pid;
  foregroundSlot = processSlot;
}

/** Ctrl+C: kill the foreground program, if there is one. */
export function interrupt(): void {
  if (active && !stillHeld()) active = false; // the capability was deleted by hand
  if (!active) {
    println("^C");
    return;
  }
  println("^C killing pid " + foregroundPid.toString());
  const result = killProcess(foregroundSlot);
  if (isError(result)) refuse("kill", errorCode(result), whyRefused(errorCode(result), foregroundSlot, TO_KILL));
}

/** A capability in `slot` was removed; reports the end of the foreground program if it was its. */
export function onCapabilityGone(slot: u32): void {
  if (!active || slot != foregroundSlot) return;
  println("[exited] pid " + foregroundPid.toString());
  active = false;
}

function stillHeld(): bool {
  const info = capInspect(foregroundSlot);
  return info != null && info.type == OBJ_PROCESS && info.objectId == <u64>foregroundPid;
}
