// Whose console output `zos run` shows, and how: the programs it was asked
// to run, and the programs they started (a shell's `spawn`, followed up the
// kernel's requester chain by console/output-router.ts), but not init's nor
// the permission service's. A writer that is not the one before starts on a
// line of its own (a child's output after the shell's prompt), as in the
// page's terminal. With --json each named program's own output is kept too.

import { OutputRouter } from '../console/output-router.ts';
import type { Supervisor } from '../supervisor/supervisor.ts';

/** Where output is written: the plain stream, or the interactive terminal (which redraws the typed line after it). */
export interface OutputSink {
  output(text: string): void;
  atLineStart(): boolean;
}

export class ProgramOutput {
  private readonly router: OutputRouter;
  private readonly decoders = new Map<number, TextDecoder>(); // per PID: a character may be split between two writes
  private readonly captured = new Map<number, string>();
  private readonly programs = new Set<number>();
  private lastWriter: number | null = null;

  constructor(sup: Supervisor, private sink: OutputSink, private readonly capture: boolean) {
    this.router = new OutputRouter((pid) => sup.info(pid)?.requester);
    sup.onConsole('*', (pid, bytes) => {
      let decoder = this.decoders.get(pid);
      if (!decoder) this.decoders.set(pid, (decoder = new TextDecoder()));
      this.router.route(pid, decoder.decode(bytes, { stream: true }));
    });
  }

  /** A program named on the command line: its output, and that of what it starts, is shown. */
  addProgram(pid: number): void {
    this.programs.add(pid);
    this.router.addShell(pid, (text, from) => this.show(text, from));
  }

  /** Output goes to `sink` from now on. */
  switchTo(sink: OutputSink): void {
    this.sink = sink;
  }

  /** A named program's own output (--json). */
  of(pid: number): string {
    return this.captured.get(pid) ?? '';
  }

  /** Whether this process's output is shown: a named program or one started under it. */
  shows(pid: number): boolean {
    return this.router.shellOf(pid) !== undefined;
  }

  private show(text: string, from: number): void {
    if (text === '') return;
    if (this.capture && this.programs.has(from)) this.captured.set(from, this.of(from) + text);
    const switched = this.lastWriter !== null && from !== this.lastWriter && !this.sink.atLineStart();
    this.lastWriter = from;
    this.sink.output(switched ? `\n${text}` : text);
  }
}
