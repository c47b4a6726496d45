// The line editor of both consoles: the page's terminal (web/terminal-window.ts
// draws it with xterm) and `zos run` in the user's own terminal
// (cli/tty-session.ts). No DOM, no I/O: it turns the bytes a terminal sends
// for keys (xterm's onData, a raw-mode stdin) into an edited line, and says
// when a line is submitted, Ctrl+C is pressed or Ctrl+L asks for a clear screen.
//
// Keys: printable text inserts at the cursor; Backspace, Delete, Left,
// Right, Home/End (also Ctrl+A / Ctrl+E), Ctrl+Left/Right (word), Up/Down
// (history), Ctrl+U (to start), Ctrl+K (to end), Ctrl+W (word back),
// Enter submits, Ctrl+C interrupts, Ctrl+L clears the screen. Pasted text
// with line breaks submits one line per break.
//
// The line is kept as the clusters xterm draws in one cell (cell-layout.ts):
// the cursor moves, and Backspace and Delete remove, a whole wide character
// or a character with the combining marks joined to it, never half of one.

import { clusters, type Cluster } from './cell-layout.ts';

export type EditorEvent = { kind: 'submit'; line: string } | { kind: 'interrupt' } | { kind: 'clear' };

const ESC = '\x1b';

export class LineEditor {
  private cells: Cluster[] = [];
  private pos = 0; // index into cells
  private readonly history: string[] = [];
  private historyAt = 0; // == history.length: editing the draft
  private draft = '';

  constructor(readonly maxHistory = 500) {}

  get text(): string {
    return this.slice(0, this.cells.length);
  }

  /** The line as xterm draws it: one entry per cell cluster. */
  get clusters(): readonly Cluster[] {
    return this.cells;
  }

  /** Clusters in the line. */
  get length(): number {
    return this.cells.length;
  }

  /** The cursor, in clusters from the start. */
  get cursor(): number {
    return this.pos;
  }

  get historyEntries(): readonly string[] {
    return this.history;
  }

  /** Empties the line (after a submit or Ctrl+C); history stays. */
  reset(): void {
    this.cells = [];
    this.pos = 0;
    this.historyAt = this.history.length;
    this.draft = '';
  }

  /** Feeds what xterm's onData delivered; returns submits, interrupts and clears in order. */
  feed(data: string): EditorEvent[] {
    const events: EditorEvent[] = [];
    let i = 0;
    while (i < data.length) {
      const ch = data[i]!;
      if (ch === ESC) {
        i = this.escape(data, i);
        continue;
      }
      if (ch >= ' ' && ch !== '\x7f' || ch === '\t') { // a run of text is inserted at once
        let j = i + 1;
        while (j < data.length && (data[j]! >= ' ' && data[j] !== '\x7f' || data[j] === '\t')) j++;
        this.insert(data.slice(i, j).replaceAll('\t', '  '));
        i = j;
        continue;
      }
      i++;
      switch (ch) {
        case '\r':
        case '\n':
          if (ch === '\r' && data[i] === '\n') i++; // a pasted CRLF is one line end
          events.push({ kind: 'submit', line: this.submit() });
          break;
        case '\x03': events.push({ kind: 'interrupt' }); break;
        case '\x0c': events.push({ kind: 'clear' }); break; // Ctrl+L
        case '\x7f': case '\b': this.backspace(); break;
        case '\x01': this.pos = 0; break; // Ctrl+A
        case '\x05': this.pos = this.cells.length; break; // Ctrl+E
        case '\x02': this.move(-1); break; // Ctrl+B
        case '\x06': this.move(1); break; // Ctrl+F
        case '\x04': this.deleteForward(); break; // Ctrl+D
        case '\x15': this.replace(0, this.pos, ''); break; // Ctrl+U
        case '\x0b': this.replace(this.pos, this.cells.length, ''); break; // Ctrl+K
        case '\x17': this.deleteWordBack(); break; // Ctrl+W
        default: break; // other control characters are ignored
      }
    }
    return events;
  }

  private submit(): string {
    const line = this.text;
    if (line.trim() !== '' && this.history[this.history.length - 1] !== line) {
      this.history.push(line);
      if (this.history.length > this.maxHistory) this.history.shift();
    }
    this.reset();
    return line;
  }

  private slice(from: number, to: number): string {
    let s = '';
    for (let k = from; k < to; k++) s += this.cells[k]!.text;
    return s;
  }

  /**
   * Replaces clusters [from, to) with `text` and leaves the cursor after it.
   * The whole line is split again: what joins what can change at the edges
   * (a combining mark typed after a letter joins it).
   */
  private replace(from: number, to: number, text: string): void {
    const before = this.slice(0, from) + text;
    this.setLine(before + this.slice(to, this.cells.length), before.length);
  }

  /** Sets the line, the cursor after the cluster holding UTF-16 offset `at - 1`. */
  private setLine(line: string, at: number): void {
    this.cells = clusters(line);
    let offset = 0;
    let k = 0;
    while (k < this.cells.length && offset < at) offset += this.cells[k++]!.text.length;
    this.pos = k;
  }

  private insert(text: string): void {
    this.replace(this.pos, this.pos, text);
  }

  private backspace(): void {
    if (this.pos > 0) this.replace(this.pos - 1, this.pos, '');
  }

  private deleteForward(): void {
    if (this.pos < this.cells.length) this.replace(this.pos, this.pos + 1, '');
  }

  private deleteWordBack(): void {
    this.replace(this.wordStart(), this.pos, '');
  }

  private move(delta: number): void {
    this.pos = Math.max(0, Math.min(this.cells.length, this.pos + delta));
  }

  private isSpace(k: number): boolean {
    return this.cells[k]!.text === ' ';
  }

  private wordStart(): number {
    let p = this.pos;
    while (p > 0 && this.isSpace(p - 1)) p--;
    while (p > 0 && !this.isSpace(p - 1)) p--;
    return p;
  }

  private wordEnd(): number {
    let p = this.pos;
    while (p < this.cells.length && this.isSpace(p)) p++;
    while (p < this.cells.length && !this.isSpace(p)) p++;
    return p;
  }

  private historyStep(delta: number): void {
    const to = this.historyAt + delta;
    if (to < 0 || to > this.history.length) return;
    if (this.historyAt === this.history.length) this.draft = this.text;
    this.historyAt = to;
    const line = to === this.history.length ? this.draft : this.history[to]!;
    this.setLine(line, line.length);
  }

  /** Handles an escape sequence starting at `at`; returns the index after it. */
  private escape(data: string, at: number): number {
    const kind = data[at + 1];
    if (kind === 'O' && at + 2 < data.length) { // SS3: application cursor keys
      this.key(data[at + 2]!, '');
      return at + 3;
    }
    if (kind === '[') { // CSI: parameter bytes, intermediate bytes, a final byte (ECMA-48)
      let j = at + 2;
      while (j < data.length && data[j]! >= '0' && data[j]! <= '?') j++;
      const params = data.slice(at + 2, j);
      const k = j;
      while (j < data.length && data[j]! >= ' ' && data[j]! <= '/') j++;
      // Keys have no intermediates; xterm's answers to a program's queries
      // ("\x1b[?1;2c", "\x1b[12;40R", "\x1b[?2004;2$y") are read whole and ignored.
      if (j < data.length && j === k) this.key(data[j]!, params);
      return j + 1;
    }
    if (kind === ']' || kind === 'P') { // OSC, DCS: xterm's answer to a query (colours, settings), up to BEL or ST
      let j = at + 2;
      while (j < data.length && data[j] !== '\x07' && !(data[j] === ESC && data[j + 1] === '\\')) j++;
      return j >= data.length ? j : j + (data[j] === '\x07' ? 1 : 2);
    }
    if (kind === 'b') { this.pos = this.wordStart(); return at + 2; } // Alt+B
    if (kind === 'f') { this.pos = this.wordEnd(); return at + 2; } // Alt+F
    if (kind === '\x7f') { this.deleteWordBack(); return at + 2; } // Alt+Backspace
    return at + (kind === undefined ? 1 : 2); // a lone ESC or an unknown Alt+key
  }

  private key(final: string, params: string): void {
    const ctrl = /;5$/.test(params) || /;3$/.test(params); // Ctrl or Alt with an arrow
    switch (final) {
      case 'A': this.historyStep(-1); break;
      case 'B': this.historyStep(1); break;
      case 'C': if (ctrl) this.pos = this.wordEnd(); else this.move(1); break;
      case 'D': if (ctrl) this.pos = this.wordStart(); else this.move(-1); break;
      case 'H': this.pos = 0; break;
      case 'F': this.pos = this.cells.length; break;
      case '~':
        if (params === '1' || params === '7') this.pos = 0;
        else if (params === '4' || params === '8') this.pos = this.cells.length;
        else if (params === '3') this.deleteForward();
        break;
    }
  }
}
