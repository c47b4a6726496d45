// `zos run terminal` in a real pseudo-terminal: an interactive shell in the
// user's own terminal. Keys go in as a terminal sends them; the screen is read
// through a headless xterm.

import { afterEach, describe, expect, it } from 'vitest';
import { PtyZos } from './helpers.ts';

const LEFT = '\x1b[D';
const RIGHT = '\x1b[C';
const UP = '\x1b[A';
const HOME = '\x1b[H';
const END = '\x1b[F';
const PROMPT = 'zos$ ';

let session: PtyZos | null = null;
afterEach(() => session?.kill());

describe('zos run on a terminal', () => {
  it('edits the line (insert, Backspace, Left, Home/End, history), Ctrl+C kills the foreground program, Ctrl+D ends', async () => {
    const t = session = new PtyZos(['run', 'terminal'], 40);
    let at = await t.waitFor(PROMPT);

    // Insert, Home, Right, End, Left, Backspace: "ech helo" becomes "echo hello!".
    t.type('ech helo');
    t.type(HOME + RIGHT.repeat(3) + 'o'); // "echo helo"
    t.type(END + LEFT + 'l'); // "echo hello"
    t.type(END + '\x7f' + 'o!'); // "echo hell", then "echo hello!"
    t.type('\r');
    at = await t.waitFor(`hello!\r\n${PROMPT}`, at);
    expect(await t.lines()).toContain(`${PROMPT}echo hello!`);

    // Up brings the last line back; Enter runs it again.
    t.type(UP);
    t.type('\r');
    at = await t.waitFor(`hello!\r\n${PROMPT}`, at);
    expect((await t.lines()).filter((l) => l === 'hello!')).toHaveLength(2);

    // A line longer than the terminal is wide wraps, and runs whole.
    const long = `echo ${'x'.repeat(30)} ${'y'.repeat(20)}`;
    t.type(long);
    t.type('\r');
    at = await t.waitFor(`${'y'.repeat(20)}\r\n${PROMPT}`, at);
    const typed = await t.lines();
    const row = typed.indexOf((PROMPT + long).slice(0, 40));
    expect(typed.slice(row, row + 3)).toEqual([(PROMPT + long).slice(0, 40), (PROMPT + long).slice(40), `${'x'.repeat(30)} ${'y'.repeat(9)}`]);

    // Ctrl+C: the shell kills its foreground program.
    t.type('spawn clock\r');
    at = await t.waitFor('tick 1', at);
    t.type('\x03');
    at = await t.waitFor('^C killing pid', at);
    at = await t.waitFor('[exited] pid', at);

    // Ctrl+D on a non-empty line deletes under the cursor; on an empty one it ends the input.
    t.type('echo ab' + LEFT + '\x04');
    t.type('\r');
    at = await t.waitFor(`a\r\n${PROMPT}`, at);
    expect(await t.lines()).toContain(`${PROMPT}echo a`);
    t.type('\x04');
    expect(await t.exited).toBe(0);
    // The shell's prompt was the last output: zos ended that line before it exited.
    expect(t.output.endsWith('\n')).toBe(true);
  }, 60_000); // a whole session, a clock tick included, on a loaded machine
});
