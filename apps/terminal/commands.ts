// The shell's commands. Each takes the parsed line and returns false when
// its arguments are wrong, which makes the shell print its usage.

import {
  AXIOM_COMMITS, AXIOM_SYSLOG, AXIOM_VERIFY, axiomText, capDelete, capDerive, capGrant, capInspect, capRevoke,
  describeError, E_NOMEM, E_OK, MAX_CHILDREN, MAX_PROCESSES, MAX_UNASKED_GRANTS, epCreate, errorCode, exit, findCap, isError, killProcess, lastError, listCaps, listProcs,
  newestEndpointId, OBJ_PROCESS, objectTypeName, parsePerms, PERM_WRITE, permsString, print, println, receive, send,
  spawnService, time, utf8Encode, wallclock,
} from "../../process-lib";
import { CommandLine } from "./command-line";
import { setForeground } from "./foreground";

export class Command {
  constructor(
    public name: string,
    public args: string,
    public summary: string,
    public run: (line: CommandLine) => bool,
  ) {}

  usage(): string {
    return this.name + ": usage: " + this.name + (this.args.length > 0 ? " " + this.args : "");
  }
}

const DEFAULT_LOG_COUNT = 10;

// Built on first use: `help` reads the table its own entry is in, which a
// global initializer could not refer to.
let table: Command[] | null = null;

export function commandTable(): Command[] {
  if (table == null) table = buildTable();
  return table!;
}

function buildTable(): Command[] {
  return [
    new Command("help", "", "list the commands", help),
    new Command("ps", "", "list the running processes", ps),
    new Command("caps", "", "list this shell's capabilities", caps),
    new Command("inspect", "<slot>", "show the capability in a slot", inspect),
    new Command("ep", "", "create an endpoint", ep),
    new Command("grant", "<slot> <pid> <perms>", "give a process a copy of a capability (perms: rwg or 0-7)", grant),
    new Command("derive", "<slot> <perms>", "make a weaker copy of a capability in a new slot", derive),
    new Command("revoke", "<slot>", "remove every capability derived or granted from a slot", revoke),
    new Command("delete", "<slot>", "empty one of this shell's slots", deleteSlot),
    new Command("send", "<slot> <tag> <text>", "send a text message on an endpoint (tag decimal or 0x hex)", sendText),
    new Command("recv", "<slot>", "take the next message from an endpoint, without waiting", recv),
    new Command("spawn", "<name>", "start a program in the foreground (Ctrl+C kills it)", spawn),
    new Command("kill", "<pid>", "end a program this shell started", kill),
    new Command("log", "[n]", "show the last n SysLog events (default 10)", log),
    new Command("commits", "[n]", "show the last n commits (default 10)", commits),
    new Command("verify", "", "check the CommitLog hash chain", verify),
    new Command("time", "", "show the time since boot and the wall clock", showTime),
    new Command("echo", "<text>", "print text", echo),
    new Command("clear", "", "clear the screen", clear),
    new Command("exit", "[code]", "end the shell", exitShell),
  ];
}

/**
 * Prints "<command>: error: E_X (meaning)". Returns true: the arguments
 * were fine, the operation failed, so no usage line.
 */
function reportError(line: CommandLine, code: i32): bool {
  println(line.word(0) + ": error: " + describeError(code));
  return true;
}

function help(line: CommandLine): bool {
  if (line.count != 1) return false;
  const commands = commandTable();
  let width = 0;
  for (let i = 0; i < commands.length; i++) width = max(width, synopsis(commands[i]).length);
  for (let i = 0; i < commands.length; i++) {
    println("  " + synopsis(commands[i]).padEnd(width + 2) + commands[i].summary);
  }
  return true;
}

function synopsis(command: Command): string {
  return command.args.length > 0 ? command.name + " " + command.args : command.name;
}

function ps(line: CommandLine): bool {
  if (line.count != 1) return false;
  const procs = listProcs();
  if (lastError() != E_OK) return reportError(line, lastError());
  println("  PID  NAME");
  for (let i = 0; i < procs.length; i++) println(procs[i].pid.toString().padStart(5) + "  " + procs[i].name);
  return true;
}

function caps(line: CommandLine): bool {
  if (line.count != 1) return false;
  const entries = listCaps();
  if (lastError() != E_OK) return reportError(line, lastError());
  println(" SLOT  TYPE      OBJECT  PERMS");
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    const info = capInspect(entry.slot);
    println(
      entry.slot.toString().padStart(5) + "  " + objectTypeName(entry.type).padEnd(8) +
      entry.objectId.toString().padStart(8) + "  " + (info != null ? permsString(info.perms) : "?"),
    );
  }
  return true;
}

function inspect(line: CommandLine): bool {
  const slot = line.number(1);
  if (line.count != 2 || slot < 0) return false;
  const info = capInspect(<u32>slot);
  if (info == null) {
    println("slot " + slot.toString() + " is empty");
    return true;
  }
  println(
    "slot " + info.slot.toString() + ": " + objectTypeName(info.type) + " " + info.objectId.toString() +
    ", perms " + permsString(info.perms),
  );
  return true;
}

function ep(line: CommandLine): bool {
  if (line.count != 1) return false;
  const slot = epCreate();
  if (isError(slot)) return reportError(line, errorCode(slot));
  println("created endpoint " + newestEndpointId().toString() + " in slot " + slot.toString());
  return true;
}

function grant(line: CommandLine): bool {
  const slot = line.number(1);
  const pid = line.number(2);
  const perms = parsePerms(line.word(3));
  if (line.count != 4 || slot < 0 || pid < 0 || perms < 0) return false;
  const target = capGrant(<u32>slot, <u32>pid, perms);
  if (target == -E_NOMEM) {
    println("grant: refused (E_NOMEM): pid " + pid.toString() + " has no free slot, or this shell already holds " +
      MAX_UNASKED_GRANTS.toString() + " capabilities granted into it unasked, the bound per pair of processes;" +
      " it must delete some first");
    return true;
  }
  if (isError(target)) return reportError(line, errorCode(target));
  println("granted slot " + slot.toString() + " to pid " + pid.toString() + " as its slot " + target.toString());
  return true;
}

function derive(line: CommandLine): bool {
  const slot = line.number(1);
  const perms = parsePerms(line.word(2));
  if (line.count != 3 || slot < 0 || perms < 0) return false;
  const derived = capDerive(<u32>slot, perms);
  if (isError(derived)) return reportError(line, errorCode(derived));
  println("derived slot " + derived.toString() + " from slot " + slot.toString());
  return true;
}

function revoke(line: CommandLine): bool {
  const slot = line.number(1);
  if (line.count != 2 || slot < 0) return false;
  const result = capRevoke(<u32>slot);
  if (isError(result)) return reportError(line, errorCode(result));
  println("revoked every capability derived from slot " + slot.toString());
  return true;
}

function deleteSlot(line: CommandLine): bool {
  const slot = line.number(1);
  if (line.count != 2 || slot < 0) return false;
  const result = capDelete(<u32>slot);
  if (isError(result)) return reportError(line, errorCode(result));
  println("deleted slot " + slot.toString());
  return true;
}

function sendText(line: CommandLine): bool {
  const slot = line.number(1);
  const tag = line.number(2);
  if (line.count < 4 || slot < 0 || tag < 0) return false;
  const payload = utf8Encode(line.rest(3));
  const result = send(<u32>slot, <u32>tag, payload);
  if (isError(result)) return reportError(line, errorCode(result));
  println("sent " + payload.byteLength.toString() + " bytes");
  return true;
}

function recv(line: CommandLine): bool {
  const slot = line.number(1);
  if (line.count != 2 || slot < 0) return false;
  const message = receive(<u32>slot, false, 0);
  if (message == null) {
    if (lastError() != E_OK) return reportError(line, lastError());
    println("no message");
    return true;
  }
  println(
    "from pid " + message.from.toString() + ", tag 0x" + message.tag.toString(16) + ", " +
    message.payload.byteLength.toString() + " bytes: " + message.text(),
  );
  return true;
}

function spawn(line: CommandLine): bool {
  if (line.count != 2) return false;
  const name = line.word(1);
  const response = spawnService(name);
  if (response.pid == 0 && response.status == E_NOMEM) {
    println("spawn: refused (E_NOMEM): a process may have at most " + MAX_CHILDREN.toString() +
      " programs alive started for it, and the system at most " + MAX_PROCESSES.toString() +
      " processes; end one first (kill <pid>)");
    return true;
  }
  if (response.pid == 0) return reportError(line, response.status);
  println("spawned " + name + " as pid " + response.pid.toString());
  if (response.status != E_OK) {
    println("spawn: no process capability for it: " + describeError(response.status));
    return true;
  }
  setForeground(response.pid, response.processSlot);
  return true;
}

function kill(line: CommandLine): bool {
  const pid = line.number(1);
  if (line.count != 2 || pid < 0) return false;
  const slot = findCap(OBJ_PROCESS, <u64>pid, PERM_WRITE);
  if (isError(slot)) {
    println("kill: no process capability for pid " + pid.toString());
    return true;
  }
  const result = killProcess(<u32>slot);
  if (isError(result)) return reportError(line, errorCode(result));
  println("killed pid " + pid.toString());
  return true;
}

function log(line: CommandLine): bool {
  return showAxiom(line, AXIOM_SYSLOG);
}

function commits(line: CommandLine): bool {
  return showAxiom(line, AXIOM_COMMITS);
}

function verify(line: CommandLine): bool {
  if (line.count != 1) return false;
  return showAxiom(line, AXIOM_VERIFY);
}

function showAxiom(line: CommandLine, kind: i32): bool {
  const count = line.count > 1 ? line.number(1) : DEFAULT_LOG_COUNT;
  if (line.count > 2 || count < 0) return false;
  const text = axiomText(kind, <i32>count);
  if (text == null) return reportError(line, lastError());
  print(text.endsWith("\n") || text.length == 0 ? text : text + "\n");
  return true;
}

function showTime(line: CommandLine): bool {
  if (line.count != 1) return false;
  const ns = time();
  const millis = (ns / 1_000_000) % 1000;
  println("uptime: " + ns.toString() + " ns (" + (ns / 1_000_000_000).toString() + "." +
    millis.toString().padStart(3, "0") + " s since boot)");
  println("wallclock: " + wallclock().toString() + " ms since the Unix epoch");
  return true;
}

function echo(line: CommandLine): bool {
  println(line.rest(1));
  return true;
}

function clear(line: CommandLine): bool {
  if (line.count != 1) return false;
  print("\x1b[2J\x1b[H");
  return true;
}

function exitShell(line: CommandLine): bool {
  const code = line.count > 1 ? line.number(1) : 0;
  if (line.count > 2 || code < 0) return false;
  exit(<i32>code);
  return true;
}
