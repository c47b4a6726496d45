// Drives the zos shell (apps/terminal) as a student does: one typed line
// at a time, through the real supervisor's console input.

import type { Booted } from './harness.ts';

export const PROMPT = 'zos$ ';
/** The shell's prompt, in serve mode too ("zos[serve 0]$ "). */
const ANY_PROMPT = /zos(?:\[serve \d+\])?\$ /g;

/** Polls `probe` until it gives something truthy. */
export async function waitFor<T>(what: string, probe: () => T | undefined | null | false, timeoutMs = 10_000): Promise<T> {
  const until = performance.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (performance.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** Where the first prompt at or after `from` starts, or -1. */
function promptAt(text: string, from: number): number {
  ANY_PROMPT.lastIndex = from;
  return ANY_PROMPT.exec(text)?.index ?? -1;
}

const endsWithPrompt = (text: string): boolean => /zos(?:\[serve \d+\])?\$ $/.test(text);

/** A terminal driven line by line. */
export class Shell {
  private constructor(private readonly z: Booted, readonly pid: number) {}

  static async start(z: Booted): Promise<Shell> {
    const shell = new Shell(z, z.sup.spawn('terminal'));
    await z.waitForOutput(shell.pid, PROMPT);
    return shell;
  }

  get output(): string {
    return this.z.output(this.pid);
  }

  /** Types a line and gives what the shell printed before its next prompt. */
  async run(line: string): Promise<string> {
    // A notice prints its own prompt, maybe a moment after the notice: start from a quiet shell.
    await waitFor(`pid ${this.pid} to show its prompt`, () => endsWithPrompt(this.output));
    const before = this.output.length;
    this.type(line);
    const end = await waitFor(`the prompt after ${JSON.stringify(line)} in pid ${this.pid}`, () => {
      const at = promptAt(this.output, before);
      return at >= 0 ? at + 1 : 0; // +1: a prompt at 0 is found too
    });
    return this.output.slice(before, end - 1);
  }

  /** Types a line without waiting for anything (a CALL blocks the shell until its reply). */
  type(line: string): void {
    this.z.sup.sendInput(this.pid, `${line}\n`);
  }

  /** Whether the shell shows the serve-mode prompt. */
  get serving(): boolean {
    return /zos\[serve \d+\]\$ $/.test(this.output);
  }

  /** Waits until the shell has printed `text` (anywhere in its output). */
  waitFor(text: string): Promise<string> {
    return this.z.waitForOutput(this.pid, text);
  }
}
