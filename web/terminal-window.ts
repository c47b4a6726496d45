// One terminal: an xterm.js view bound to one shell process.
//
// The line is edited here, in JS (line-editor.ts), and only whole lines go
// to the process (CONSOLE_INPUT, with "\n"); Ctrl+C is an interrupt (a shell
// gets "\x03", a program in a tab of its own is killed). The
// input being typed is drawn after wherever the output stopped (usually the
// shell's prompt). Output that arrives while a line is being typed erases
// it, is written, and the line is drawn again after it.
//
// Every write goes through one queue, one xterm write at a time: each
// drawing step is computed when the previous write has been parsed, so the
// cursor and scroll position it reads are current. Output waiting in the
// queue is merged into one write, so a flood costs one write per parse cycle,
// not one per chunk. The start of the input line is an xterm marker (it
// follows scrolling and scrollback trimming) plus a column.

import { FitAddon } from '@xterm/addon-fit';
import { Terminal, type IMarker } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import type { ProcessInfo } from '../kernel/index.ts';
import { h } from './dom.ts';
import { LineEditor } from './line-editor.ts';

type Op =
  | { kind: 'output'; text: string; pid: number | null }
  | { kind: 'render' }
  | { kind: 'finish'; text: string; cursorAtEnd: true; newline: boolean };

/** Output waiting for xterm beyond this is dropped (and the drop reported). */
const MAX_QUEUED_CHARS = 4 << 20;

const THEME = {
  background: '#0b0f14',
  foreground: '#d6dde6',
  cursor: '#7ee0c3',
  cursorAccent: '#0b0f14',
  selectionBackground: '#2b4a63',
  black: '#1c232c', red: '#ff7b72', green: '#7ee0a1', yellow: '#e3c26f',
  blue: '#6cb6ff', magenta: '#d2a8ff', cyan: '#76e3ea', white: '#d6dde6',
  brightBlack: '#6e7c8c', brightRed: '#ffa198', brightGreen: '#a5f0c0', brightYellow: '#f2d98c',
  brightBlue: '#9ccfff', brightMagenta: '#e2c5ff', brightCyan: '#a8f0f5', brightWhite: '#ffffff',
};

const cup = (row: number, col: number): string => `\x1b[${Math.max(0, row) + 1};${Math.max(0, col) + 1}H`;

export interface TerminalWindowOptions {
  /** Delivers input to the bound process; returns the kernel status. */
  send(pid: number, text: string): number;
  /** Ctrl+C with nothing selected, for the bound process. */
  interrupt(win: TerminalWindow): void;
  onStateChange?(win: TerminalWindow): void;
}

export class TerminalWindow {
  readonly element: HTMLDivElement;
  readonly term: Terminal;
  readonly editor = new LineEditor();
  pid: number | null = null;
  /** What runs in it: `terminal` (a shell) or the name of a program opened in its own tab. */
  program = 'terminal';
  ended: ProcessInfo | null = null;
  private readonly fit = new FitAddon();
  private readonly resizeObserver: ResizeObserver;
  private fitPending = false;
  private ops: Op[] = [];
  private writing = false;
  private anchor: { marker: IMarker; col: number } | null = null;
  private shownLen = 0; // characters of input currently drawn after the anchor
  private queuedChars = 0;
  private droppedChars = 0;
  private opened = false;
  private lastWriter: number | null = null; // the PID whose output was written last

  constructor(readonly id: number, private readonly options: TerminalWindowOptions) {
    this.element = h('div', { class: 'term-pane', 'data-terminal-id': id });
    this.term = new Terminal({
      convertEol: true, // processes write "\n"; xterm needs "\r\n"
      cursorBlink: true,
      cursorInactiveStyle: 'outline',
      fontFamily: '"JetBrains Mono", "Cascadia Code", "Fira Code", Menlo, Consolas, "DejaVu Sans Mono", monospace',
      fontSize: 13,
      lineHeight: 1.15,
      scrollback: 5000,
      theme: THEME,
      allowProposedApi: false,
    });
    this.term.loadAddon(this.fit);
    this.term.onData((data) => this.onData(data));
    // Ctrl+C with a selection copies (the browser does it); without one it interrupts.
    this.term.attachCustomKeyEventHandler((e) =>
      !(e.type === 'keydown' && e.ctrlKey && !e.shiftKey && e.key === 'c' && this.term.hasSelection()));
    this.resizeObserver = new ResizeObserver(() => this.scheduleFit());
  }

  /** Opens xterm in the pane; call once the pane is in the document. */
  open(): void {
    if (this.opened) return;
    this.opened = true;
    this.term.open(this.element);
    this.resizeObserver.observe(this.element);
    this.scheduleFit();
  }

  bind(pid: number, program = 'terminal'): void {
    this.pid = pid;
    this.program = program;
    this.options.onStateChange?.(this);
  }

  get title(): string {
    if (this.pid === null) return 'boot';
    return `${this.program} · pid ${this.pid}`;
  }

  focus(): void {
    this.term.focus();
  }

  /**
   * Output of the bound process or of one it started (`fromPid`), decoded.
   * When the writer changes in mid-line (a child's output after the shell's
   * prompt), the new writer starts on a line of its own.
   */
  output(text: string, fromPid: number | null = null): void {
    if (text.length === 0) return;
    if (this.queuedChars + text.length > MAX_QUEUED_CHARS) {
      this.droppedChars += text.length;
      return;
    }
    if (this.droppedChars > 0) {
      const note = `\r\n\x1b[33m[terminal: ${this.droppedChars} characters of output dropped: xterm fell behind]\x1b[0m\r\n`;
      this.droppedChars = 0;
      this.enqueue({ kind: 'output', text: note, pid: null });
    }
    this.enqueue({ kind: 'output', text, pid: fromPid });
  }

  /** A line from the page itself (boot log, notices), not from a process. */
  notice(text: string): void {
    this.enqueue({ kind: 'output', text: text.endsWith('\n') ? text : `${text}\n`, pid: null });
  }

  /** The bound process ended: say so and stop taking input. */
  end(info: ProcessInfo): void {
    this.ended = info;
    const how = info.status === 'exited' ? `exited with code ${info.exitCode}`
      : `faulted (${info.fault?.reason ?? '?'}${info.fault?.description ? `: ${info.fault.description}` : ''})`;
    const typed = this.editor.text;
    this.editor.reset();
    if (typed || this.shownLen) this.enqueue({ kind: 'finish', text: typed, cursorAtEnd: true, newline: false });
    this.notice(`\r\n\x1b[90m[pid ${info.pid} ${how}. Close this tab or open a new terminal with +]\x1b[0m`);
    this.options.onStateChange?.(this);
  }

  /** The visible text of the terminal's buffer, wrapped lines joined. */
  screenText(): string {
    const buf = this.term.buffer.active;
    const lines: string[] = [];
    for (let y = 0; y < buf.length; y++) {
      const line = buf.getLine(y);
      if (!line) continue;
      const text = line.translateToString(true);
      if (line.isWrapped && lines.length > 0) lines[lines.length - 1] += text;
      else lines.push(text);
    }
    while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    return lines.join('\n');
  }

  /** Fits now if the pane has a size (after being shown). */
  refit(): void {
    this.scheduleFit();
  }

  dispose(): void {
    this.resizeObserver.disconnect();
    this.anchor?.marker.dispose();
    this.term.dispose();
    this.element.remove();
  }

  // ---------------------------------------------------------------------

  private onData(data: string): void {
    if (this.pid === null || this.ended) return;
    const pid = this.pid;
    for (const event of this.editor.feed(data)) {
      // What is typed after a line end in the same data belongs to the next line:
      // the editor has already started it, so the finished line is drawn from the event.
      if (event.kind === 'submit') {
        this.enqueue({ kind: 'finish', text: event.line, cursorAtEnd: true, newline: true });
        this.options.send(pid, `${event.line}\n`);
      } else {
        const typed = this.editor.text;
        this.editor.reset();
        this.enqueue({ kind: 'finish', text: typed, cursorAtEnd: true, newline: false });
        this.options.interrupt(this);
      }
    }
    if (this.editor.length > 0 || this.shownLen > 0) this.enqueue({ kind: 'render' });
  }

  private enqueue(op: Op): void {
    if (op.kind === 'output') this.queuedChars += op.text.length;
    this.ops.push(op);
    this.pump();
  }

  /** Writes the next step, once the previous one has been parsed. */
  private pump(): void {
    if (this.writing || this.ops.length === 0) return;
    const op = this.ops.shift()!;
    if (op.kind === 'output') {
      // Merge waiting output of the same writer into one write.
      while (this.ops[0]?.kind === 'output' && this.ops[0].pid === op.pid) op.text += (this.ops.shift() as { text: string }).text;
      this.queuedChars -= op.text.length;
    } else if (op.kind === 'render') {
      while (this.ops[0]?.kind === 'render') this.ops.shift();
    }
    const seq = this.sequenceFor(op);
    if (seq === '') {
      this.afterOp(op);
      this.pump();
      return;
    }
    this.writing = true;
    this.term.write(seq, () => {
      this.writing = false;
      this.afterOp(op);
      this.pump();
    });
  }

  private sequenceFor(op: Op): string {
    switch (op.kind) {
      case 'output': {
        const erasing = this.anchor !== null && this.shownLen > 0;
        const erase = erasing ? this.moveToAnchor() + '\x1b[J' : '';
        const column = erasing ? this.anchor!.col : this.term.buffer.active.cursorX;
        const switched = op.pid !== null && this.lastWriter !== null && op.pid !== this.lastWriter;
        if (op.pid !== null) this.lastWriter = op.pid;
        return erase + (switched && column > 0 ? '\r\n' : '') + op.text;
      }
      case 'render':
        if (this.editor.length === 0 && this.shownLen === 0) return '';
        return this.drawInput(this.editor.text, this.editor.length, this.editor.cursor);
      case 'finish': {
        const len = [...op.text].length;
        const draw = len > 0 || this.shownLen > 0 ? this.drawInput(op.text, len, len) : '';
        return draw + (op.newline ? '\r\n' : '');
      }
    }
  }

  private afterOp(op: Op): void {
    if (op.kind === 'output') {
      this.dropAnchor();
      // Output that ends exactly at the right margin leaves the cursor past
      // the last column; start the input on a fresh line instead.
      if (this.term.buffer.active.cursorX >= this.term.cols) this.ops.unshift({ kind: 'output', text: '\r\n', pid: null });
      else if (this.editor.length > 0 && !this.ops.some((o) => o.kind === 'render')) this.ops.push({ kind: 'render' });
    } else if (op.kind === 'render') {
      this.shownLen = this.editor.length;
    } else {
      this.dropAnchor();
    }
  }

  private dropAnchor(): void {
    this.anchor?.marker.dispose();
    this.anchor = null;
    this.shownLen = 0;
  }

  /** The viewport row of the anchor line (0 = top of the bottom page). */
  private anchorRow(): number {
    const line = this.anchor!.marker.line;
    return line < 0 ? 0 : line - this.term.buffer.active.baseY;
  }

  private moveToAnchor(): string {
    return cup(this.anchorRow(), this.anchor!.col);
  }

  /**
   * Draws `text` from the anchor (placing the anchor at the cursor first if
   * there is none) and puts the cursor at `cursor`. Erasing to the end of
   * the screen first removes whatever a longer previous line left.
   */
  private drawInput(text: string, len: number, cursor: number): string {
    if (!this.anchor || this.anchor.marker.isDisposed || this.anchor.col >= this.term.cols) {
      this.anchor?.marker.dispose();
      this.anchor = { marker: this.term.registerMarker(0), col: Math.min(this.term.buffer.active.cursorX, this.term.cols - 1) };
    }
    const { cols, rows } = this.term;
    const col = this.anchor.col;
    const top = Math.max(0, this.anchorRow());
    let seq = cup(top, col) + '\x1b[J' + text;
    if (cursor < len) {
      // Writing past the last row scrolls the screen up: the anchor moves with it.
      const endRow = top + Math.floor((col + len - 1) / cols);
      const scrolled = Math.max(0, endRow - (rows - 1));
      const at = col + cursor;
      seq += cup(top - scrolled + Math.floor(at / cols), at % cols);
    }
    return seq;
  }

  private scheduleFit(): void {
    if (this.fitPending) return;
    this.fitPending = true;
    requestAnimationFrame(() => {
      this.fitPending = false;
      if (!this.opened || this.element.offsetWidth === 0 || this.element.offsetHeight === 0) return;
      const before = this.term.cols;
      try {
        this.fit.fit();
      } catch {
        return; // not measurable yet
      }
      if (this.term.cols !== before && (this.editor.length > 0 || this.shownLen > 0)) {
        if (this.anchor && this.anchor.col >= this.term.cols) this.dropAnchor();
        this.enqueue({ kind: 'render' });
      }
    });
  }
}
