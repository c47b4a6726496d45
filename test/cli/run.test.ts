// `zos run` end to end: exit statuses, a refused binary, --timeout, --json
// and --input, --memory-limit. (Moved here from test/integration/apps.test.ts
// with the command line; one run at a time, so that each is not starved.)

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as A from '../../kernel/abi.ts';
import { assemble, ZOS_IMPORTS } from '../fixtures/wat.ts';
import { oneLine, zos } from './helpers.ts';

describe('zos run', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zos-run-'));
  const file = (name: string, bytes: Uint8Array | string): string => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return path;
  };
  let exit7 = '';
  let echo = '';
  beforeAll(async () => {
    exit7 = file('exit7.wasm', await assemble(`(module ${ZOS_IMPORTS} (memory (export "memory") 1)
      (func (export "_start") (drop (call $syscall (i32.const ${A.SYS_EXIT}) (i32.const 7) (i32.const 0) (i32.const 0)))))`));
    // Writes the first console input it gets to its console, then exits 0.
    echo = file('echo.wasm', await assemble(`(module ${ZOS_IMPORTS} (memory (export "memory") 1)
      (func (export "_start") (local $n i32)
        (local.set $n (call $syscall (i32.const ${A.SYS_RECEIVE}) (i32.const ${A.SLOT_INPUT}) (i32.const ${A.RECV_BLOCK}) (i32.const 0)))
        (drop (call $recv_bytes (i32.const 0) (local.get $n)))
        (call $send_bytes (i32.const 8) (i32.sub (local.get $n) (i32.const 8)))
        (drop (call $syscall (i32.const ${A.SYS_CONSOLE_WRITE}) (i32.sub (local.get $n) (i32.const 8)) (i32.const 0) (i32.const 0)))
        (drop (call $syscall (i32.const ${A.SYS_EXIT}) (i32.const 0) (i32.const 0) (i32.const 0)))))`));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 0 when every program does, 1 when one does not', async () => {
    const hello = await zos(['run', 'hello']);
    expect(hello).toMatchObject({ code: 0, stderr: '' });
    expect(hello.stdout).toMatch(/^Hello from zos! I am pid 3\n$/);
    expect((await zos(['run', 'hello', exit7])).code).toBe(1);
  });

  it('a binary the validator refuses is one line naming it, exit 2, nothing run', async () => {
    const r = await zos(['run', file('bad.wasm', new Uint8Array([0, 0x61, 0x73, 0x6d, 9, 9]))]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(oneLine(r.stderr)).toMatch(/^zos: process "bad": /);
  });

  it('exits 124 on --timeout, the spinner killed', async () => {
    const r = await zos(['run', '--timeout', '300', 'spinner']);
    expect(r.code).toBe(124);
    expect(r.stdout).toBe('spinning\n');
    expect(r.stderr).toContain('zos: spinner (pid 3) stopped: killed: timed out after 300 ms');
  });

  it('--json prints a summary; --input goes to the first program', async () => {
    const r = await zos(['run', '--json', '--input', 'over and out', echo, 'hello']);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({
      processes: [
        { pid: 3, name: 'echo', exitCode: 0, fault: null, output: 'over and out' },
        { pid: 4, name: 'hello', exitCode: 0, fault: null, output: 'Hello from zos! I am pid 4\n' },
      ],
      chainVerified: true, replayMatches: true,
    });
    expect(summary.syslog).toBeGreaterThan(0);
    expect(summary.commits).toBeGreaterThan(0);
    expect(summary.stateHash).toMatch(/^[0-9a-f]{64}$/);
    expect(Object.keys(summary).sort()).toEqual(['chainVerified', 'commits', 'processes', 'replayMatches', 'stateHash', 'syslog']);
  });

  it('--memory-limit is the limit memhog runs into', async () => {
    const r = await zos(['run', '--memory-limit', String(3 * 1024 * 1024), 'memhog']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('memhog: stopped at 48 pages (3.0 MiB)\n');
  });
});
