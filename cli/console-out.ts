// The programs' console output on the CLI's stream (stdout; stderr with
// --json), and the rule about its end: what zos printed ends with a newline,
// whatever the programs' last write was (a shell's prompt does not).

import type { OutputSink } from './program-output.ts';

export class ConsoleOut implements OutputSink {
  private endsWithNewline = true;

  constructor(private readonly stream: NodeJS.WritableStream) {}

  output(text: string): void {
    if (text === '') return;
    this.stream.write(text);
    this.endsWithNewline = text.endsWith('\n');
  }

  atLineStart(): boolean {
    return this.endsWithNewline;
  }

  /** Once no more output comes: the newline a last partial line lacks. */
  finish(): void {
    this.output(this.endsWithNewline ? '' : '\n');
  }
}
