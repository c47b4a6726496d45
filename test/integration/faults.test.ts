// A bad process is stopped with a clear reason, and nothing else stops.

import { afterEach, describe, expect, it } from 'vitest';
import { PID_INIT, PID_PERMISSION } from '../../kernel/abi.ts';
import { replay } from '../../kernel/index.ts';
import type { Supervisor } from '../../supervisor/supervisor.ts';
import { ValidationError } from '../../supervisor/validate.ts';
import { assemble, ZOS_IMPORTS } from '../fixtures/wat.ts';
import { bootZos, type Booted } from './harness.ts';

let zos: Booted | undefined;
afterEach(() => zos?.sup.shutdown());

const program = (body: string, extra = ''): Promise<Uint8Array> => assemble(`(module ${ZOS_IMPORTS}
  (import "env" "abort" (func $abort (param i32 i32 i32 i32)))
  (memory (export "memory") 1) ${extra}
  (func (export "_start") ${body}))`);

/** Everything else is still up and the logs still verify and replay. */
function expectSystemHealthy(sup: Supervisor): void {
  const alive = sup.view.processes().filter((p) => p.status === 'alive').map((p) => p.pid);
  expect(alive).toEqual(expect.arrayContaining([PID_INIT, PID_PERMISSION]));
  expect(sup.view.verify().ok).toBe(true);
  const r = replay(sup.view.commits(), undefined, sup.view.checkpoint() ?? undefined); // from where the kept commits start
  expect(r.ok && r.stateHash).toBe(sup.view.stateHash());
}

describe('faults', () => {
  it('a trap becomes ProcessFaulted with the trap message', async () => {
    zos = await bootZos();
    const pid = zos.sup.spawn(await program('(unreachable)'), { name: 'trapper' });
    const info = await zos.sup.waitForExit(pid);
    expect(info.status).toBe('faulted');
    expect(info.fault?.reason).toBe('trap');
    expect(info.fault?.description).toMatch(/unreachable/);
    const commit = zos.sup.view.commits().find((c) => c.type === 'ProcessFaulted' && c.fields.pid === pid);
    expect(commit?.type === 'ProcessFaulted' && commit.fields.reason).toBe('trap');
    expectSystemHealthy(zos.sup);
  });

  it('an AssemblyScript abort faults with its message', async () => {
    // "boom" as an AssemblyScript string: byte length before, UTF-16 after.
    const data = '(data (i32.const 28) "\\08\\00\\00\\00b\\00o\\00o\\00m\\00")';
    zos = await bootZos();
    const pid = zos.sup.spawn(await program('(call $abort (i32.const 32) (i32.const 0) (i32.const 7) (i32.const 3))', data), { name: 'aborter' });
    const info = await zos.sup.waitForExit(pid);
    expect(info.fault?.reason).toBe('abort');
    expect(info.fault?.description).toContain('boom');
    expectSystemHealthy(zos.sup);
  });

  it('a pointer outside memory stops the process', async () => {
    zos = await bootZos();
    const pid = zos.sup.spawn(await program('(call $send_bytes (i32.const 65530) (i32.const 100))'), { name: 'pointer' });
    const info = await zos.sup.waitForExit(pid);
    expect(info.fault?.reason).toBe('bad_pointer');
    expect(info.fault?.description).toMatch(/zos_send_bytes\(65530, 100\)/);
    expectSystemHealthy(zos.sup);
  });

  it('request data past 65536 bytes fails the next syscall with E_OVERFLOW', async () => {
    zos = await bootZos();
    const body = `(call $send_bytes (i32.const 0) (i32.const 65536)) (call $send_bytes (i32.const 0) (i32.const 1))
      (drop (call $syscall (i32.const 0x11) (call $syscall (i32.const 0x07) (i32.const 1) (i32.const 0) (i32.const 0)) (i32.const 0) (i32.const 0)))`;
    const pid = zos.sup.spawn(await program(body), { name: 'overflow' });
    expect((await zos.sup.waitForExit(pid)).exitCode).toBe(10);
  });

  it('kill stops a process spinning without syscalls', async () => {
    zos = await bootZos();
    const pid = zos.sup.spawn(await program('(loop $l (br $l))'), { name: 'spin' });
    await new Promise((r) => setTimeout(r, 300));
    expect(zos.sup.info(pid)?.status).toBe('alive');
    expect(zos.sup.kill(pid)).toBe(true);
    const info = await zos.sup.waitForExit(pid);
    expect(info.fault?.reason).toBe('killed');
    expectSystemHealthy(zos.sup);
  });

  it('the CPU limit stops a spinner and spares processes that make syscalls', async () => {
    zos = await bootZos({ cpuLimitMs: 200 });
    const spin = zos.sup.spawn(await program('(loop $l (br $l))'), { name: 'spin' });
    const info = await zos.sup.waitForExit(spin);
    expect(info.fault?.reason).toBe('cpu_limit');
    expectSystemHealthy(zos.sup);
  });

  it('memory.grow past the limit returns -1 and the process goes on', async () => {
    zos = await bootZos();
    // Grow one page at a time until refused; exit with the page count reached.
    const body = `(loop $l (br_if $l (i32.ne (memory.grow (i32.const 1)) (i32.const -1))))
      (drop (call $syscall (i32.const 0x11) (memory.size) (i32.const 0) (i32.const 0)))`;
    const pid = zos.sup.spawn(await program(body), { name: 'grower', memoryLimitPages: 8 });
    expect((await zos.sup.waitForExit(pid)).exitCode).toBe(8);
  });
});

describe('refused binaries', () => {
  const cases: [string, () => Promise<Uint8Array>, string, RegExp][] = [
    ['malformed', async () => new Uint8Array([0, 0x61, 0x73, 0x6d, 9, 9]), 'malformed', /malformed|version/i],
    ['truncated', async () => (await program('(nop)')).slice(0, 20), 'malformed', /./],
    ['forbidden import', () => assemble(`(module (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
      (memory (export "memory") 1) (func (export "_start")))`), 'forbidden_import', /wasi_snapshot_preview1\.fd_write/],
    ['missing _start', () => assemble('(module (memory (export "memory") 1) (func (export "main")))'), 'missing_start', /_start/],
    ['memory over the limit', () => assemble('(module (memory (export "memory") 300) (func (export "_start")))'), 'memory_over_limit', /300/],
  ];
  for (const [title, make, code, message] of cases) {
    it(`refuses ${title} with a named error, and runs nothing`, async () => {
      zos ??= await bootZos();
      const before = zos.sup.view.processes().length;
      let error: unknown;
      try {
        zos.sup.spawn(await make(), { name: title });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).code).toBe(code);
      expect((error as Error).message).toContain(`"${title}"`);
      expect((error as Error).message).toMatch(message);
      expect(zos.sup.view.processes().length).toBe(before);
    });
  }
});
