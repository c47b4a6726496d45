// `zos run`'s edges: every number checked against what the system accepts,
// and only a regular file, of bounded size, read as a program. The tables
// are checked in-process; the cases run the real command too.

import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadProgram } from '../../cli/program-file.ts';
import { parseRunOptions } from '../../cli/run-options.ts';
import { loadBuiltinApps } from '../../supervisor/apps-node.ts';
import { DEFAULT_LIMITS } from '../../supervisor/validate.ts';
import { oneLine, zos } from './helpers.ts';

describe('numbers on the command line', () => {
  // Checked in-process (fast) for the whole table, then end to end for the cases.
  it.each([
    [['--timeout', '2147483648'], /^--timeout 2147483648 is out of range 0\.\.2147483647: the longest a timer can wait/],
    [['--timeout', '99999999999999999999'], /^--timeout 99999999999999999999 is out of range/],
    [['--timeout=-5'], /^--timeout takes a whole number of ms, got "-5"/],
    [['--timeout', '1.5'], /^--timeout takes a whole number of ms, got "1\.5"/],
    [['--memory-limit', '4294967297'], /^--memory-limit 4294967297 is out of range 65536\.\.4294967296: .*4 GiB/],
    [['--memory-limit', '65535'], /^--memory-limit 65535 is out of range 65536\.\./],
    [['--cpu-limit', '2147483648'], /^--cpu-limit 2147483648 is out of range 0\.\.2147483647/],
    [['--cpu-limit', 'lots'], /^--cpu-limit takes a whole number of ms, got "lots"/],
  ])('%j is refused', (flags, message) => {
    expect(() => parseRunOptions([...flags, 'hello'])).toThrow(message);
  });

  it('the largest and smallest values are taken', () => {
    expect(parseRunOptions(['--timeout', '2147483647', '--memory-limit', '4294967296', '--cpu-limit', '2147483647', 'hello']))
      .toMatchObject({ timeoutMs: 2147483647, memoryLimitPages: 65536, cpuLimitMs: 2147483647 });
    expect(parseRunOptions(['--timeout', '0', '--memory-limit', '65536', '--cpu-limit', '0', 'hello']))
      .toMatchObject({ timeoutMs: 0, memoryLimitPages: 1, cpuLimitMs: 0 });
  });

  it.each([
    [['--timeout', '2147483648'], /^zos: --timeout 2147483648 is out of range 0\.\.2147483647: .*\(zos run --help for usage\)$/],
    [['--memory-limit', '5000000000'], /^zos: --memory-limit 5000000000 is out of range 65536\.\.4294967296: /],
    [['--timeout', '-5'], /^zos: Option '--timeout' argument is ambiguous\. Did you forget/], // parseArgs's message has three lines
  ])('zos run %j hello is a usage error: one line, exit 2, nothing run', async (flags, message) => {
    const r = await zos(['run', ...flags, 'hello']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(oneLine(r.stderr)).toMatch(message);
  });

  it('the largest values are taken, and a timeout that large does not fire', async () => {
    const r = await zos(['run', '--timeout', '2147483647', '--memory-limit', '4294967296', '--cpu-limit', '2147483647',
      '--input', 'echo ok', '--input', 'exit', 'terminal']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('ok\n');
  });

  it('--timeout 0 is no timeout', async () => {
    const r = await zos(['run', '--timeout', '0', '--input', 'echo ok', '--input', 'exit', 'terminal']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toContain('ok\n');
  });

});

describe('the program named', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zos-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const fifo = join(dir, 'fifo.wasm');
  execFileSync('mkfifo', [fifo]);
  const folder = join(dir, 'folder.wasm');
  mkdirSync(folder);
  const plain = join(dir, 'plain.wasm');
  writeFileSync(plain, 'not wasm');
  const huge = join(dir, 'huge.wasm');
  writeFileSync(huge, '');
  truncateSync(huge, DEFAULT_LIMITS.maxBinaryBytes + 1); // sparse: nothing is written to disk

  const refusals: [string, RegExp][] = [
    ['/dev/zero', /^cannot read "\/dev\/zero": it is a character device, not a regular file/],
    [fifo, /^cannot read ".*fifo\.wasm": it is a FIFO \(named pipe\), not a regular file/],
    [folder, /^cannot read ".*folder\.wasm": it is a directory, not a regular file/],
    [join(dir, 'missing.wasm'), /^cannot read ".*missing\.wasm": no such file or directory \(ENOENT\)$/],
    [join(plain, 'under-a-file.wasm'), /^cannot read ".*under-a-file\.wasm": not a directory \(ENOTDIR\)$/],
    [huge, new RegExp(`^cannot read ".*huge\\.wasm": it is ${DEFAULT_LIMITS.maxBinaryBytes + 1} bytes, over the ${DEFAULT_LIMITS.maxBinaryBytes}-byte limit`)],
    ['nosuch', /^"nosuch" is neither a built-in app \(init, permission, terminal.*\) nor a file$/],
  ];

  it.each(refusals)('%s is refused', async (path, message) => {
    await expect(loadProgram(path, loadBuiltinApps())).rejects.toThrow(message);
  });

  it('a regular file is read whole', async () => {
    expect(await loadProgram(plain, loadBuiltinApps())).toEqual({ name: 'plain', bytes: new TextEncoder().encode('not wasm') });
  });

  it.each([refusals[0]!, refusals[1]!, refusals[3]!])('zos run %s is refused in one line, exit 2, nothing run', async (path, message) => {
    const r = await zos(['run', path], {}, 10_000);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(oneLine(r.stderr).slice('zos: '.length)).toMatch(message);
  });

  it.skipIf(process.getuid?.() === 0)('a file it may not read says so (EACCES)', async () => {
    const locked = join(dir, 'locked.wasm');
    writeFileSync(locked, 'x');
    chmodSync(locked, 0);
    await expect(loadProgram(locked, loadBuiltinApps())).rejects.toThrow(/^cannot read ".*locked\.wasm": permission denied \(EACCES\)$/);
  });
});

describe('an interrupt', () => {
  it('SIGINT kills every program and exits 130', async () => {
    // Once the spinner runs (it says so), zos is interrupted as Ctrl+C in a shell would.
    const r = await zos(['run', 'spinner'], { stdin: 'null', signalWhen: { output: 'spinning', signal: 'SIGINT' } });
    expect(r.code).toBe(130);
    expect(r.stdout).toBe('spinning\n');
    expect(oneLine(r.stderr)).toBe('zos: spinner (pid 3) stopped: killed: interrupted (SIGINT)');
  });
});
