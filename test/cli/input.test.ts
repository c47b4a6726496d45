// Console input for the first program, from --input and standard input:
// delivered whole (waiting for room in the queue), line by line, EOT at the
// end; what the program never took is reported and changes the exit status.

import { describe, expect, it } from 'vitest';
import { oneLine, zos } from './helpers.ts';

const PROMPT = 'zos$ ';

describe('console input', () => {
  it('1000 --input values all reach the shell, past the 256 messages its queue holds', async () => {
    const inputs = Array.from({ length: 1000 }, (_, i) => ['--input', `echo n${i}`]).flat();
    const r = await zos(['run', ...inputs, '--input', 'exit', 'terminal']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const echoed = r.stdout.match(/n\d+/g) ?? [];
    expect(echoed).toEqual(Array.from({ length: 1000 }, (_, i) => `n${i}`));
  });

  it('input a program ends without taking is reported, and the exit status is 1', async () => {
    const inputs = Array.from({ length: 300 }, (_, i) => ['--input', `x${i}`]).flat();
    const r = await zos(['run', ...inputs, 'hello']);
    expect(r.stdout).toBe('Hello from zos! I am pid 3\n');
    expect(r.code).toBe(1);
    const [, notDelivered] = /^zos: (\d+) of 300 inputs not delivered: hello \(pid 3\) has ended$/.exec(oneLine(r.stderr)) ?? [];
    expect(Number(notDelivered)).toBeGreaterThanOrEqual(300 - 256);
  });

  it('standard input reaches the shell line by line; at its end (EOT) the shell exits, and the output ends with a newline', async () => {
    const r = await zos(['run', 'terminal'], { stdin: 'ps\necho two words\n' });
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/PID {2}NAME\n {4}1 {2}init\n {4}2 {2}permission\n {4}3 {2}terminal\n/);
    expect(r.stdout).toContain(`${PROMPT}two words\n`);
    expect(r.stdout.endsWith(`${PROMPT}\n`)).toBe(true); // the prompt was the last output: zos ended the line
  });

  it('a last line without its newline still arrives', async () => {
    const r = await zos(['run', 'terminal'], { stdin: 'echo last' });
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toContain(`${PROMPT}last\n`);
  });

  it('600 lines of standard input all arrive, waiting for room as they go', async () => {
    const lines = Array.from({ length: 600 }, (_, i) => `echo s${i}\n`).join('');
    const r = await zos(['run', 'terminal'], { stdin: lines });
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout.match(/s\d+/g)).toEqual(Array.from({ length: 600 }, (_, i) => `s${i}`));
  });

  it('standard input a program never takes is reported, exit 1', async () => {
    const r = await zos(['run', 'hello'], { stdin: 'x\n'.repeat(5000) });
    expect(r.code).toBe(1);
    expect(oneLine(r.stderr)).toMatch(/^zos: \d+ of \d+ inputs not delivered: hello \(pid 3\) has ended/);
  });

  it('an empty standard input is an immediate end: the shell gets EOT and exits', async () => {
    const r = await zos(['run', 'terminal'], { stdin: 'closed' });
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toBe(`zos terminal. Type help for the commands.\n${PROMPT}\n`);
  });

  it('from /dev/null nothing is read and no EOT is sent: the shell waits', async () => {
    const r = await zos(['run', '--timeout', '1500', 'terminal'], { stdin: 'null' });
    expect(r.code).toBe(124);
    expect(r.stdout).toBe(`zos terminal. Type help for the commands.\n${PROMPT}\n`);
  });

  it('programs the shell started and left running are named when the run ends', async () => {
    const r = await zos(['run', 'terminal'], { stdin: 'spawn clock\n' });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/spawned clock as pid 4\n/);
    expect(oneLine(r.stderr)).toBe('zos: still running when the run ended, stopped with it: clock (pid 4)');
  });
});
