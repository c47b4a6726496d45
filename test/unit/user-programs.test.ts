import { describe, expect, it } from 'vitest';
import { freeName, nameFromFile, programNameProblem, sessionName } from '../../web/user-programs.ts';

describe('user program names', () => {
  it('a file name becomes a name init will spawn', () => {
    expect(nameFromFile('echo.wasm')).toBe('echo');
    expect(nameFromFile('My Tool (2).WASM')).toBe('My-Tool-2');
    expect(nameFromFile('über.wasm')).toBe('ber');
    expect(nameFromFile('.wasm')).toBe('program');
    expect(nameFromFile(`${'x'.repeat(80)}.wasm`)).toHaveLength(64);
    for (const name of ['echo', 'My-Tool-2', 'ber', 'program']) expect(programNameProblem(name)).toBeNull();
  });

  it('refuses names init would not spawn, saying which characters are allowed', () => {
    expect(programNameProblem('has space')).toMatch(/letters, digits, "_", "-" or "\."/);
    expect(programNameProblem('')).not.toBeNull();
    expect(programNameProblem('x'.repeat(65))).not.toBeNull();
  });

  it('never takes a built-in program\'s name; replaces a user program of the same name', () => {
    expect(sessionName('hello')).toBe('hello-2');
    expect(sessionName('terminal')).toBe('terminal-2');
    expect(sessionName('my-hello')).toBe('my-hello');
    expect(freeName('echo', (n) => ['echo', 'echo-2'].includes(n))).toBe('echo-3');
    expect(freeName('init', () => false)).toBe('init-2');
  });
});
