// The command line's conventions: help and version on stdout with exit 0,
// a user's mistake as one line on stderr with exit 2, an internal error as
// one line with a hint (the stack only with ZOS_DEBUG=1).

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { oneLine, ROOT, zos } from './helpers.ts';

const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

describe('zos help and version', () => {
  it.each([['--help'], ['-h'], ['help']])('zos %s prints the usage on stdout and exits 0', async (flag) => {
    const r = await zos([flag]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/^usage: zos <command>/);
    expect(r.stdout).toContain('run [options] program...');
    expect(r.stdout).toContain('bench');
  });

  it.each([['run', '--help'], ['help', 'run']])('zos %s %s prints run\'s usage and exits 0', async (...args) => {
    const r = await zos(args);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/^usage: zos run \[options\] program\.\.\./);
    expect(r.stdout).toContain('--timeout ms');
    expect(r.stdout).toContain('built-in apps: init permission terminal');
  });

  it('zos bench --help prints bench\'s usage and exits 0, running nothing', async () => {
    const r = await zos(['bench', '--help']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/^usage: zos bench \[--quick\] \[--node-only\]/);
  });

  it('zos --version prints package.json\'s version', async () => {
    const r = await zos(['--version']);
    expect(r).toEqual({ code: 0, stdout: `zos ${VERSION}\n`, stderr: '' });
  });
});

describe('a mistake on the command line', () => {
  it.each([
    [[], /^zos: no command/],
    [['frob'], /^zos: unknown command "frob" \(zos --help for usage\)$/],
    [['run'], /^zos: run needs at least one program.*\(zos run --help for usage\)$/],
    [['run', '--bogus', 'hello'], /^zos: Unknown option '--bogus'.*\(zos run --help for usage\)$/],
    [['run', '--dispatch', 'fast', 'hello'], /^zos: --dispatch is atomics or poll10, not "fast"/],
    [['bench', '--frob'], /^zos bench: Unknown option '--frob'.*\(zos bench --help for usage\)$/],
    [['bench', '--only', 'node,bogus'], /^zos bench: unknown part "bogus"; the parts are node, chromium/],
  ])('zos %j is one line on stderr, exit 2', async (args, message) => {
    const r = await zos(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(oneLine(r.stderr)).toMatch(message);
  });
});

describe('an internal error', () => {
  const failing = ['--import', join(ROOT, 'test/cli/fixtures/failing-stat.mjs')];

  it('is one line with a hint, exit 70', async () => {
    const r = await zos(['run', 'some.wasm'], { nodeArgs: failing });
    expect(r.code).toBe(70);
    expect(oneLine(r.stderr)).toBe('zos: internal error: injected failure: stat is broken (set ZOS_DEBUG=1 to see the stack)');
  });

  it('shows its stack with ZOS_DEBUG=1', async () => {
    const r = await zos(['run', 'some.wasm'], { nodeArgs: failing, env: { ZOS_DEBUG: '1' } });
    expect(r.code).toBe(70);
    expect(r.stderr).toMatch(/^zos: internal error: Error: injected failure: stat is broken\n\s+at /);
  });
});

describe('output nobody reads any more', () => {
  it('ends zos quietly, with the status of a SIGPIPE (zos run ... | head -1)', async () => {
    // The clock writes every second, forever: its next write after the reader has gone meets the broken pipe.
    const child = spawn(process.execPath, [join(ROOT, 'bin/zos.mjs'), 'run', 'clock'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    child.stdout.once('data', () => child.stdout.destroy()); // the reader goes away after the first tick
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect({ code, stderr }).toEqual({ code: 141, stderr: '' });
  });
});
