// Commands about processes: ps, programs, spawn, kill.

import {
  E_INVAL, E_NOENT, E_NOMEM, E_OK, errorCode, errorMeaning, findCap, isError, killProcess, lastError, listPrograms, listProcs,
  MAX_CHILDREN, MAX_NAME_BYTES, MAX_PROCESSES, OBJ_PROCESS, PERM_WRITE, println, SLOT_INIT, spawnService,
} from "../../process-lib";
import { CommandLine } from "./command-line";
import { refuse, TO_CALL, TO_KILL, whyRefused } from "./explain";
import { setForeground } from "./foreground";

export function ps(line: CommandLine): bool {
  if (line.count != 1) return false;
  const procs = listProcs();
  if (lastError() != E_OK) return refuse("ps", lastError(), errorMeaning(lastError()));
  println("  PID  NAME");
  for (let i = 0; i < procs.length; i++) println(procs[i].pid.toString().padStart(5) + "  " + procs[i].name);
  return true;
}

export function programs(line: CommandLine): bool {
  if (line.count != 1) return false;
  const names = listPrograms();
  if (lastError() != E_OK) return refuse("programs", lastError(), initUnreachable(lastError()));
  println("programs init can start for you (spawn <name>):");
  for (let i = 0; i < names.length; i++) println("  " + names[i]);
  return true;
}

export function spawn(line: CommandLine): bool {
  if (line.count != 2) return false;
  const name = line.word(1);
  const response = spawnService(name);
  if (response.pid == 0 && response.status == E_NOMEM) {
    println("spawn: refused (E_NOMEM): a process may have at most " + MAX_CHILDREN.toString() +
      " programs alive started for it, and the system at most " + MAX_PROCESSES.toString() +
      " processes; end one first (kill <pid>)");
    return true;
  }
  if (response.pid == 0) return refuse("spawn", <i32>response.status, whySpawnFailed(<i32>response.status, name));
  println("spawned " + name + " as pid " + response.pid.toString());
  if (response.status != E_OK) {
    println("spawn: no process capability for it: " + whySpawnFailed(<i32>response.status, name));
    return true;
  }
  println("  slot " + response.processSlot.toString() + " holds a Process capability to it: Ctrl+C or kill " +
    response.pid.toString() + " ends it");
  setForeground(response.pid, response.processSlot);
  return true;
}

export function kill(line: CommandLine): bool {
  const pid = line.number(1);
  if (line.count != 2 || pid < 0) return false;
  const slot = findCap(OBJ_PROCESS, <u64>pid, PERM_WRITE);
  if (isError(slot)) {
    println("kill: no process capability for pid " + pid.toString() + ": ending a process needs w on a Process " +
      "capability to it, and knowing its pid gives none (spawn gives you one for each program you start)");
    return true;
  }
  const result = killProcess(<u32>slot);
  if (isError(result)) return refuse("kill", errorCode(result), whyRefused(errorCode(result), <u32>slot, TO_KILL));
  println("killed pid " + pid.toString());
  return true;
}

function whySpawnFailed(code: i32, name: string): string {
  if (code == E_NOENT) return "init has no program named " + name + " (programs lists them)";
  if (code == E_INVAL) {
    return "init refused it: a name is 1 to " + MAX_NAME_BYTES.toString() +
      " letters, digits, _, - and ., and the binary must pass the validator";
  }
  return initUnreachable(code);
}

/** A CALL to init on slot 2 failed. */
function initUnreachable(code: i32): string {
  return "the CALL to init on slot " + SLOT_INIT.toString() + " failed: " + whyRefused(code, SLOT_INIT, TO_CALL);
}
