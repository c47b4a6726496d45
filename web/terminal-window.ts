// One terminal: an xterm.js view bound to one process: a shell, or a program in a tab of its own.
//
// The line is edited here, in JS (line-editor.ts), and only whole lines go
// to the process (CONSOLE_INPUT, with "\n"); Ctrl+C is an interrupt (a shell
// gets "\x03", a program in a tab of its own is killed). The line being
// typed is drawn after wherever the output stopped.
//
// The prompt is the text the shell printed last on a line it did not end
// ("zos$ "). While the shell waits there, output that arrives
//  - from the shell itself (a notice such as "[revoked] …", then a new
//    prompt) replaces the typed line, which is drawn again after it;
//  - from anyone else (a program the shell started, the page) goes where the
//    prompt was, and the prompt and the typed line are drawn again below it,
//    as readline does. A program's unfinished line is continued there.
// Ctrl+L scrolls everything above the prompt into the scrollback.
//
// Widths are xterm's Unicode 11 widths (cell-layout.ts): the cursor is
// placed by where xterm put each character, wide ones and wrapped rows too.
//
// Every write goes through one queue, one xterm write at a time: each
// drawing step is computed when the previous write has been parsed, so the
// cursor and scroll position it reads are current. Output waiting in the
// queue is merged into one write, so a flood costs one write per parse cycle,
// not one per chunk. Positions kept across writes (the start of the typed
// line, of the prompt) are xterm markers: they follow scrolling and
// scrollback trimming.

import { FitAddon } from '@xterm/addon-fit';
import { Terminal, type IMarker } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import type { ProcessInfo } from '../kernel/view.ts';
import { clusters, layout, useUnicode11, type Cluster } from './cell-layout.ts';
import { h } from './dom.ts';
import { LineEditor } from './line-editor.ts';
import type { TerminalView } from './page-api.ts';
import { TerminalSearch } from './terminal-search.ts';

type Op =
  | { kind: 'output'; text: string; pid: number | null } // pid null: the page's own lines
  | { kind: 'newline' } // a line break of the terminal's own (not output)
  | { kind: 'prompt' } // the shell's prompt again, after someone else's output
  | { kind: 'render' } // the line being typed
  | { kind: 'finish'; text: string; newline: boolean } // a line done with (Enter, Ctrl+C, the shell ended)
  | { kind: 'clear' }; // Ctrl+L

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
const ERASE_BELOW = '\x1b[J';

export interface TerminalWindowOptions {
  /** Delivers input to the bound process; returns the kernel status. */
  send(pid: number, text: string): number;
  /** Ctrl+C with nothing selected, for the bound process. */
  interrupt(win: TerminalWindow): void;
  onStateChange?(win: TerminalWindow): void;
  /** Output or a notice arrived (whether or not the window is shown). */
  onOutput?(win: TerminalWindow): void;
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
  private readonly search = new TerminalSearch(() => this.term.focus());
  private readonly resizeObserver: ResizeObserver;
  private fitPending = false;
  private ops: Op[] = [];
  private writing = false;
  /** Where the typed line starts while it is drawn. */
  private anchor: { marker: IMarker; col: number } | null = null;
  private shownLen = 0; // clusters of the typed line currently drawn after the anchor
  /** The shell's prompt the cursor (or the typed line) is after: its first row and its text. */
  private prompt: { marker: IMarker; text: string } | null = null;
  /** Someone else's unfinished line just above a redrawn prompt: more of their output continues it. */
  private partial: { marker: IMarker; col: number; pid: number | null } | null = null;
  private beforePrompt = false; // the output being written goes where the prompt was
  private queuedChars = 0;
  private droppedChars = 0;
  private opened = false;
  private lastWriter: number | null = null; // the PID whose output was written last

  constructor(readonly id: number, private readonly options: TerminalWindowOptions) {
    this.element = h('div', { class: 'term-pane', 'data-terminal-id': id }, this.search.element);
    this.term = new Terminal({
      convertEol: true, // processes write "\n"; xterm needs "\r\n"
      cursorBlink: true,
      cursorInactiveStyle: 'outline',
      fontFamily: '"JetBrains Mono", "Cascadia Code", "Fira Code", Menlo, Consolas, "DejaVu Sans Mono", monospace',
      fontSize: 13,
      lineHeight: 1.15,
      scrollback: 5000,
      theme: THEME,
      allowProposedApi: true, // the Unicode addon sets term.unicode, the search addon draws decorations
    });
    this.term.loadAddon(this.fit);
    useUnicode11(this.term);
    this.term.loadAddon(this.search.addon);
    this.term.onData((data) => this.onData(data));
    this.term.attachCustomKeyEventHandler((e) => {
      if (e.type === 'keydown' && e.ctrlKey && e.shiftKey && e.code === 'KeyF') {
        e.preventDefault();
        this.openSearch();
        return false;
      }
      // Ctrl+C with a selection copies (the browser does it); without one it interrupts.
      return !(e.type === 'keydown' && e.ctrlKey && !e.shiftKey && e.key === 'c' && this.term.hasSelection());
    });
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

  /** Shows the search bar (Ctrl+Shift+F). */
  openSearch(): void {
    this.search.open();
  }

  /**
   * Output of the bound process or of one it started (`fromPid`), decoded.
   * When the writer changes in mid-line (a child's output after the shell's
   * prompt), the new writer starts on a line of its own.
   */
  output(text: string, fromPid: number | null = null): void {
    if (text.length === 0) return;
    this.options.onOutput?.(this);
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
    this.options.onOutput?.(this);
    this.enqueue({ kind: 'output', text: text.endsWith('\n') ? text : `${text}\n`, pid: null });
  }

  /** The bound process ended: say so and stop taking input. */
  end(info: ProcessInfo): void {
    this.ended = info;
    const how = info.status === 'exited' ? `exited with code ${info.exitCode}`
      : `faulted (${info.fault?.reason ?? '?'}${info.fault?.description ? `: ${info.fault.description}` : ''})`;
    const typed = this.editor.text;
    this.editor.reset();
    if (typed || this.shownLen) this.enqueue({ kind: 'finish', text: typed, newline: false });
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

  /** Size, cursor, scroll position and selection (the page API's terminalView). */
  view(): TerminalView {
    const buf = this.term.buffer.active;
    const line = buf.baseY + buf.cursorY;
    return {
      cols: this.term.cols, rows: this.term.rows, baseY: buf.baseY, viewportY: buf.viewportY,
      cursor: { line, col: buf.cursorX, cell: buf.getLine(line)?.getCell(buf.cursorX)?.getChars() ?? '' },
      selection: this.term.getSelection(),
    };
  }

  /** Fits now if the pane has a size (after being shown). */
  refit(): void {
    this.scheduleFit();
  }

  dispose(): void {
    this.resizeObserver.disconnect();
    this.dropAnchor();
    this.setPrompt(null);
    this.setPartial(null);
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
        this.enqueue({ kind: 'finish', text: event.line, newline: true });
        this.options.send(pid, `${event.line}\n`);
      } else if (event.kind === 'interrupt') {
        const typed = this.editor.text;
        this.editor.reset();
        this.enqueue({ kind: 'finish', text: typed, newline: false });
        this.options.interrupt(this);
      } else {
        this.enqueue({ kind: 'clear' });
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
    const buf = this.term.buffer.active;
    switch (op.kind) {
      case 'output': {
        this.beforePrompt = op.pid !== this.pid && this.promptWaiting();
        const switched = op.pid !== null && this.lastWriter !== null && op.pid !== this.lastWriter;
        if (op.pid !== null) this.lastWriter = op.pid;
        if (this.beforePrompt) {
          const from = this.partial?.pid === op.pid && !this.partial.marker.isDisposed
            ? cup(this.rowOf(this.partial.marker), this.partial.col)
            : cup(this.rowOf(this.prompt!.marker), 0);
          return from + ERASE_BELOW + op.text;
        }
        const erasing = this.anchor !== null && this.shownLen > 0;
        const erase = erasing ? cup(this.rowOf(this.anchor!.marker), this.anchor!.col) + ERASE_BELOW : '';
        const column = erasing ? this.anchor!.col : buf.cursorX;
        return erase + (switched && column > 0 ? '\r\n' : '') + op.text;
      }
      case 'newline':
        return '\r\n';
      case 'prompt':
        if (!this.promptWaiting()) return '';
        this.prompt!.marker.dispose();
        this.prompt!.marker = this.term.registerMarker(0);
        this.lastWriter = this.pid;
        return this.prompt!.text;
      case 'render':
        if (this.editor.length === 0 && this.shownLen === 0) return '';
        return this.drawInput(this.editor.clusters, this.editor.cursor);
      case 'finish': {
        const cells = clusters(op.text);
        const draw = cells.length > 0 || this.shownLen > 0 ? this.drawInput(cells, cells.length) : '';
        return draw + (op.newline ? '\r\n' : '');
      }
      case 'clear': {
        // Scroll the rows above the line being typed (its prompt included) into
        // the scrollback, as a real terminal's clear does, and put the cursor back.
        const start = this.prompt && !this.prompt.marker.isDisposed ? this.rowOf(this.prompt.marker)
          : this.anchor ? this.rowOf(this.anchor.marker) : buf.cursorY;
        if (start <= 0) return '';
        return cup(this.term.rows - 1, 0) + '\n'.repeat(start) + cup(buf.cursorY - start, Math.min(buf.cursorX, this.term.cols - 1));
      }
    }
  }

  private afterOp(op: Op): void {
    const buf = this.term.buffer.active;
    switch (op.kind) {
      case 'output':
        this.dropAnchor();
        if (this.beforePrompt) {
          // Someone else's output went where the prompt was: the prompt (on a
          // line of its own) and the typed line come back below it.
          const unfinished = buf.cursorX > 0 && buf.cursorX < this.term.cols;
          this.setPartial(unfinished ? { marker: this.term.registerMarker(0), col: buf.cursorX, pid: op.pid } : null);
          this.ops.unshift(...(buf.cursorX > 0 ? [{ kind: 'newline' } as const] : []), { kind: 'prompt' });
          return;
        }
        this.setPartial(null);
        if (op.pid === this.pid) this.setPrompt(buf.cursorX > 0 ? this.lineBeforeCursor() : null);
        break;
      case 'newline':
      case 'prompt':
        this.dropAnchor();
        break;
      case 'render':
        this.shownLen = this.editor.length;
        return;
      case 'finish':
        this.dropAnchor();
        this.setPrompt(null); // the shell answers the line, then prints a new prompt
        this.setPartial(null);
        return;
      case 'clear':
        this.setPartial(null);
        if (this.shownLen > 0) this.ops.unshift({ kind: 'render' });
        return;
    }
    // Text that ends exactly at the right margin leaves the cursor past the
    // last column; the typed line starts on a fresh line instead.
    if (buf.cursorX >= this.term.cols) this.ops.unshift({ kind: 'newline' });
    else if (this.editor.length > 0 && !this.ops.some((o) => o.kind === 'render')) this.ops.push({ kind: 'render' });
  }

  /** The shell is waiting at its prompt (and is still there to answer). */
  private promptWaiting(): boolean {
    return this.prompt !== null && !this.prompt.marker.isDisposed && !this.ended;
  }

  /** The text from the start of the cursor's line (wrapped rows included) to the cursor, and a marker on its first row. */
  private lineBeforeCursor(): { marker: IMarker; text: string } {
    const buf = this.term.buffer.active;
    const y = buf.baseY + buf.cursorY;
    let first = y;
    while (first > 0 && buf.getLine(first)?.isWrapped) first--;
    let text = '';
    for (let k = first; k < y; k++) text += buf.getLine(k)?.translateToString(false) ?? '';
    text += buf.getLine(y)?.translateToString(false, 0, buf.cursorX) ?? '';
    return { marker: this.term.registerMarker(first - y), text };
  }

  private setPrompt(prompt: { marker: IMarker; text: string } | null): void {
    this.prompt?.marker.dispose();
    this.prompt = prompt;
  }

  private setPartial(partial: { marker: IMarker; col: number; pid: number | null } | null): void {
    this.partial?.marker.dispose();
    this.partial = partial;
  }

  private dropAnchor(): void {
    this.anchor?.marker.dispose();
    this.anchor = null;
    this.shownLen = 0;
  }

  /** The viewport row of a marker (0 = top of the bottom page). */
  private rowOf(marker: IMarker): number {
    return marker.line < 0 ? 0 : marker.line - this.term.buffer.active.baseY;
  }

  /**
   * Draws `cells` from the anchor (placing the anchor at the cursor first if
   * there is none) and puts the cursor before cell `cursor`. Erasing to the
   * end of the screen first removes whatever a longer previous line left.
   */
  private drawInput(cells: readonly Cluster[], cursor: number): string {
    if (!this.anchor || this.anchor.marker.isDisposed || this.anchor.col >= this.term.cols) {
      this.anchor?.marker.dispose();
      this.anchor = { marker: this.term.registerMarker(0), col: Math.min(this.term.buffer.active.cursorX, this.term.cols - 1) };
    }
    const { cols, rows } = this.term;
    const col = this.anchor.col;
    const top = Math.max(0, this.rowOf(this.anchor.marker));
    let seq = cup(top, col) + ERASE_BELOW + cells.map((c) => c.text).join('');
    if (cursor < cells.length) {
      const { starts, end } = layout(cells, col, cols);
      // Writing past the last row scrolls the screen up: the anchor moves with it.
      const scrolled = Math.max(0, top + end.row - (rows - 1));
      const at = starts[cursor]!;
      seq += cup(top - scrolled + at.row, at.col);
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
