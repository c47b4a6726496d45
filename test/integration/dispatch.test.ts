// The dispatch pump under pressure and without Atomics.waitAsync: deadlines
// still expire, parked processes still wake, nothing waits on a lost ring.

import { afterEach, describe, expect, it } from 'vitest';
import { assemble, ZOS_IMPORTS } from '../fixtures/wat.ts';
import { bootZos, type Booted } from './harness.ts';

let zos: Booted | undefined;
afterEach(() => zos?.sup.shutdown());

const program = (body: string): Promise<Uint8Array> =>
  assemble(`(module ${ZOS_IMPORTS} (memory (export "memory") 1) (func (export "_start") ${body}))`);

const FLOOD = '(loop $l (drop (call $syscall (i32.const 0x03) (i32.const 0) (i32.const 0) (i32.const 0))) (br $l))';
/** SLEEP 20 ms, then exit 0. */
const SLEEPER = `(drop (call $syscall (i32.const 0x13) (i32.const 20000000) (i32.const 0) (i32.const 0)))
  (drop (call $syscall (i32.const 0x11) (i32.const 0) (i32.const 0) (i32.const 0)))`;

const within = <T>(ms: number, what: string, p: Promise<T>): Promise<T> => Promise.race([
  p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms)),
]);

describe('dispatch', () => {
  it('a SLEEP ends on time while four processes flood the kernel with syscalls', async () => {
    zos = await bootZos();
    const flood = await program(FLOOD);
    for (let i = 0; i < 4; i++) zos.sup.spawn(flood, { name: `flood${i}` });
    await new Promise((r) => setTimeout(r, 200)); // the flood is on
    const started = performance.now();
    const sleeper = zos.sup.spawn(await program(SLEEPER), { name: 'sleeper' });
    expect((await within(3000, 'the sleeper', zos.sup.waitForExit(sleeper))).exitCode).toBe(0);
    expect(performance.now() - started).toBeGreaterThanOrEqual(20);
  });

  it('a receive+yield loop wakes for a message sent while it was between calls', async () => {
    zos = await bootZos({ yieldParkMs: 1000 });
    // Non-blocking RECEIVE on slot 1 until a message comes, yielding in between; then exit 0.
    const poller = await program(`(block $got (loop $l
        (br_if $got (i32.gt_s (call $syscall (i32.const 0x41) (i32.const 1) (i32.const 0) (i32.const 0)) (i32.const 0)))
        (call $yield) (br $l)))
      (drop (call $syscall (i32.const 0x11) (i32.const 0) (i32.const 0) (i32.const 0)))`);
    const pid = zos.sup.spawn(poller, { name: 'poller' });
    await new Promise((r) => setTimeout(r, 100));
    for (let i = 0; i < 5; i++) {
      const sent = performance.now();
      const p = i === 4 ? pid : zos.sup.spawn(poller, { name: `poller${i}` });
      await new Promise((r) => setTimeout(r, 30));
      zos.sup.sendInput(p, 'wake');
      await within(500, `poller ${p}`, zos.sup.waitForExit(p));
      expect(performance.now() - sent).toBeLessThan(530);
    }
  });

  it('receive+yield loops park a few ms while idle (ABI §1), no less and no more, and a message still wakes one at once', async () => {
    zos = await bootZos();
    const poller = await program(`(block $got (loop $l
        (br_if $got (i32.gt_s (call $syscall (i32.const 0x41) (i32.const 1) (i32.const 0) (i32.const 0)) (i32.const 0)))
        (call $yield) (br $l)))
      (drop (call $syscall (i32.const 0x11) (i32.const 0) (i32.const 0) (i32.const 0)))`);
    const pids = Array.from({ length: 8 }, (_, i) => zos!.sup.spawn(poller, { name: `poller${i}` }));
    await new Promise((r) => setTimeout(r, 500)); // their parks reach the ceiling (8 ms)
    const before = pids.map((pid) => zos!.sup.view.process(pid)!.syscalls);
    await new Promise((r) => setTimeout(r, 2000));
    const polls = pids.map((pid, i) => zos!.sup.view.process(pid)!.syscalls - before[i]!);
    // Parks of 8 ms make about 250 RECEIVEs each in 2 s: not a busy loop (thousands), and a yield returns within
    // a few ms (a longer park would make far fewer; a loaded machine makes somewhat fewer too).
    for (const n of polls) {
      expect(n).toBeLessThanOrEqual(2000 / 8 + 30);
      expect(n).toBeGreaterThanOrEqual(2000 / 8 / 4);
    }
    const sent = performance.now();
    zos.sup.sendInput(pids[0]!, 'wake');
    await within(500, 'the parked poller', zos.sup.waitForExit(pids[0]!));
    expect(performance.now() - sent).toBeLessThan(100);
  });

  it('a CALL/REPLY exchange still works with parked requests spinning before they sleep', async () => {
    zos = await bootZos({ spinWhenParked: 'always' });
    const pids = [zos.sup.spawn('pingpong'), zos.sup.spawn('pingpong')];
    const infos = await within(30_000, 'two pingpongs', Promise.all(pids.map((p) => zos!.sup.waitForExit(p))));
    expect(infos.map((i) => i.exitCode)).toEqual([0, 0]);
  });

  it('without Atomics.waitAsync, rings come by message and SLEEP still expires', async () => {
    const saved = Atomics.waitAsync;
    Reflect.deleteProperty(Atomics, 'waitAsync');
    try {
      zos = await bootZos();
      const sleeper = zos.sup.spawn(await program(SLEEPER), { name: 'sleeper' });
      expect((await within(3000, 'the sleeper', zos.sup.waitForExit(sleeper))).exitCode).toBe(0);
      const hello = zos.sup.spawn('hello');
      expect(await zos.waitForOutput(hello, 'Hello from zos!')).toContain(`pid ${hello}`);
    } finally {
      Object.defineProperty(Atomics, 'waitAsync', { value: saved, writable: true, configurable: true });
    }
  });
});
