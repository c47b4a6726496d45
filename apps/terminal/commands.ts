// The shell's commands: each with its topic and what `help` says about it,
// in the terms of the capability model. The commands themselves are in one
// file per topic.

import { caps, deleteSlot, derive, ep, grant, inspect, lease, revoke } from "./cap-commands";
import { Command } from "./command";
import { help } from "./help";
import { commits, log, showTime, verify } from "./log-commands";
import { callText, recv, replyText, sendText, serve } from "./message-commands";
import { kill, programs, ps, spawn } from "./process-commands";
import { clear, echo, exitShell } from "./shell-commands";

// Built on first use: `help` reads the table its own entry is in, which a
// global initializer could not refer to.
let table: Command[] | null = null;

export function commandTable(): Command[] {
  if (table == null) table = buildTable();
  return table!;
}

/** The command called `name`, or null. */
export function findCommand(name: string): Command | null {
  const commands = commandTable();
  for (let i = 0; i < commands.length; i++) if (commands[i].name == name) return commands[i];
  return null;
}

function buildTable(): Command[] {
  return [
    // processes
    new Command("ps", "", "processes", "list the running processes",
      "Asks the kernel for the live processes (LIST_PROCS): each has a PID, never reused. PID 0, the kernel and " +
      "supervisor, is not listed. Knowing a PID gives no power over a process: that takes a capability.",
      "nothing: any process may list them", "ps", ps),
    new Command("programs", "", "processes", "list the programs one can spawn",
      "Asks init, with a CALL on slot 2 (LIST_PROGRAMS), which programs it can start for you.",
      "w on slot 2 (init's endpoint)", "programs", programs),
    new Command("spawn", "<name>", "processes", "start a program (Ctrl+C kills it)",
      "Asks init, with a CALL on slot 2 (SPAWN_SERVICE), to start a program. Init has the supervisor start it " +
      "and this shell gets a Process capability (rw-) to the child: that capability, not the PID, is what lets " +
      "you end it. The child starts with its own endpoint, input and slot 2, and nothing of yours.",
      "w on slot 2 (init's endpoint)", "spawn hello", spawn),
    new Command("kill", "<pid>", "processes", "end a program this shell started",
      "Ends a process through a Process capability to it (ZOS_KILL). Its endpoints are destroyed, and every " +
      "capability to them is revoked (notices say: process exited).",
      "w on a Process capability to it (spawn gives you one)", "kill 5", kill),
    // capabilities
    new Command("caps", "", "capabilities", "list this shell's capabilities",
      "Lists the slots of this shell's CSpace (LIST_CAPS): the object each names, its rights as rwg letters, " +
      "what it is for, and a lease's time left. Slot 0 is this shell's own endpoint, slot 1 its input, slot 2 " +
      "write to init's endpoint.",
      "nothing: a process may always see its own capabilities", "caps", caps),
    new Command("inspect", "<slot>", "capabilities", "show the capability in a slot",
      "CAP_INSPECT: the object a slot names and its rights in words, what it is for, and when it expires if it " +
      "is leased.",
      "nothing", "inspect 0", inspect),
    new Command("ep", "", "capabilities", "create an endpoint",
      "EP_CREATE: a new endpoint owned by this shell, in a new slot with rwg. Only its owner receives from an " +
      "endpoint; give others a copy with w (grant) so they can send to it.",
      "nothing (at most 256 endpoints per process)", "ep", ep),
    new Command("derive", "<slot> <perms>", "capabilities", "make a weaker copy of a capability in a new slot",
      "CAP_DERIVE: copies a capability into a new slot of this shell with the rights you ask for that the " +
      "source has: rights never grow. The copy is a child of the source, so revoking the source removes it. " +
      "Perms are letters from rwg, or a number 0-7.",
      "a capability in the slot (no particular right)", "derive 0 w", derive),
    new Command("lease", "<slot> <perms> <ms>", "capabilities", "make a copy that expires after ms milliseconds",
      "ZOS_LEASE: as derive, and the kernel revokes the copy, and every copy made from it, when its time runs " +
      "out; each holder gets a notice saying expired. A lease lasts 1 ms to 7 days, and never longer than its " +
      "source has left: lifetimes, like rights, never grow.",
      "a capability in the slot (no particular right)", "lease 0 w 30000", lease),
    new Command("grant", "<slot> <pid> <perms>", "capabilities", "give another process a copy of a capability",
      "CAP_GRANT: puts a copy into another process's CSpace, with the rights you ask for that the source has. " +
      "The copy stays a child of your capability, so revoke takes it back.",
      "g (grant) on the slot", "grant 3 5 w", grant),
    new Command("revoke", "<slot>", "capabilities", "remove every copy made from a slot",
      "CAP_REVOKE: removes every copy made from the slot (derived, granted or leased, and the copies of those), " +
      "in every process; each holder gets a notice. The slot itself stays.",
      "g (grant) on the slot", "revoke 3", revoke),
    new Command("delete", "<slot>", "capabilities", "empty one of this shell's slots",
      "CAP_DELETE: drops this shell's own capability, with no notice to anyone. Copies made from it stay, still " +
      "reachable by a revoke from a slot above it.",
      "nothing: anyone may drop their own capability", "delete 4", deleteSlot),
    // messages
    new Command("send", "<slot> <tag> <text>", "messages", "send a message on an endpoint",
      "SEND: queues a message on the endpoint for its owner to receive. The kernel stamps your PID on it, so a " +
      "receiver always knows who sent it. The tag is a number, decimal or 0x hex, that says what the message is.",
      "w (write) on an endpoint", "send 3 0x10 hello", sendText),
    new Command("recv", "<slot>", "messages", "take the next message, without waiting",
      "RECEIVE: the next message queued on an endpoint, with who sent it. Only an endpoint's owner receives " +
      "from it, even if others hold r.",
      "r (read) on an endpoint this shell owns", "recv 0", recv),
    new Command("call", "<slot> <tag> <text>", "messages", "send a request and wait for the reply",
      "CALL: sends like send, and gives the receiver a one-shot right to reply; this shell waits until the " +
      "server answers with REPLY (or ends). Calling an endpoint this shell owns would wait forever: refused.",
      "w (write) on another process's endpoint", "call 3 0x10 hello", callText),
    new Command("reply", "<pid> <tag> <text>", "messages", "answer a CALL this shell received",
      "REPLY: answers the CALL pid made, which this shell received (recv, serve). Only the receiver of a CALL " +
      "may answer it, and only once: replies can't be forged.",
      "a CALL from pid, received and not yet answered", "reply 5 0x10 hi", replyText),
    new Command("serve", "[slot]", "messages", "print each message on an endpoint as it arrives",
      "Serve mode: this shell keeps receiving on an endpoint it owns (slot 0 if none is given) and prints " +
      "each message as it arrives, while you type commands as usual; answer a CALL with reply. An empty line " +
      "or Ctrl+C stops serving.",
      "r (read) on an endpoint this shell owns", "serve 0", serve),
    // logs
    new Command("log", "[n]", "logs", "show the last n SysLog events (default 10)",
      "The SysLog: every syscall of every process, its request and its answer (ZOS_AXIOM).",
      "nothing", "log 20", log),
    new Command("commits", "[n]", "logs", "show the last n commits (default 10)",
      "The CommitLog: every change of the kernel's state, hash-chained; replaying it gives the same state.",
      "nothing", "commits 5", commits),
    new Command("verify", "", "logs", "check the CommitLog hash chain",
      "Recomputes the hash chain of the CommitLog and says whether it is intact, or the first bad commit.",
      "nothing", "verify", verify),
    new Command("time", "", "logs", "show the time since boot and the wall clock",
      "GET_TIME and GET_WALLCLOCK. Time is an input the supervisor gives the kernel, so a replay sees the same " +
      "times and leases expire at the same commits.",
      "nothing", "time", showTime),
    // shell
    new Command("help", "[command]", "shell", "list the commands, or explain one",
      "Lists the commands by topic; help <command> explains one: what it does in terms of capabilities, the " +
      "right it needs, and an example.",
      "nothing", "help derive", help),
    new Command("echo", "<text>", "shell", "print text", "Prints the text on this shell's console.",
      "nothing", "echo hello", echo),
    new Command("clear", "", "shell", "clear the screen", "Clears the terminal.", "nothing", "clear", clear),
    new Command("exit", "[code]", "shell", "end the shell",
      "Ends this shell (EXIT). Its endpoints are destroyed, and every capability to them is revoked.",
      "nothing", "exit", exitShell),
  ];
}
