// Which terminal shows which process's output.
//
// A terminal shows its own shell's output, and the output of programs that
// shell started with `spawn`. Such a program is spawned by init (its parent
// is PID 1), so the kernel's process table can't say which shell asked. Two
// facts can, and the first one seen wins:
//   1. init grants the requesting shell a Process capability to the child
//      (SPAWN_SERVICE, docs/apps.md): a shell holding a Process capability
//      to the child asked for it;
//   2. the shell prints `spawned <name> as pid N` when the answer arrives
//      (needed when the child ends before init's grant, like `hello`).
// Output of a child not yet attributed waits (up to 64 KiB) and is shown as
// soon as its shell is known. Attribution is transitive: a program started
// by a shell that was itself started from a terminal shows in that terminal.

import * as A from '../kernel/abi.ts';
import type { Kernel } from '../kernel/index.ts';

export type Sink = (text: string, fromPid: number) => void;

const PENDING_CAP = 64 * 1024;
const SPAWNED = /spawned (\S+) as pid (\d+)$/;

export class OutputRouter {
  private readonly sinks = new Map<number, Sink>(); // shell pid → its terminal
  private readonly owner = new Map<number, number>(); // child pid → shell pid
  private readonly pending = new Map<number, string[]>();
  private readonly partialLine = new Map<number, string>(); // shell pid → unfinished output line
  private readonly lastLookup = new Map<number, number>();

  constructor(private readonly kernel: Kernel) {}

  addShell(pid: number, sink: Sink): void {
    this.sinks.set(pid, sink);
  }

  removeShell(pid: number): void {
    this.sinks.delete(pid);
    this.partialLine.delete(pid);
  }

  /** The terminal shell a PID's output goes to, if known. */
  shellOf(pid: number): number | undefined {
    if (this.sinks.has(pid)) return pid;
    const owner = this.owner.get(pid);
    return owner !== undefined ? this.rootShell(owner) : undefined;
  }

  /** Routes one decoded chunk of output. */
  route(pid: number, text: string): void {
    if (this.sinks.has(pid)) {
      this.sinks.get(pid)!(text, pid);
      this.watchSpawnLines(pid, text);
      return;
    }
    let shell = this.shellOf(pid);
    if (shell === undefined && this.isCandidate(pid)) shell = this.lookUp(pid);
    if (shell !== undefined) {
      this.sinks.get(shell)?.(text, pid);
      if (this.owner.has(pid) && this.sinks.has(shell)) this.watchSpawnLines(pid, text);
      return;
    }
    if (!this.isCandidate(pid)) return;
    const list = this.pending.get(pid) ?? [];
    if (list.reduce((n, s) => n + s.length, 0) < PENDING_CAP) list.push(text);
    this.pending.set(pid, list);
  }

  /** Periodic retry for children whose output is waiting (called by the ticker). */
  retryPending(): void {
    for (const pid of [...this.pending.keys()]) this.lookUp(pid, true);
    // Output nobody claimed (a child of some other program) is not kept forever.
    while (this.pending.size > 64) this.pending.delete(this.pending.keys().next().value!);
  }

  private rootShell(pid: number): number | undefined {
    for (let hops = 0; hops < 16; hops++) {
      if (this.sinks.has(pid)) return pid;
      const next = this.owner.get(pid);
      if (next === undefined) return undefined;
      pid = next;
    }
    return undefined;
  }

  private isCandidate(pid: number): boolean {
    const p = this.kernel.state.procs.get(pid);
    return !!p && p.parent === A.PID_INIT && pid !== A.PID_PERMISSION;
  }

  /** Looks for a holder of a Process capability to `pid` (rate-limited per PID). */
  private lookUp(pid: number, force = false): number | undefined {
    const now = performance.now();
    if (!force && now - (this.lastLookup.get(pid) ?? -Infinity) < 100) return undefined;
    this.lastLookup.set(pid, now);
    for (const cap of this.kernel.state.caps.values()) {
      if (cap.type !== A.OBJ_PROCESS || cap.object !== pid || cap.pid === null || cap.pid === pid) continue;
      const shell = this.rootShell(cap.pid);
      if (shell !== undefined) {
        this.attribute(pid, cap.pid);
        return shell;
      }
    }
    return undefined;
  }

  private attribute(child: number, requester: number): void {
    if (this.owner.has(child) || this.sinks.has(child)) return;
    this.owner.set(child, requester);
    this.lastLookup.delete(child);
    const waiting = this.pending.get(child);
    this.pending.delete(child);
    const shell = this.rootShell(requester);
    if (waiting && shell !== undefined) for (const text of waiting) this.sinks.get(shell)?.(text, child);
  }

  /** Finds `spawned <name> as pid N` lines in a shell's output. */
  private watchSpawnLines(pid: number, text: string): void {
    if (!text.includes('\n') && !this.partialLine.has(pid) && !text.includes('spawned')) return;
    const lines = ((this.partialLine.get(pid) ?? '') + text).split('\n');
    const last = lines.pop()!;
    if (last.length > 0 && last.length < 512) this.partialLine.set(pid, last);
    else this.partialLine.delete(pid);
    for (const line of lines) {
      const m = SPAWNED.exec(line.replace(/\r$/, ''));
      if (!m) continue;
      const child = Number(m[2]);
      const record = this.kernel.state.procs.get(child);
      if (record && record.name === m[1] && this.isCandidate(child)) this.attribute(child, pid);
    }
  }
}
