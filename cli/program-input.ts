// The first program's console input: the --input values, then standard
// input, which is one of
//  - a terminal, when the output is one too: an interactive session (raw
//    mode, the page's line editor; tty-session.ts);
//  - a pipe, a file, a socket, or a terminal whose output goes elsewhere
//    (the terminal's own line editing then applies): line by line, then EOT
//    at its end;
//  - /dev/null or another device, or a closed descriptor: not read at all, so
//    a run started with no input is not sent an EOT.
// All of it goes through one InputFeed, in order.

import { fstatSync } from 'node:fs';
import { isatty, type ReadStream } from 'node:tty';
import type { Supervisor } from '../supervisor/supervisor.ts';
import type { ConsoleOut } from './console-out.ts';
import { InputFeed } from './input-feed.ts';
import type { ProgramOutput } from './program-output.ts';
import { stdinPieces } from './stdin-lines.ts';

export interface ProgramInput {
  feed: InputFeed;
  /** Stops reading standard input (the terminal back to its normal mode). */
  stop(): void;
  /** Whether standard input had more to give when it was stopped. */
  readonly cutShort: boolean;
}

type Mode = 'terminal' | 'lines' | 'none';

/**
 * What standard input is, found before boot. On a terminal, raw mode starts
 * now, so that a key typed once the first program has printed its prompt is
 * never echoed by the terminal itself (it waits, unread, for the session);
 * and the session's code is loaded meanwhile (only then: the line editor's
 * Unicode tables would cost every other run its start-up time).
 */
export function inputSource(stream: NodeJS.WriteStream): { mode: Mode; tty: Promise<typeof import('./tty-session.ts')> | null } {
  const mode: Mode = isatty(0) ? (stream.isTTY ? 'terminal' : 'lines') : readable() ? 'lines' : 'none';
  if (mode === 'terminal') (process.stdin as ReadStream).setRawMode(true);
  return { mode, tty: mode === 'terminal' ? import('./tty-session.ts') : null };
}

/** Starts the first program's input: the --input values, then standard input. */
export async function connectInput(source: ReturnType<typeof inputSource>, sup: Supervisor, pid: number, inputs: string[],
  output: ProgramOutput, out: ConsoleOut, stream: NodeJS.WriteStream): Promise<ProgramInput> {
  const feed = new InputFeed(sup, pid);
  for (const text of inputs) void feed.send(text);
  if (source.tty) {
    const { TtySession } = await source.tty;
    const session = new TtySession({
      input: process.stdin as ReadStream,
      write: (text) => out.output(text),
      columns: () => stream.columns || 80,
      send: (text) => void feed.send(text),
      onEnd: () => void feed.end(),
      onStop: () => output.switchTo(out),
    });
    output.switchTo(session);
    session.start();
    void sup.waitForExit(pid).then(() => session.stop());
    return {
      feed, cutShort: false, stop: () => {
        session.stop();
        process.stdin.destroy();
      },
    };
  }
  if (source.mode === 'lines') return readLines(feed);
  return { feed, cutShort: false, stop: () => {} };
}

/** Standard input that is not a terminal: something to read, or /dev/null and the like. */
function readable(): boolean {
  try {
    const s = fstatSync(0);
    return s.isFIFO() || s.isFile() || s.isSocket();
  } catch {
    return false; // closed
  }
}

function readLines(feed: InputFeed): ProgramInput {
  let stopped = false;
  let leftOver = false; // input that came after the stop, never sent
  void (async () => {
    try {
      // Each piece waits for the one before to be queued: a program that reads slowly slows the reading.
      for await (const piece of stdinPieces(process.stdin)) {
        if (stopped) {
          leftOver = true;
          return;
        }
        await feed.send(piece);
      }
      if (!stopped) await feed.end();
    } catch (e) {
      if (!stopped) throw e;
    }
  })();
  return {
    feed,
    get cutShort() {
      return leftOver;
    },
    stop: () => {
      stopped = true;
      process.stdin.destroy();
    },
  };
}
