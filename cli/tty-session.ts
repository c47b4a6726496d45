// `zos run` on a terminal: the first program's console is the user's own
// terminal, in raw mode, edited as in the page's terminal. The line editor
// is the page's (console/line-editor.ts); TtyLineView draws it. A whole line
// goes to the program with "\n"; Ctrl+C goes as "\x03" (the shell kills its
// foreground program on it); Ctrl+L clears the screen, the prompt and the
// line kept; Ctrl+D on an empty line ends the input (the caller sends EOT),
// elsewhere it deletes the character under the cursor.

import type { ReadStream } from 'node:tty';
import { LineEditor } from '../console/line-editor.ts';
import { EOT } from './input-feed.ts';
import type { OutputSink } from './program-output.ts';
import { TtyLineView } from './tty-line-view.ts';

export interface TtySessionOptions {
  input: ReadStream;
  /** Writes to the terminal. */
  write(text: string): void;
  columns(): number;
  /** A line or a Ctrl+C for the program. */
  send(text: string): void;
  /** Ctrl+D on an empty line (the session has stopped first). */
  onEnd(): void;
  /** The session has stopped, for whatever reason: output is no longer its. */
  onStop(): void;
}

export class TtySession implements OutputSink {
  private readonly editor = new LineEditor();
  private readonly view: TtyLineView;
  private active = false;
  private readonly onData = (data: string): void => this.keys(data);

  constructor(private readonly o: TtySessionOptions) {
    this.view = new TtyLineView(o.columns);
  }

  start(): void {
    this.active = true;
    this.o.input.setRawMode(true);
    this.o.input.setEncoding('utf8');
    this.o.input.on('data', this.onData);
    this.o.input.resume();
  }

  /** A program's output, written before the line being typed. */
  output(text: string): void {
    this.o.write(this.view.output(text, this.editor));
  }

  /** Whether the programs' output stopped at the start of a line. */
  atLineStart(): boolean {
    return this.view.atLineStart();
  }

  /** Back to the terminal's normal mode; what was typed and not sent stays on the screen. */
  stop(): void {
    if (!this.active) return;
    this.active = false;
    this.o.write(this.view.finish(this.editor.text, false));
    this.editor.reset();
    this.o.input.off('data', this.onData);
    this.o.input.setRawMode(false);
    this.o.input.pause();
    this.o.onStop();
  }

  private keys(data: string): void {
    const parts = data.split(EOT);
    for (let i = 0; i < parts.length && this.active; i++) {
      if (i > 0) {
        if (this.editor.length === 0) {
          this.stop();
          this.o.onEnd();
          return;
        }
        this.edit(EOT);
      }
      this.edit(parts[i]!);
    }
  }

  private edit(data: string): void {
    for (const event of this.editor.feed(data)) {
      // What is typed after a line end in the same data already belongs to the next line.
      if (event.kind === 'submit') {
        this.o.write(this.view.finish(event.line, true));
        this.o.send(`${event.line}\n`);
      } else if (event.kind === 'interrupt') {
        this.o.write(this.view.finish(this.editor.text, false));
        this.editor.reset();
        this.o.send('\x03');
      } else {
        this.o.write(this.view.clear(this.editor));
      }
    }
    this.o.write(this.view.render(this.editor));
  }
}
