// Drawing the line being typed in the user's own terminal, after whatever
// the programs printed (usually the shell's prompt). It returns the bytes to
// write and moves the cursor only relative to where it is, as readline does,
// so the screen scrolling under it changes nothing.
//
// The input starts where the output stopped: `col`, counted from the output
// itself (a line feed or carriage return goes back to column 0, escape
// sequences take no room, a tab goes to the next multiple of 8). Output that
// arrives while a line is being typed erases it, is written, and the line is
// drawn again after it. A line feed is written as "\n", as the programs
// write it: libuv's raw mode keeps the terminal turning it into CR LF.
//
// Widths are those of console/cell-layout.ts (Unicode 11, as xterm and most
// terminals draw): a wide character takes two columns, and one that does not
// fit at the end of a row starts the next.

import { stripVTControlCharacters } from 'node:util';
import { clusters, layout, type Cluster, type Place } from '../console/cell-layout.ts';

/** What the line editor holds: its text as cell clusters, and the cursor (in clusters). */
export interface EditedLine {
  readonly text: string;
  readonly clusters: readonly Cluster[];
  readonly cursor: number;
}

const CSI = '\x1b[';
const up = (n: number): string => (n > 0 ? `${CSI}${n}A` : '');
const right = (n: number): string => (n > 0 ? `${CSI}${n}C` : '');
const ERASE_DOWN = `${CSI}J`;
const CLEAR_SCREEN = `${CSI}H${CSI}2J`;
/** The end of the output kept to draw the prompt again after a clear: longer is not a prompt. */
const MAX_TAIL = 1024;

export class TtyLineView {
  private col = 0; // where the output stopped: the input's first column
  private tail = ''; // the output since its last line feed: the prompt
  private shown = false; // is an input drawn after it?
  private cursorRow = 0; // the cursor's row, counted from the input's first row

  /** `columns()` is the terminal's width now (it may change between calls). */
  constructor(private readonly columns: () => number) {}

  atLineStart(): boolean {
    return this.col === 0;
  }

  /** Program output: erase the input, write the output, draw the input again after it. */
  output(text: string, line: EditedLine): string {
    return this.erase() + this.write(text) + this.draw(line);
  }

  /** The line after an edit. */
  render(line: EditedLine): string {
    return this.erase() + this.draw(line);
  }

  /** Ctrl+L: a clear screen, with the prompt and the line drawn again on its top row. */
  clear(line: EditedLine): string {
    const prompt = this.tail;
    this.shown = false; // nothing to erase: the whole screen goes
    this.cursorRow = 0;
    this.col = 0;
    this.tail = '';
    return CLEAR_SCREEN + this.write(prompt) + this.draw(line);
  }

  /** The line is done (Enter, Ctrl+C, the end): leave it on the screen, the cursor after it, and a newline if asked. */
  finish(text: string, newline: boolean): string {
    return this.erase() + this.write(newline ? `${text}\n` : text);
  }

  /** Removes the drawn input, the cursor back where the output stopped. */
  private erase(): string {
    if (!this.shown) return '';
    this.shown = false;
    const seq = `${up(this.cursorRow)}\r${right(this.col)}${ERASE_DOWN}`;
    this.cursorRow = 0;
    return seq;
  }

  /** Writes text where the output stopped and follows the column. */
  private write(text: string): string {
    const lineFeed = text.lastIndexOf('\n');
    this.tail = (lineFeed < 0 ? this.tail + text : text.slice(lineFeed + 1)).slice(-MAX_TAIL);
    this.col = advance(this.col, text, this.width());
    if (this.col < this.width()) return text;
    this.col = 0; // it ended at the right margin: what comes next starts on a line of its own
    this.tail = '';
    return `${text}\n`;
  }

  private draw(line: EditedLine): string {
    if (line.clusters.length === 0) return '';
    const cols = this.width();
    const { starts, end } = layout(line.clusters, this.col, cols);
    let seq = line.text;
    let at: Place = end;
    // Ending exactly at the right margin leaves the cursor there, waiting to wrap: go to the next line now.
    if (end.col >= cols) {
      seq += '\r\n';
      at = { row: end.row + 1, col: 0 };
    }
    const target = starts[line.cursor] ?? at;
    if (target.row !== at.row || target.col !== at.col) seq += `${up(at.row - target.row)}\r${right(target.col)}`;
    this.shown = true;
    this.cursorRow = target.row;
    return seq;
  }

  private width(): number {
    return Math.max(1, this.columns());
  }
}

/**
 * The column after writing `text` from column `col` on a terminal `cols`
 * wide (`cols`: at the right margin, about to wrap).
 */
function advance(col: number, text: string, cols: number): number {
  for (const part of stripVTControlCharacters(text).split(/([\n\r\b\t])/)) {
    if (part === '\n' || part === '\r') col = 0;
    else if (part === '\b') col = Math.max(0, Math.min(col, cols - 1) - 1);
    else if (part === '\t') col = Math.min(cols - 1, (Math.floor(col / 8) + 1) * 8);
    else {
      const printable = part.replace(/[\x00-\x1f\x7f]/g, ''); // other control characters take no room
      if (printable) col = layout(clusters(printable), col, cols).end.col;
    }
  }
  return col;
}
