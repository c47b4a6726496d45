// A terminal's cursor blinks while something happens in it (typing, output)
// and stops, steady, after a few quiet seconds: a blinking cursor repaints
// the page twice a second forever, the main cost of a desktop left idle
// (docs/performance.md, page idle). The next key or output starts it again.

import type { Terminal } from '@xterm/xterm';

export const BLINK_FOR_MS = 5000;

export class QuietCursor {
  private last = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly term: Terminal, private readonly blinkForMs = BLINK_FOR_MS) {}

  /** Something happened: blink (again), for `blinkForMs` from now. */
  poke(): void {
    this.last = performance.now();
    if (this.timer !== null) return;
    if (!this.term.options.cursorBlink) this.term.options.cursorBlink = true;
    this.schedule(this.blinkForMs);
  }

  dispose(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(ms: number): void {
    this.timer = setTimeout(() => {
      const quiet = performance.now() - this.last;
      if (quiet < this.blinkForMs) {
        this.schedule(this.blinkForMs - quiet);
        return;
      }
      this.timer = null;
      this.term.options.cursorBlink = false;
    }, ms);
  }
}
