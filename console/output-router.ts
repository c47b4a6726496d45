// Which terminal shows which process's output: the page's terminals
// (web/session.ts), and `zos run`'s output, where each program named on the
// command line is a "shell" (cli/run.ts).
//
// A terminal shows its own shell's output, and that of every program
// started on its behalf. The kernel knows on whose behalf each process was
// started (its requester: the shell that asked init for it, which init names
// in INIT:SPAWN, docs/abi.md §6), so a program's output goes to the terminal
// of the first shell up its chain of requesters: a program started by a
// program that a shell started shows in that shell's terminal too. Output
// of a process with no terminal shell up its chain (started from the
// Processes panel or the page API) is shown in the Processes panel only.

export type Sink = (text: string, fromPid: number) => void;

/** A requester chain longer than this is not followed (it cannot loop: PIDs only grow). */
const MAX_HOPS = 64;

export class OutputRouter {
  private readonly sinks = new Map<number, Sink>(); // shell pid → its terminal
  private readonly requesters = new Map<number, number>(); // pid → requester, as the kernel said

  constructor(private readonly requesterOf: (pid: number) => number | undefined) {}

  addShell(pid: number, sink: Sink): void {
    this.sinks.set(pid, sink);
  }

  removeShell(pid: number): void {
    this.sinks.delete(pid);
  }

  /** The terminal shell a PID's output goes to, if any. */
  shellOf(pid: number): number | undefined {
    for (let hops = 0; hops < MAX_HOPS && pid > 0; hops++) {
      if (this.sinks.has(pid)) return pid;
      let next = this.requesters.get(pid);
      if (next === undefined) {
        next = this.requesterOf(pid);
        if (next === undefined) return undefined;
        this.requesters.set(pid, next); // a requester never changes
      }
      if (next >= pid) return undefined;
      pid = next;
    }
    return undefined;
  }

  /** Routes one decoded chunk of output. */
  route(pid: number, text: string): void {
    const shell = this.shellOf(pid);
    if (shell !== undefined) this.sinks.get(shell)!(text, pid);
  }
}
