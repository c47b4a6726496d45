// How xterm lays text out in cells, for the line being typed: line-editor.ts
// moves through it by what xterm puts in one cell, web/terminal-window.ts
// (and cli/tty-line-view.ts, for the user's own terminal, which follows the
// same Unicode widths) places the cursor by where each character went. Both ask the same Unicode 11
// provider that xterm itself uses once its Unicode addon is active, and
// follow xterm's own rules (InputHandler.print): a zero-width code point
// joins the cell before it, and a character that does not fit in what is
// left of a row starts the next row, leaving the last column empty.

import { Unicode11Addon } from '@xterm/addon-unicode11';
import type { IUnicodeVersionProvider, Terminal } from '@xterm/xterm';

const UNICODE_VERSION = '11';

/** What xterm puts in one cell (two for a wide character): a code point and the zero-width ones joined to it. */
export interface Cluster {
  text: string;
  /** Columns it takes: 0, 1 or 2. */
  width: number;
}

export interface Place {
  row: number;
  col: number;
}

/**
 * The provider the addon registers with xterm. The addon exports only its
 * activate(), so it is handed a stand-in terminal that keeps what it registers.
 */
function addonProvider(): IUnicodeVersionProvider {
  let provider: IUnicodeVersionProvider | undefined;
  const standIn = { unicode: { register: (p: IUnicodeVersionProvider) => { provider = p; } } };
  new Unicode11Addon().activate(standIn as unknown as Terminal);
  if (provider?.version !== UNICODE_VERSION) throw new Error(`@xterm/addon-unicode11 did not register Unicode ${UNICODE_VERSION}`);
  return provider;
}

const provider = addonProvider();

/** Makes a terminal measure text as this file does: the same addon, its version active. */
export function useUnicode11(term: Terminal): void {
  term.loadAddon(new Unicode11Addon());
  term.unicode.activeVersion = UNICODE_VERSION;
}

// charProperties() packs "joins the cell before" in bit 0 and the width in
// bits 1-2 (xterm's UnicodeService.extractShouldJoin / extractWidth).
const joins = (props: number): boolean => (props & 1) !== 0;
const widthOf = (props: number): number => (props >> 1) & 3;

/**
 * Splits text into cells' clusters as xterm does when it prints the text
 * right after a control sequence (which resets xterm's join state, as the
 * cursor move before each drawing of the line does).
 */
export function clusters(text: string): Cluster[] {
  const out: Cluster[] = [];
  let preceding = 0;
  for (const ch of text) {
    const props = provider.charProperties(ch.codePointAt(0)!, preceding);
    const last = out[out.length - 1];
    if (joins(props) && last) {
      last.text += ch;
      last.width = widthOf(props);
    } else {
      out.push({ text: ch, width: widthOf(props) });
    }
    preceding = props;
  }
  return out;
}

/**
 * Where each cluster starts when `cells` are printed from column `col` of
 * row 0 of a terminal `cols` wide, and where the cursor is after the last.
 * The end's col can be `cols`: xterm holds the cursor at the right margin
 * until the next character wraps it.
 */
export function layout(cells: readonly Cluster[], col: number, cols: number): { starts: Place[]; end: Place } {
  const starts: Place[] = [];
  let row = 0;
  let x = col;
  for (const c of cells) {
    if (x + c.width > cols) { // does not fit: xterm wraps before it
      row++;
      x = 0;
    }
    starts.push({ row, col: x });
    x += Math.max(c.width, 1); // a zero-width code point joined to nothing still takes a column
  }
  return { starts, end: { row, col: x } };
}
