// TtyLineView draws the line being typed; these check what a real terminal
// emulator (a headless xterm, 40 columns) shows after its bytes: wrapping,
// the cursor, output arriving mid-line, a scrolled screen.

import { Unicode11Addon } from '@xterm/addon-unicode11';
import xterm from '@xterm/headless';
import { describe, expect, it } from 'vitest';
import { LineEditor } from '../../console/line-editor.ts';
import { TtyLineView } from '../../cli/tty-line-view.ts';

const COLS = 40;
const LEFT = '\x1b[D';
const HOME = '\x1b[H';

/** A terminal with ONLCR (raw mode keeps it) and Unicode 11 widths, the editor and the view, as cli/tty-session.ts joins them. */
function setup() {
  const term = new xterm.Terminal({ cols: COLS, rows: 10, convertEol: true, allowProposedApi: true });
  term.loadAddon(new Unicode11Addon());
  term.unicode.activeVersion = '11';
  const editor = new LineEditor();
  const view = new TtyLineView(() => COLS);
  const write = (s: string): Promise<void> => new Promise((resolve) => term.write(s, resolve));
  const screen = (): string[] => {
    const buf = term.buffer.active;
    const lines: string[] = [];
    for (let y = 0; y < buf.length; y++) lines.push(buf.getLine(y)!.translateToString(true));
    while (lines.length > 0 && lines.at(-1) === '') lines.pop();
    return lines;
  };
  const cursor = (): [number, number] => [term.buffer.active.baseY + term.buffer.active.cursorY, term.buffer.active.cursorX];
  return {
    term, screen, cursor,
    output: (text: string) => write(view.output(text, editor)),
    keys: async (keys: string) => {
      for (const e of editor.feed(keys)) {
        if (e.kind === 'submit') await write(view.finish(e.line, true));
        if (e.kind === 'clear') await write(view.clear(editor));
      }
      await write(view.render(editor));
    },
  };
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMN'; // 50 characters

describe('the line typed in a terminal', () => {
  it('wraps past the right margin, the cursor where the editor says', async () => {
    const t = setup();
    await t.output('zos$ ');
    await t.keys(ALPHABET);
    expect(t.screen()).toEqual(['zos$ ' + ALPHABET.slice(0, 35), ALPHABET.slice(35)]);
    expect(t.cursor()).toEqual([1, 15]);
    await t.keys(LEFT.repeat(20)); // back across the wrap
    expect(t.cursor()).toEqual([0, 5 + 30]);
    await t.keys('_');
    expect(t.screen()).toEqual(['zos$ ' + ALPHABET.slice(0, 30) + '_' + ALPHABET.slice(30, 34), ALPHABET.slice(34)]);
    expect(t.cursor()).toEqual([0, 36]);
    await t.keys(HOME);
    expect(t.cursor()).toEqual([0, 5]);
  });

  it('ending exactly at the right margin puts the cursor on the next line', async () => {
    const t = setup();
    await t.output('zos$ ');
    await t.keys(ALPHABET.slice(0, 35));
    expect(t.screen()).toEqual(['zos$ ' + ALPHABET.slice(0, 35)]);
    expect(t.cursor()).toEqual([1, 0]);
    await t.keys('\x7f'); // Backspace: back onto the first line
    expect(t.screen()).toEqual(['zos$ ' + ALPHABET.slice(0, 34)]);
    expect(t.cursor()).toEqual([0, 39]);
  });

  it('a shorter line leaves nothing of the longer one behind', async () => {
    const t = setup();
    await t.output('zos$ ');
    await t.keys(ALPHABET);
    await t.keys('\x17'); // Ctrl+W: the whole word
    expect(t.screen()).toEqual(['zos$ ']);
    expect(t.cursor()).toEqual([0, 5]);
  });

  it('output arriving while a line is typed goes first; the line is drawn again after it', async () => {
    const t = setup();
    await t.output('zos$ ');
    await t.keys('echo hel');
    await t.output('\n[revoked] slot 3\nzos$ ');
    expect(t.screen()).toEqual(['zos$ ', '[revoked] slot 3', 'zos$ echo hel']);
    expect(t.cursor()).toEqual([2, 13]);
    await t.keys('lo\r');
    expect(t.screen()).toEqual(['zos$ ', '[revoked] slot 3', 'zos$ echo hello']);
    expect(t.cursor()).toEqual([3, 0]);
  });

  it('wide characters take two columns; one that does not fit the row starts the next', async () => {
    const t = setup();
    await t.output('zos$ ');
    const wide = '漢字'.repeat(9); // 18 characters, 36 columns: the last does not fit after column 39
    await t.keys(wide);
    expect(t.screen()).toEqual(['zos$ ' + wide.slice(0, 17), wide.slice(17)]);
    expect(t.cursor()).toEqual([1, 2]);
    await t.keys(LEFT.repeat(3));
    expect(t.cursor()).toEqual([0, 5 + 2 * 15]);
    await t.keys('x'); // one column more: now the 17th ends exactly at the margin
    expect(t.screen()).toEqual(['zos$ ' + wide.slice(0, 15) + 'x' + wide.slice(15, 17), wide.slice(17)]);
    expect(t.cursor()).toEqual([0, 5 + 2 * 15 + 1]);
  });

  it('after a wide prompt the line starts where the terminal put it', async () => {
    const t = setup();
    await t.output('日本$ ');
    await t.keys('ab' + LEFT);
    expect(t.screen()).toEqual(['日本$ ab']);
    expect(t.cursor()).toEqual([0, 7]);
  });

  it('Ctrl+L clears the screen and draws the prompt and the line again on the top row', async () => {
    const t = setup();
    await t.output('one\ntwo\nzos$ ');
    await t.keys('ec' + '\x0c' + 'ho');
    expect(t.screen().filter((l) => l !== '')).toEqual(['zos$ echo']);
    expect(t.cursor()[1]).toBe(9);
  });

  it('works at the bottom of a scrolled screen', async () => {
    const t = setup();
    for (let i = 0; i < 30; i++) await t.output(`line ${i}\n`);
    await t.output('zos$ ');
    await t.keys(ALPHABET + ALPHABET); // three rows: the screen scrolls under the line
    await t.keys(LEFT.repeat(70));
    await t.keys('^');
    const lines = t.screen();
    const typed = ALPHABET + ALPHABET;
    const edited = typed.slice(0, 30) + '^' + typed.slice(30);
    expect(lines.slice(-3)).toEqual(['zos$ ' + edited.slice(0, 35), edited.slice(35, 75), edited.slice(75)]);
    expect(lines.at(-4)).toBe('line 29');
    const [row, col] = t.cursor();
    expect([row - (lines.length - 3), col]).toEqual([0, 5 + 31]);
  });
});
