import { describe, expect, it } from 'vitest';
import { LineEditor } from '../../console/line-editor.ts';

const LEFT = '\x1b[D';
const RIGHT = '\x1b[C';
const UP = '\x1b[A';
const DOWN = '\x1b[B';

describe('LineEditor (the desktop terminal line editing)', () => {
  it('inserts, backspaces and submits', () => {
    const e = new LineEditor();
    expect(e.feed('echo abd\x7fc')).toEqual([]);
    expect(e.text).toBe('echo abc');
    expect(e.feed('\r')).toEqual([{ kind: 'submit', line: 'echo abc' }]);
    expect(e.text).toBe('');
  });

  it('moves the cursor with arrows, Home/End in both encodings, and Ctrl+A/E', () => {
    const e = new LineEditor();
    e.feed(`echo wrld${LEFT}${LEFT}${LEFT}o`);
    expect(e.text).toBe('echo world');
    e.feed('\x1b[Hx\x1b[Fy');
    expect(e.text).toBe('xecho worldy');
    e.feed('\x1bOH1\x1bOF2\x01<\x05>');
    expect(e.text).toBe('<1xecho worldy2>');
    e.feed(`${RIGHT}${RIGHT}!`); // past the end: stays at the end
    expect(e.text).toBe('<1xecho worldy2>!');
    expect(e.cursor).toBe(e.length);
  });

  it('deletes forward, to the start, to the end and a word back', () => {
    const e = new LineEditor();
    e.feed(`one two three${LEFT}${LEFT}\x1b[3~`);
    expect(e.text).toBe('one two thre');
    e.feed('\x17'); // Ctrl+W
    expect(e.text).toBe('one two e');
    e.feed('\x0b'); // Ctrl+K
    expect(e.text).toBe('one two ');
    e.feed('\x15'); // Ctrl+U
    expect(e.text).toBe('');
  });

  it('walks the history and keeps the draft', () => {
    const e = new LineEditor();
    e.feed('first\rsecond\rsecond\r \r');
    expect(e.historyEntries).toEqual(['first', 'second']); // no duplicates in a row, no blanks
    e.feed('dra');
    e.feed(UP);
    expect(e.text).toBe('second');
    e.feed(UP + UP);
    expect(e.text).toBe('first');
    e.feed(DOWN + DOWN);
    expect(e.text).toBe('dra');
    e.feed(DOWN);
    expect(e.text).toBe('dra');
  });

  it('reports Ctrl+C and submits each line of a paste', () => {
    const e = new LineEditor();
    expect(e.feed('abc\x03')).toEqual([{ kind: 'interrupt' }]);
    e.reset();
    expect(e.feed('echo a\r\necho b\rech')).toEqual([
      { kind: 'submit', line: 'echo a' }, { kind: 'submit', line: 'echo b' },
    ]);
    expect(e.text).toBe('ech');
  });

  it('moves and deletes by what xterm draws in one cell: a surrogate pair, a wide character, a letter with its marks', () => {
    const e = new LineEditor();
    e.feed(`a😀b${LEFT}\x7f`);
    expect(e.text).toBe('ab');
    e.feed('\x1b[15~\x1b[1;5Dz');
    expect(e.text).toBe('zab');

    e.reset();
    e.feed('漢字e');
    e.feed('\u0301'); // typed on its own, it joins the e before it
    expect(e.clusters.map((c) => [c.text, c.width])).toEqual([['漢', 2], ['字', 2], ['e\u0301', 1]]);
    e.feed(`${LEFT}${LEFT}x`);
    expect(e.text).toBe('漢x字e\u0301');
    e.feed(`\x05\x7f`); // End, Backspace: the whole é goes
    expect(e.text).toBe('漢x字');
    expect(e.cursor).toBe(3);
  });

  it('reports Ctrl+L as a clear, keeping the line', () => {
    const e = new LineEditor();
    expect(e.feed('echo a\x0cb')).toEqual([{ kind: 'clear' }]);
    expect(e.text).toBe('echo ab');
  });

  it('reads xterm\'s answers to a program\'s queries whole, and types none of them', () => {
    const e = new LineEditor();
    // Device attributes, cursor position, a mode report, a colour (OSC ... ST) and a setting (DCS ... ST).
    e.feed('o\x1b[?1;2c\x1b[>0;276;0c\x1b[12;40R\x1b[?2004;2$y\x1b]11;rgb:0b0b/0f0f/1414\x1b\\\x1bP1$r0m\x1b\\k');
    expect(e.text).toBe('ok');
    e.feed(`\x1b]10;rgb:d6d6/dddd/e6e6\x07${LEFT}!`);
    expect(e.text).toBe('o!k');
  });
});
