// The terminal's line editor, with no DOM and no xterm: it turns the bytes
// xterm reports for keys (onData) into an edited line, and says when a line
// is submitted or Ctrl+C is pressed. terminal-window.ts draws it.
//
// Keys: printable text inserts at the cursor; Backspace, Delete, Left,
// Right, Home/End (also Ctrl+A / Ctrl+E), Ctrl+Left/Right (word), Up/Down
// (history), Ctrl+U (to start), Ctrl+K (to end), Ctrl+W (word back),
// Enter submits, Ctrl+C interrupts. Pasted text with line breaks submits
// one line per break. Each code point counts as one column.

export type EditorEvent = { kind: 'submit'; line: string } | { kind: 'interrupt' };

const ESC = '\x1b';

export class LineEditor {
  private chars: string[] = [];
  private pos = 0;
  private readonly history: string[] = [];
  private historyAt = 0; // == history.length: editing the draft
  private draft: string[] = [];

  constructor(readonly maxHistory = 500) {}

  get text(): string {
    return this.chars.join('');
  }

  get length(): number {
    return this.chars.length;
  }

  get cursor(): number {
    return this.pos;
  }

  get historyEntries(): readonly string[] {
    return this.history;
  }

  /** Empties the line (after a submit or Ctrl+C); history stays. */
  reset(): void {
    this.chars = [];
    this.pos = 0;
    this.historyAt = this.history.length;
    this.draft = [];
  }

  /** Feeds what xterm's onData delivered; returns submits and interrupts in order. */
  feed(data: string): EditorEvent[] {
    const events: EditorEvent[] = [];
    let i = 0;
    while (i < data.length) {
      const ch = data[i]!;
      if (ch === ESC) {
        i = this.escape(data, i);
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
        case '\x7f': case '\b': this.backspace(); break;
        case '\x01': this.pos = 0; break; // Ctrl+A
        case '\x05': this.pos = this.chars.length; break; // Ctrl+E
        case '\x02': this.move(-1); break; // Ctrl+B
        case '\x06': this.move(1); break; // Ctrl+F
        case '\x04': this.deleteForward(); break; // Ctrl+D
        case '\x15': this.chars.splice(0, this.pos); this.pos = 0; break; // Ctrl+U
        case '\x0b': this.chars.length = this.pos; break; // Ctrl+K
        case '\x17': this.deleteWordBack(); break; // Ctrl+W
        case '\t': this.insert('  '); break;
        default: {
          const code = ch.charCodeAt(0);
          if (code < 0x20) break; // other control characters are ignored
          // A surrogate pair is one code point, one column.
          if (code >= 0xd800 && code <= 0xdbff && i < data.length) {
            this.insert(ch + data[i]!);
            i++;
          } else this.insert(ch);
        }
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

  private insert(text: string): void {
    const add = [...text];
    this.chars.splice(this.pos, 0, ...add);
    this.pos += add.length;
  }

  private backspace(): void {
    if (this.pos === 0) return;
    this.chars.splice(this.pos - 1, 1);
    this.pos--;
  }

  private deleteForward(): void {
    if (this.pos < this.chars.length) this.chars.splice(this.pos, 1);
  }

  private deleteWordBack(): void {
    const to = this.wordStart();
    this.chars.splice(to, this.pos - to);
    this.pos = to;
  }

  private move(delta: number): void {
    this.pos = Math.max(0, Math.min(this.chars.length, this.pos + delta));
  }

  private wordStart(): number {
    let p = this.pos;
    while (p > 0 && this.chars[p - 1] === ' ') p--;
    while (p > 0 && this.chars[p - 1] !== ' ') p--;
    return p;
  }

  private wordEnd(): number {
    let p = this.pos;
    while (p < this.chars.length && this.chars[p] === ' ') p++;
    while (p < this.chars.length && this.chars[p] !== ' ') p++;
    return p;
  }

  private historyStep(delta: number): void {
    const to = this.historyAt + delta;
    if (to < 0 || to > this.history.length) return;
    if (this.historyAt === this.history.length) this.draft = this.chars.slice();
    this.historyAt = to;
    this.chars = to === this.history.length ? this.draft.slice() : [...this.history[to]!];
    this.pos = this.chars.length;
  }

  /** Handles an escape sequence starting at `at`; returns the index after it. */
  private escape(data: string, at: number): number {
    const kind = data[at + 1];
    if (kind === 'O' && at + 2 < data.length) { // SS3: application cursor keys
      this.key(data[at + 2]!, '');
      return at + 3;
    }
    if (kind === '[') {
      let j = at + 2;
      while (j < data.length && /[0-9;]/.test(data[j]!)) j++;
      if (j < data.length) this.key(data[j]!, data.slice(at + 2, j));
      return j + 1;
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
      case 'F': this.pos = this.chars.length; break;
      case '~':
        if (params === '1' || params === '7') this.pos = 0;
        else if (params === '4' || params === '8') this.pos = this.chars.length;
        else if (params === '3') this.deleteForward();
        break;
    }
  }
}
