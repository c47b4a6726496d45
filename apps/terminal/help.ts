// help: the commands by topic, one command explained, and a hint for a
// command name the shell does not know.

import { println } from "../../process-lib";
import { TOPICS } from "./command";
import { CommandLine } from "./command-line";
import { commandTable, findCommand } from "./commands";

/** What the letters of a capability's rights mean (caps prints it too). */
export const RIGHTS_LEGEND = "rights: r read (receive), w write (send, call), g grant (grant, revoke)";
/** Where `help <command>` wraps its explanation. */
const WRAP_COLUMN = 78;
const INDENT = "  ";

// Words people type from other systems, and the zos command that does that.
const SYNONYMS: string[][] = [
  ["receive", "recv"], ["run", "spawn"], ["exec", "spawn"], ["start", "spawn"], ["ls", "caps"], ["top", "ps"],
  ["quit", "exit"], ["cls", "clear"], ["answer", "reply"], ["listen", "serve"], ["rm", "delete"], ["man", "help"],
];
/** Names at most this many edits away from a command are taken for it (one more for long names). */
const MAX_EDITS = 2;
const LONG_NAME = 6;

export function help(line: CommandLine): bool {
  if (line.count > 2) return false;
  if (line.count == 2) explain(line.word(1));
  else listCommands();
  return true;
}

/** "unknown command: recieve (did you mean recv? try help)". */
export function unknownCommand(name: string): void {
  println("unknown command: " + name + " (" + didYouMean(name) + "try help)");
}

function listCommands(): void {
  const commands = commandTable();
  let width = 0;
  for (let i = 0; i < commands.length; i++) width = max(width, commands[i].synopsis().length);
  for (let t = 0; t < TOPICS.length; t++) {
    println(TOPICS[t]);
    for (let i = 0; i < commands.length; i++) {
      const command = commands[i];
      if (command.topic == TOPICS[t]) println(INDENT + command.synopsis().padEnd(width + 2) + command.summary);
    }
  }
  println(RIGHTS_LEGEND);
  println("perms: letters from rwg, or 0-7; tags: decimal, or 0x hex");
  println("help <command> explains one");
}

function explain(name: string): void {
  const command = findCommand(name);
  if (command == null) {
    println("help: no command " + name + " (" + didYouMean(name) + "help lists them)");
    return;
  }
  println(command.synopsis() + ": " + command.summary);
  printWrapped(command.details);
  println(INDENT + "needs: " + command.needs);
  println(INDENT + "example: " + command.example);
}

/** The text in lines of at most WRAP_COLUMN characters, indented. */
function printWrapped(text: string): void {
  const words = text.split(" ");
  let line = INDENT;
  for (let i = 0; i < words.length; i++) {
    if (line.length > INDENT.length && line.length + 1 + words[i].length > WRAP_COLUMN) {
      println(line);
      line = INDENT;
    }
    line += (line.length > INDENT.length ? " " : "") + words[i];
  }
  if (line.length > INDENT.length) println(line);
}

/** "did you mean recv? " or "". */
function didYouMean(name: string): string {
  const near = closestCommand(name);
  return near.length > 0 ? "did you mean " + near + "? " : "";
}

/** A command `name` was probably meant to be: a synonym, a unique prefix, or a near spelling; "" if none. */
function closestCommand(name: string): string {
  for (let i = 0; i < SYNONYMS.length; i++) if (SYNONYMS[i][0] == name) return SYNONYMS[i][1];
  const commands = commandTable();
  let prefixed = "";
  let prefixes = 0;
  let nearest = "";
  let nearestEdits = (name.length >= LONG_NAME ? MAX_EDITS + 1 : MAX_EDITS) + 1;
  for (let i = 0; i < commands.length; i++) {
    const candidate = commands[i].name;
    if (name.length >= 2 && candidate.startsWith(name)) {
      prefixed = candidate;
      prefixes++;
    }
    // Fewest edits first; between equals, the one that starts like the name.
    const edits = editDistance(name, candidate);
    const better = edits < nearestEdits ||
      (edits == nearestEdits && commonPrefix(name, candidate) > commonPrefix(name, nearest));
    if (better && edits < name.length) {
      nearest = candidate;
      nearestEdits = edits;
    }
  }
  return prefixes == 1 ? prefixed : nearest;
}

function commonPrefix(a: string, b: string): i32 {
  let n = 0;
  while (n < a.length && n < b.length && a.charCodeAt(n) == b.charCodeAt(n)) n++;
  return n;
}

/** Levenshtein distance: insertions, deletions and substitutions that turn `a` into `b`. */
function editDistance(a: string, b: string): i32 {
  let previous = new Array<i32>(b.length + 1);
  let current = new Array<i32>(b.length + 1);
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a.charCodeAt(i - 1) == b.charCodeAt(j - 1) ? 0 : 1);
      current[j] = min(substitution, min(previous[j], current[j - 1]) + 1);
    }
    const swap = previous;
    previous = current;
    current = swap;
  }
  return previous[b.length];
}
