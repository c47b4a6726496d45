// A user's own programs: a binary dropped on the desktop, or one the editor
// compiled. Each is checked by the supervisor's validator (ABI §1) before
// anything changes; an accepted one is spawned in a terminal tab of its own
// and added to the session's program table, so the spawn menus and a
// shell's `spawn <name>` find it until the page is closed.

import { BUILTIN_APPS } from '../supervisor/apps.ts';
import { formatBytes } from './dom.ts';
import type { Session } from './session.ts';
import type { TerminalArea } from './terminal-area.ts';

export interface StartedProgram {
  /** The name it was registered and spawned under. */
  name: string;
  pid: number;
  /** The terminal tab showing it. */
  terminal: number;
  bytes: number;
}

/** Init spawns only names of letters, digits, `_`, `-` and `.`, 1 to 64 characters (docs/apps.md). */
const NAME_RULE = /^[A-Za-z0-9_.-]{1,64}$/;
const BUILTIN = new Set<string>(BUILTIN_APPS);

/** Why `name` can't name a program init would spawn, or null if it can. */
export function programNameProblem(name: string): string | null {
  if (NAME_RULE.test(name)) return null;
  return `"${name}" can't name a program: use 1 to 64 letters, digits, "_", "-" or "." (the names init spawns)`;
}

/** A program name from a file name: `My Tool (2).wasm` → `My-Tool-2`. */
export function nameFromFile(fileName: string): string {
  const name = fileName.replace(/\.wasm$/i, '').replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 64);
  return name || 'program';
}

/**
 * The name a user program is registered under: its own, unless a built-in
 * program has it (a user's `hello` must not replace the system's), then
 * `name-2`, `name-3`... A user program of the same name is replaced: that is
 * a new version of it.
 */
export function sessionName(wanted: string): string {
  return freeName(wanted, () => false);
}

/** `base`, or the first of `base-2`, `base-3`... that is neither a built-in program's name nor `taken`. */
export function freeName(base: string, taken: (name: string) => boolean): string {
  if (!BUILTIN.has(base) && !taken(base)) return base;
  for (let n = 2; ; n++) {
    const name = `${base.slice(0, 60)}-${n}`;
    if (!BUILTIN.has(name) && !taken(name)) return name;
  }
}

export class UserPrograms {
  constructor(
    private readonly session: Session,
    private readonly terminals: TerminalArea,
    private readonly changed: () => void,
  ) {}

  /**
   * Spawns `bytes` (parent PID 0) in a new terminal tab and registers the
   * name for the session. The supervisor validates before it creates
   * anything, so a refused binary throws the validator's ValidationError
   * with nothing changed.
   */
  run(wantedName: string, bytes: Uint8Array, origin: string): StartedProgram {
    const problem = programNameProblem(wantedName);
    if (problem) throw new Error(problem);
    const name = sessionName(wantedName);
    const pid = this.session.sup.spawn(bytes, { name });
    this.session.apps.add(name, bytes);
    const terminal = this.terminals.openProgram(pid, name);
    const renamed = name === wantedName ? '' : ` (as ${name}: ${wantedName} is a built-in program)`;
    this.terminals.get(terminal)?.notice(`\x1b[90m[${origin}: ${formatBytes(bytes.length)}, accepted by the validator (ABI §1); ` +
      `running as pid ${pid}${renamed}. It holds slot 0 its own endpoint, slot 1 its input (lines typed here), ` +
      `slot 2 write to init. \`spawn ${name}\` in a shell starts another.]\x1b[0m`);
    this.changed();
    return { name, pid, terminal, bytes: bytes.length };
  }
}
