// Running the real `zos` command (node bin/zos.mjs) as a child process: with
// standard input from a string, a closed pipe, /dev/null or an open pipe, or
// in a pseudo-terminal (run-in-pty.py) read through a headless xterm.

import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import xterm from '@xterm/headless';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ZOS = join(ROOT, 'bin', 'zos.mjs');

export interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** What standard input is: text then end of file; 'closed' (a pipe at end of file at once); 'null' (/dev/null); 'open' (a pipe nobody writes nor closes). */
  stdin?: string | 'closed' | 'null' | 'open';
  env?: Record<string, string>;
  /** Arguments for node before bin/zos.mjs. */
  nodeArgs?: string[];
  /** Sends zos a signal once its stdout contains `output`. */
  signalWhen?: { output: string; signal: NodeJS.Signals };
}

/** `zos ...args`; guarded: a run that hangs is killed after `guardMs` (code null). */
export function zos(args: string[], options: RunOptions = {}, guardMs = 20_000): Promise<Result> {
  const stdin = options.stdin ?? 'open';
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ZOS, ...args], {
      cwd: ROOT, env: { ...process.env, ...options.env }, stdio: [stdin === 'null' ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      const seen = options.signalWhen && stdout.includes(options.signalWhen.output);
      stdout += d;
      if (options.signalWhen && !seen && stdout.includes(options.signalWhen.output)) child.kill(options.signalWhen.signal);
    });
    child.stderr!.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    if (stdin === 'closed') child.stdin!.end();
    else if (stdin !== 'null' && stdin !== 'open') child.stdin!.end(stdin);
    const guard = setTimeout(() => child.kill('SIGKILL'), guardMs);
    child.on('close', (code) => {
      clearTimeout(guard);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A one-line error: exactly one line on stderr, starting "zos", and no stack frame in it. */
export function oneLine(stderr: string): string {
  const lines = stderr.split('\n').filter((l) => l !== '');
  if (lines.length !== 1 || !/^zos( bench| verify)?: /.test(lines[0]!) || /\n\s+at /.test(stderr)) {
    throw new Error(`expected a one-line error, got: ${JSON.stringify(stderr)}`);
  }
  return lines[0]!;
}

/**
 * `zos ...args` in a pseudo-terminal `cols` wide. What it writes goes through
 * a headless xterm of the same size, so a test reads the screen a user would
 * see and where the cursor is.
 */
export class PtyZos {
  readonly screen: InstanceType<typeof xterm.Terminal>;
  readonly exited: Promise<number | null>;
  private raw = '';
  private readonly child;

  constructor(args: string[], readonly cols = 40) {
    this.screen = new xterm.Terminal({ cols, rows: 24, allowProposedApi: true });
    this.child = spawn('python3', [join(ROOT, 'test/cli/run-in-pty.py'), String(cols), process.execPath, ZOS, ...args], { cwd: ROOT });
    this.child.stdout.setEncoding('utf8').on('data', (d: string) => {
      this.raw += d;
      this.screen.write(d);
    });
    this.exited = new Promise((resolve) => this.child.on('close', resolve));
  }

  /** Everything written so far, escape sequences and all. */
  get output(): string {
    return this.raw;
  }

  type(keys: string): void {
    this.child.stdin.write(keys);
  }

  /** Waits until the output after `from` contains `text`; returns where that text ends. */
  async waitFor(text: string, from = 0, timeoutMs = 15_000): Promise<number> {
    const start = Date.now();
    while (!this.raw.includes(text, from)) {
      if (Date.now() - start > timeoutMs) throw new Error(`no ${JSON.stringify(text)} in ${JSON.stringify(this.raw.slice(from))}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.raw.indexOf(text, from) + text.length;
  }

  /** The screen as text, trailing blank lines dropped, once xterm has parsed everything so far. */
  async lines(): Promise<string[]> {
    await new Promise<void>((resolve) => this.screen.write('', resolve));
    const buf = this.screen.buffer.active;
    const out: string[] = [];
    for (let y = 0; y < buf.length; y++) out.push(buf.getLine(y)!.translateToString(true));
    while (out.length > 0 && out.at(-1) === '') out.pop();
    return out;
  }

  /** The cursor: row from the top of the buffer, column. */
  async cursor(): Promise<{ row: number; col: number }> {
    await new Promise<void>((resolve) => this.screen.write('', resolve));
    const buf = this.screen.buffer.active;
    return { row: buf.baseY + buf.cursorY, col: buf.cursorX };
  }

  kill(): void {
    this.child.kill('SIGKILL');
  }
}
