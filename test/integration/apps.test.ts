// The built-in programs, end to end: the real supervisor, real
// worker_threads, the real binaries from apps/build (and a few test
// programs: WAT assembled here, AssemblyScript from test/fixtures/as/
// compiled here with the asc API).

import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import asc from 'assemblyscript/asc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as A from '../../kernel/abi.ts';
import { replay } from '../../kernel/index.ts';
import { assemble, ZOS_IMPORTS } from '../fixtures/wat.ts';
import { bootPerTest, type Booted } from './harness.ts';
import { PROMPT, Shell, waitFor } from './shell-driver.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const boot = bootPerTest();

/** The logs still verify, and replaying the commits gives the live state. */
function expectLogsSound(z: Booted): void {
  expect(z.sup.view.verify().ok).toBe(true);
  const r = replay(z.sup.view.commits());
  expect(r.ok && r.stateHash).toBe(z.sup.view.stateHash());
}

/** Every capability anyone holds to `endpoint`. */
const holdersOf = (z: Booted, endpoint: number) =>
  z.sup.view.caps().filter((c) => c.type === A.OBJ_ENDPOINT && c.object === endpoint);

/** AssemblyScript test programs, compiled once per run with the flags the apps use. */
const asFixtures = new Map<string, Promise<Uint8Array>>();
function asProgram(name: string): Promise<Uint8Array> {
  let built = asFixtures.get(name);
  if (!built) asFixtures.set(name, (built = compileAs(name)));
  return built;
}

async function compileAs(name: string): Promise<Uint8Array> {
  let binary: Uint8Array | null = null;
  const diagnostics: string[] = [];
  const { error } = await asc.main([
    `test/fixtures/as/${name}.ts`, '--baseDir', ROOT, '--outFile', 'fixture.wasm',
    '--optimizeLevel', '1', '--runtime', 'incremental', '--importMemory', '--noAssert',
  ], {
    stdout: asc.createMemoryStream(),
    stderr: asc.createMemoryStream((chunk) => { diagnostics.push(String(chunk)); }),
    writeFile: (file, contents) => { if (file === 'fixture.wasm') binary = contents as Uint8Array; },
  });
  if (error || !binary) throw new Error(`cannot compile ${name}: ${error?.message ?? ''}\n${diagnostics.join('')}`);
  return binary;
}

// ---------------------------------------------------------------------------

describe('programs', () => {
  it('hello prints its greeting and exits 0', async () => {
    const z = await boot();
    const pid = z.sup.spawn('hello');
    const info = await z.sup.waitForExit(pid);
    expect(info.exitCode).toBe(0);
    expect(info.fault).toBeNull();
    expect(z.output(pid)).toBe(`Hello from zos! I am pid ${pid}\n`);
  });

  for (const order of ['receiver first', 'sender first'] as const) {
    it(`sender and receiver pass 10,000 messages, none lost or reordered (${order})`, async () => {
      const z = await boot();
      const pids = new Map<string, number>();
      for (const name of order === 'receiver first' ? ['receiver', 'sender'] : ['sender', 'receiver']) {
        pids.set(name, z.sup.spawn(name));
      }
      const [receiver, sender] = [pids.get('receiver')!, pids.get('sender')!];
      const [r, s] = await Promise.all([z.sup.waitForExit(receiver), z.sup.waitForExit(sender)]);
      expect(z.output(receiver)).toContain('received 10000 messages in order');
      expect(z.output(sender)).toContain('sent 10000 messages');
      expect([r.exitCode, s.exitCode]).toEqual([0, 0]);
      // The CommitLog saw exactly 10,000 stream messages from the sender.
      const sent = z.sup.view.commits().filter((c) => c.type === 'MessageSent' && c.fields.from_pid === sender
        && c.fields.tag === A.MSG_APP_STATE);
      expect(sent).toHaveLength(10_000);
      expectLogsSound(z);
    });
  }

  it('two pingpongs make 1000 CALL/REPLY round trips', async () => {
    const z = await boot();
    const pids = [z.sup.spawn('pingpong'), z.sup.spawn('pingpong')];
    const infos = await Promise.all(pids.map((p) => z.sup.waitForExit(p)));
    expect(infos.map((i) => i.exitCode)).toEqual([0, 0]);
    const server = pids.find((p) => z.output(p).includes('pong server ready'))!;
    const client = pids.find((p) => p !== server)!;
    expect(z.output(server)).toBe('pong server ready\npong server done\n');
    expect(z.output(client)).toBe('pingpong: 1000 round trips ok\n');
    // 1000 round trips plus "quit", each a CALL answered by a REPLY.
    const calls = z.sup.view.commits().filter((c) => c.type === 'MessageSent' && c.fields.from_pid === client
      && (c.fields.tag === A.MSG_APP_STATE || c.fields.tag === A.MSG_APP_INPUT));
    expect(calls).toHaveLength(1001);
    expectLogsSound(z);
  });

  it('memhog stops at the memory limit and exits 0', async () => {
    const z = await boot({ memoryLimitPages: 40 });
    const pid = z.sup.spawn('memhog');
    expect((await z.sup.waitForExit(pid)).exitCode).toBe(0);
    expect(z.output(pid)).toContain('memhog: stopped at 40 pages (2.5 MiB)');
  });
});

// ---------------------------------------------------------------------------

/**
 * Moves the capability in its slot 4 (derived from a fresh endpoint in slot
 * 3) over the endpoint capability the test puts in its slot 5, once it gets
 * an input; with `revokeAfter`, then revokes slot 3, which takes the moved
 * capability while it is in flight. Exits, after a second input, with
 * 10 * SEND_CAP's status + CAP_INSPECT(4) (0 when slot 4 is empty).
 */
const capSender = (revokeAfter: boolean): Promise<Uint8Array> => assemble(`(module ${ZOS_IMPORTS}
  (memory (export "memory") 1)
  (data (i32.const 0) "cap!\\04\\00\\00\\00")
  (func $wait (drop (call $syscall (i32.const ${A.SYS_RECEIVE}) (i32.const ${A.SLOT_INPUT}) (i32.const ${A.RECV_BLOCK}) (i32.const 0))))
  (func (export "_start") (local $status i32)
    (drop (call $syscall (i32.const ${A.SYS_EP_CREATE}) (i32.const 0) (i32.const 0) (i32.const 0)))
    (drop (call $syscall (i32.const ${A.SYS_CAP_DERIVE}) (i32.const 3) (i32.const 7) (i32.const 0)))
    (call $wait)
    (call $send_bytes (i32.const 0) (i32.const 8))
    (local.set $status (call $syscall (i32.const ${A.SYS_SEND_CAP}) (i32.const 5) (i32.const ${A.MSG_APP_STATE})
      (i32.const ${4 | (1 << A.SEND_CAP_COUNT_SHIFT)})))
    ${revokeAfter ? `(drop (call $syscall (i32.const ${A.SYS_CAP_REVOKE}) (i32.const 3) (i32.const 0) (i32.const 0)))` : ''}
    (call $wait)
    (drop (call $syscall (i32.const ${A.SYS_EXIT})
      (i32.add (i32.mul (local.get $status) (i32.const 10))
        (call $syscall (i32.const ${A.SYS_CAP_INSPECT}) (i32.const 4) (i32.const 0) (i32.const 0)))
      (i32.const 0) (i32.const 0)))))`);

describe('capabilities between programs', () => {
  /** A capSender and a capreceiver, connected; the sender has sent. */
  async function moveOne(revokeAfter: boolean) {
    const [senderBinary, receiverBinary] = await Promise.all([capSender(revokeAfter), asProgram('capreceiver')]);
    const z = await boot();
    const k = z.sup.view;
    const receiver = z.sup.spawn(receiverBinary, { name: 'capreceiver' });
    const sender = z.sup.spawn(senderBinary, { name: 'capsender' });
    const moved = await waitFor('the sender to derive slot 4',
      () => k.isWaiting(sender) && k.caps(sender).find((c) => c.slot === 4));
    const inbox = k.caps(receiver).find((c) => c.slot === A.SLOT_SELF)!.object;
    expect(z.sup.grantObject(sender, A.OBJ_ENDPOINT, inbox, A.PERM_WRITE, 5)).toBe(5);
    z.sup.sendInput(sender, 'go');
    // Queued, and the sender done with it (revoked, if it was to): it waits for its second input.
    await waitFor('the message to be queued', () => k.endpoints().find((e) => e.id === inbox)?.queued === 1
      && k.isWaiting(sender));
    // In flight: in no CSpace at all.
    expect(k.caps().some((c) => c.id === moved.id)).toBe(false);
    z.sup.sendInput(receiver, 'go');
    await z.waitForOutput(receiver, 'got cap!');
    return { z, k, sender, receiver, moved };
  }

  it('SEND_CAP moves a capability: gone from the sender, in the receiver, and the kernel agrees', async () => {
    const { z, k, sender, receiver, moved } = await moveOne(false);
    const out = await z.waitForOutput(receiver, 'holds');
    const slot = Number(/moved slot (\d+), lost 0\n/.exec(out)?.[1]);
    expect(out).toContain(`holds Endpoint ${moved.object} rwg`);
    const landed = k.caps(receiver).find((c) => c.slot === slot);
    expect(landed).toMatchObject({ id: moved.id, type: A.OBJ_ENDPOINT, object: moved.object, perms: A.PERM_ALL });
    expect(k.caps(sender).find((c) => c.slot === 4)).toBeUndefined();
    expect(k.caps().filter((c) => c.id === moved.id)).toHaveLength(1);
    // Still in the derivation tree: the sender's revoke of slot 3 reaches it in the receiver.
    expect(z.sup.actFor(sender, A.SYS_CAP_REVOKE, 3, 0)).toBe(A.E_OK);
    await waitFor('the moved capability to be revoked', () => !k.caps(receiver).some((c) => c.id === moved.id));
    z.sup.sendInput(sender, 'end');
    z.sup.sendInput(receiver, 'end');
    expect((await z.sup.waitForExit(sender)).exitCode).toBe(0); // SEND_CAP 0, slot 4 empty
    expect((await z.sup.waitForExit(receiver)).exitCode).toBe(0);
    expectLogsSound(z);
  });

  it('a capability revoked in flight arrives as SLOT_LOST_IN_TRANSIT', async () => {
    const { z, k, sender, receiver, moved } = await moveOne(true);
    const out = await z.waitForOutput(receiver, 'lost');
    expect(out).toContain(`got cap!, moved slot ${A.SLOT_LOST_IN_TRANSIT}, lost 1\n`);
    expect(out).not.toContain('holds');
    expect(k.caps().some((c) => c.id === moved.id)).toBe(false);
    expect(k.caps(receiver).map((c) => c.slot)).toEqual([0, 1, 2]);
    z.sup.sendInput(sender, 'end');
    z.sup.sendInput(receiver, 'end');
    expect((await z.sup.waitForExit(sender)).exitCode).toBe(0);
    expectLogsSound(z);
  });

  it('a revoke is announced to every holder: the other terminal prints [revoked]', async () => {
    const z = await boot();
    const [a, b] = [await Shell.start(z), await Shell.start(z)];
    const created = await a.run('ep');
    const id = Number(/created endpoint (\d+) in slot 3/.exec(created)?.[1]);
    expect(id).toBeGreaterThan(0);
    const granted = await a.run(`grant 3 ${b.pid} rw`);
    const slot = Number(new RegExp(`granted slot 3 to pid ${b.pid} as its slot (\\d+)`).exec(granted)?.[1]);
    expect(z.sup.view.caps(b.pid).find((c) => c.slot === slot)).toMatchObject({ object: id, perms: A.PERM_READ | A.PERM_WRITE });
    expect(await b.run(`inspect ${slot}`)).toContain(`slot ${slot}: Endpoint ${id}, perms rw-`);
    expect(await a.run('revoke 3')).toContain('revoked: removed 1 capability in 1 process: every copy made from slot 3');
    await b.waitFor(`[revoked] slot ${slot} (type Endpoint, object ${id}, reason: explicit)`);
    expect(holdersOf(z, id).map((c) => c.pid)).toEqual([a.pid]);
    expect(await b.run(`send ${slot} 1 hi`)).toContain(`send: refused (E_BADF): slot ${slot} is empty`);
  });

  it('a server that exits mid-conversation leaves no capability to its endpoints behind', async () => {
    const z = await boot();
    const server = z.sup.spawn('pingpong');
    await z.waitForOutput(server, 'pong server ready');
    const endpoints = z.sup.view.endpoints().filter((e) => e.owner === server).map((e) => e.id);
    const registered = z.sup.view.caps(server).find((c) => c.slot === 3)!.object;
    // A client, as init's LOOKUP makes one: a write capability granted from the owner's;
    // and one more, to the server's own endpoint (slot 0).
    const client = await Shell.start(z);
    const slot = z.sup.grantObject(client.pid, A.OBJ_ENDPOINT, registered, A.PERM_WRITE);
    const own = z.sup.view.caps(server).find((c) => c.slot === A.SLOT_SELF)!.object;
    const second = z.sup.grantObject(client.pid, A.OBJ_ENDPOINT, own, A.PERM_WRITE);
    expect([slot, second]).toEqual([3, 4]);
    expect(await client.run(`send ${slot} 0x2000 ping`)).toContain('sent 4 bytes');
    expect(await client.run(`send ${slot} 0x2001 quit`)).toContain('sent 4 bytes');
    expect((await z.sup.waitForExit(server)).exitCode).toBe(0);
    await client.waitFor(`[revoked] slot ${slot} (type Endpoint, object ${registered}, reason: process exited)`);
    await client.waitFor(`[revoked] slot ${second} (type Endpoint, object ${own}, reason: process exited)`);
    for (const id of endpoints) expect(holdersOf(z, id)).toEqual([]);
    expect(z.sup.view.endpoints().filter((e) => endpoints.includes(e.id))).toEqual([]);
    expect(await client.run(`send ${slot} 0x2000 ping`)).toContain('send: refused (E_BADF)');
    // The name went with its owner: a new pingpong becomes the server again.
    const next = z.sup.spawn('pingpong');
    await z.waitForOutput(next, 'pong server ready');
    expectLogsSound(z);
  });
});

// ---------------------------------------------------------------------------

/** One CALL to init: its tag, and the service name its payload carries (none for SERVICE_READY). */
interface InitRequest { tag: number; name?: string }

/**
 * A binary built for the ABI (no process-lib, nothing granted to init) that
 * CALLs init with each request in turn; a REGISTER_SERVICE registers its
 * slot-0 endpoint. For each answer it writes one character to its console:
 * the first payload byte (a status, or LOOKUP_RESPONSE's found) as a digit,
 * `x` when the answer is short or not a digit. Then it exits 0.
 */
function initCaller(requests: InitRequest[]): Promise<Uint8Array> {
  const data: string[] = [];
  const calls: string[] = [];
  let at = 0;
  for (const { tag, name = '' } of requests) {
    const len = name.length + (name ? 1 : 0) + (tag === A.MSG_REGISTER_SERVICE ? 8 : 0);
    if (name) data.push(`(data (i32.const ${at}) "\\${name.length.toString(16).padStart(2, '0')}${name}")`);
    if (tag === A.MSG_REGISTER_SERVICE) calls.push(`(i64.store (i32.const ${at + 1 + name.length}) (local.get $own))`);
    calls.push(`(call $answer (call $call (i32.const ${tag}) (i32.const ${at}) (i32.const ${len})))`);
    at += len;
  }
  return assemble(`(module ${ZOS_IMPORTS}
    (memory (export "memory") 1)
    ${data.join('\n    ')}
    ;; CALLs init with the \`len\` bytes at \`at\`: the answer's first payload byte, or 99 when there is none.
    (func $call (param $tag i32) (param $at i32) (param $len i32) (result i32)
      (call $send_bytes (local.get $at) (local.get $len))
      (if (i32.lt_s (call $syscall (i32.const ${A.SYS_CALL}) (i32.const ${A.SLOT_INIT}) (local.get $tag) (local.get $len)) (i32.const 9))
        (then (return (i32.const 99))))
      (drop (call $recv_bytes (i32.const 0xff00) (i32.const 64)))
      (i32.load8_u (i32.const 0xff08)))
    (func $answer (param $byte i32)
      (i32.store8 (i32.const 0xfff0)
        (select (i32.add (i32.const 48) (local.get $byte)) (i32.const 120) (i32.lt_u (local.get $byte) (i32.const 10))))
      (call $send_bytes (i32.const 0xfff0) (i32.const 1))
      (drop (call $syscall (i32.const ${A.SYS_CONSOLE_WRITE}) (i32.const 1) (i32.const 0) (i32.const 0))))
    (func (export "_start") (local $own i64)
      ;; Its endpoint id: CAP_INSPECT of slot 0, the object id at offset 8 of the answer.
      (drop (call $syscall (i32.const ${A.SYS_CAP_INSPECT}) (i32.const ${A.SLOT_SELF}) (i32.const 0) (i32.const 0)))
      (drop (call $recv_bytes (i32.const 0xfe00) (i32.const 16)))
      (local.set $own (i64.load (i32.const 0xfe08)))
      ${calls.join('\n      ')}))`);
}

/** Runs a binary to its end; a process still running after `timeoutMs` (blocked for good) fails the test. */
async function runToEnd(z: Booted, binary: Uint8Array, name: string, timeoutMs = 5_000) {
  const pid = z.sup.spawn(binary, { name });
  const info = await waitFor(`${name} (pid ${pid}) to end`, () => z.sup.info(pid)?.status !== 'alive' && z.sup.info(pid), timeoutMs);
  return { ...info, output: z.output(pid) };
}

describe('service registry and permission service', () => {
  it('init answers a CALL of SERVICE_READY with status 0', async () => {
    const binary = await initCaller([{ tag: A.MSG_SERVICE_READY }]);
    const z = await boot();
    expect(await runToEnd(z, binary, 'ready')).toMatchObject({ exitCode: 0, output: '0' });
  });

  it('one process holds at most 8 names; ended registrants give way when the registry is full; a LOOKUP of one finds nothing', async () => {
    const names = (from: number, count: number) =>
      Array.from({ length: count }, (_, i) => ({ tag: A.MSG_REGISTER_SERVICE, name: `filler-${from + i}` }));
    const perOwner = A.MAX_SERVICE_NAMES_PER_OWNER;
    const rounds = Math.ceil(A.MAX_SERVICE_NAMES / perOwner);
    const fillers = await Promise.all(Array.from({ length: rounds }, (_, r) => initCaller(names(100 * (r + 1), perOwner))));
    const [greedy, probe] = await Promise.all([initCaller(names(0, perOwner + 1)), initCaller([
      { tag: A.MSG_LOOKUP_SERVICE, name: 'filler-0' },
      { tag: A.MSG_REGISTER_SERVICE, name: 'late' },
      { tag: A.MSG_LOOKUP_SERVICE, name: 'permission' },
    ])]);
    const z = await boot();
    // The bound per owner: the ninth name of one process is refused.
    expect(await runToEnd(z, greedy, 'greedy')).toMatchObject({ exitCode: 0, output: `${'0'.repeat(perOwner)}${A.E_NOMEM}` });
    // Others still register, past the registry's 64 (with "permission" and the ended ones): the dead give way.
    for (const [i, filler] of fillers.entries()) {
      expect(await runToEnd(z, filler, `filler${i}`)).toMatchObject({ exitCode: 0, output: '0'.repeat(perOwner) });
    }
    // Its owner ended: the name is not found, a new name takes a dead one's place, the live "permission" stays.
    expect(await runToEnd(z, probe, 'probe')).toMatchObject({ exitCode: 0, output: '001' });
    expectLogsSound(z);
  });

  it('knowing an endpoint id gives no capability to it; owning it, or proving authority, does', async () => {
    const rogueBinary = await asProgram('rogue');
    const z = await boot();
    const k = z.sup.view;
    const victim = await Shell.start(z);
    const victimEndpoint = k.caps(victim.pid).find((c) => c.slot === A.SLOT_SELF)!.object;
    const permissionEndpoint = k.caps(A.PID_PERMISSION).find((c) => c.slot === A.SLOT_SELF)!.object;
    const grantsToInit = () => k.commits().filter((c) => c.type === 'CapGranted' && c.fields.to_pid === A.PID_INIT
      && c.fields.from_pid !== A.PID_INIT).length;
    const grantsToInitBefore = grantsToInit();

    for (const target of [victimEndpoint, permissionEndpoint]) {
      const rogue = z.sup.spawn(rogueBinary, { name: 'rogue' });
      z.sup.sendInput(rogue, `${target} ${victim.pid}`);
      const out = await z.waitForOutput(rogue, 'done\n');
      // Someone else's endpoint: refused by ownership, by CALL (E_PERM) and by SEND (no answer, not registered).
      expect(out).toContain('register stolen: E_PERM\n');
      expect(out).toContain('register stolen by send: E_OK\n'); // the SEND itself went through
      expect(out).toContain('lookup stolen: not found\n');
      expect(out).toContain('grant stolen via permission: E_PERM\n');
      expect(out).toContain('grant stolen via init: E_PERM\n');
      // The legitimate way, for its own endpoint: a plain registration, by CALL and by SEND.
      expect(out).toContain('register mine: E_OK\n');
      expect(out).toContain('lookup mine: found\n');
      expect(out).toContain('register mine by send: E_OK\n');
      expect(out).toContain('lookup mine by send: found\n');
      // The other registry rules hold: a name a live process holds, init's endpoint, no endpoint at all.
      expect(out).toContain('register taken: E_EXIST\n');
      expect(out).toContain('register init: E_PERM\n');
      expect(out).toContain('register nowhere: E_PERM\n');
      expect(out).toContain('lookup nowhere: not found\n');
      const slot = Number(/grant mine: E_OK slot (\d+)\n/.exec(out)?.[1]);
      expect(out).toContain('grant mine with g: E_PERM\n');
      expect(out).toContain('grant mine beyond proof: E_PERM\n');
      // Nothing to the target reached the rogue, but what the registry gives everyone (write to "permission").
      const expected = target === permissionEndpoint ? [A.PERM_WRITE] : [];
      expect(holdersOf(z, target).filter((c) => c.pid === rogue).map((c) => c.perms)).toEqual(expected);
      // What the permission service granted is write only, and a descendant of the rogue's capability.
      const own = k.caps(rogue).find((c) => c.slot > A.SLOT_INIT && c.perms === A.PERM_ALL)!; // its endpoint
      const got = k.caps(victim.pid).find((c) => c.slot === slot)!;
      expect(got).toMatchObject({ object: own.object, perms: A.PERM_WRITE });
      expect(z.sup.actFor(rogue, A.SYS_CAP_REVOKE, own.slot, 0)).toBe(A.E_OK);
      expect(k.caps(victim.pid).some((c) => c.id === got.id)).toBe(false);
      z.sup.sendInput(rogue, 'end');
      expect((await z.sup.waitForExit(rogue)).exitCode).toBe(0);
    }
    // Registering granted init nothing; the permission service kept no proof.
    expect(grantsToInit()).toBe(grantsToInitBefore);
    expect(k.caps(A.PID_INIT).map((c) => [c.slot, c.object])).toEqual([[0, A.INIT_ENDPOINT_ID], [1, A.INIT_ENDPOINT_ID]]);
    expect(k.caps(A.PID_PERMISSION).map((c) => c.slot).sort()).toEqual([0, 1, 2]);
    // The victim's endpoint: only its owner holds it.
    expect(holdersOf(z, victimEndpoint).map((c) => c.pid)).toEqual([victim.pid]);
    expectLogsSound(z);
  });

  it('a binary built for the ABI registers with a plain REGISTER_SERVICE, by SEND or by CALL', async () => {
    const z = await boot();
    const k = z.sup.view;
    const victim = await Shell.start(z);
    const victimEndpoint = k.caps(victim.pid).find((c) => c.slot === A.SLOT_SELF)!.object;
    // No process-lib, no capability to init: the v0.1.1 way. Registers its slot-0 endpoint as
    // "raw-send" by SEND and as "raw-call" by CALL, the victim's as "raw-stolen" by CALL, then looks
    // the three up. Exits, after an input, with one decimal digit per result: the SEND's status,
    // init's two statuses, and for each lookup 1 if it found that very endpoint.
    const binary = await assemble(`(module ${ZOS_IMPORTS}
      (memory (export "memory") 1)
      (data (i32.const 0) "\\08raw-send")
      (data (i32.const 32) "\\08raw-call")
      (data (i32.const 64) "\\0araw-stolen")
      ;; A CALL to init of the \`len\` bytes at \`at\`; the reply (from, tag, payload) lands at 160.
      (func $call (param $at i32) (param $len i32) (param $tag i32) (result i32)
        (call $send_bytes (local.get $at) (local.get $len))
        (local.set $len (call $syscall (i32.const ${A.SYS_CALL}) (i32.const ${A.SLOT_INIT}) (local.get $tag) (local.get $len)))
        (drop (call $recv_bytes (i32.const 160) (i32.const 32)))
        (local.get $len))
      ;; REGISTER_SERVICE by CALL: init's status u8, or 9 for a short answer.
      (func $register (param $at i32) (param $len i32) (result i32)
        (if (i32.lt_s (call $call (local.get $at) (local.get $len) (i32.const ${A.MSG_REGISTER_SERVICE})) (i32.const 9))
          (then (return (i32.const 9))))
        (i32.load8_u (i32.const 168)))
      ;; LOOKUP_SERVICE of the name at \`at\`: 1 if found with endpoint id \`want\`, else 0.
      (func $lookup (param $at i32) (param $len i32) (param $want i64) (result i32)
        (if (i32.lt_s (call $call (local.get $at) (local.get $len) (i32.const ${A.MSG_LOOKUP_SERVICE})) (i32.const 17))
          (then (return (i32.const 0))))
        (i32.and (i32.load8_u (i32.const 168)) (i64.eq (i64.load (i32.const 169)) (local.get $want))))
      (func (export "_start") (local $own i64) (local $code i32)
        ;; Its endpoint id: CAP_INSPECT of slot 0, the object id at offset 8 of the answer.
        (drop (call $syscall (i32.const ${A.SYS_CAP_INSPECT}) (i32.const ${A.SLOT_SELF}) (i32.const 0) (i32.const 0)))
        (drop (call $recv_bytes (i32.const 128) (i32.const 16)))
        (local.set $own (i64.load (i32.const 136)))
        (i64.store (i32.const 9) (local.get $own))
        (i64.store (i32.const 41) (local.get $own))
        (i64.store (i32.const 75) (i64.const ${victimEndpoint}))
        (call $send_bytes (i32.const 0) (i32.const 17))
        (local.set $code (call $syscall (i32.const ${A.SYS_SEND}) (i32.const ${A.SLOT_INIT}) (i32.const ${A.MSG_REGISTER_SERVICE}) (i32.const 17)))
        (local.set $code (i32.add (i32.mul (local.get $code) (i32.const 10)) (call $register (i32.const 32) (i32.const 17))))
        (local.set $code (i32.add (i32.mul (local.get $code) (i32.const 10)) (call $register (i32.const 64) (i32.const 19))))
        (local.set $code (i32.add (i32.mul (local.get $code) (i32.const 10)) (call $lookup (i32.const 0) (i32.const 9) (local.get $own))))
        (local.set $code (i32.add (i32.mul (local.get $code) (i32.const 10)) (call $lookup (i32.const 32) (i32.const 9) (local.get $own))))
        (local.set $code (i32.add (i32.mul (local.get $code) (i32.const 10))
          (call $lookup (i32.const 64) (i32.const 11) (i64.const ${victimEndpoint}))))
        (drop (call $syscall (i32.const ${A.SYS_RECEIVE}) (i32.const ${A.SLOT_INPUT}) (i32.const ${A.RECV_BLOCK}) (i32.const 0)))
        (drop (call $syscall (i32.const ${A.SYS_EXIT}) (local.get $code) (i32.const 0) (i32.const 0)))))`);
    const raw = z.sup.spawn(binary, { name: 'raw' });
    const rawEndpoint = k.caps(raw).find((c) => c.slot === A.SLOT_SELF)!.object;
    // While it lives, its names are its own: the two lookups gave it write to its own endpoint, nothing to the victim's.
    await waitFor('raw to wait for its input', () => k.isWaiting(raw)
      && k.caps(raw).filter((c) => c.object === rawEndpoint).length === 3);
    expect(holdersOf(z, victimEndpoint).map((c) => c.pid)).toEqual([victim.pid]);
    z.sup.sendInput(raw, 'end');
    const info = await z.sup.waitForExit(raw);
    // SEND 0, "raw-call" E_OK, "raw-stolen" E_PERM; "raw-send" and "raw-call" found, "raw-stolen" not.
    expect(String(info.exitCode).padStart(6, '0')).toBe(`00${A.E_PERM}110`);
    // Nothing was granted to init: it holds its endpoint in slots 0 and 1, as at boot.
    expect(k.caps(A.PID_INIT).map((c) => [c.slot, c.object])).toEqual([[0, A.INIT_ENDPOINT_ID], [1, A.INIT_ENDPOINT_ID]]);
    expectLogsSound(z);
  });
});

// ---------------------------------------------------------------------------

describe('terminal', () => {
  it('runs every command, and explains wrong arguments', async () => {
    const z = await boot();
    const k = z.sup.view;
    const sh = await Shell.start(z);
    const other = await Shell.start(z);
    expect(sh.output).toMatch(/^zos terminal\. Type help for the commands\.\nzos\$ $/);

    const usage = (synopsis: string) => `${synopsis.split(' ')[0]}: usage: ${synopsis} (help ${synopsis.split(' ')[0]} explains it)\n`;
    const help = await sh.run('help');
    for (const name of ['help [command]', 'ps', 'programs', 'caps', 'inspect <slot>', 'ep', 'grant <slot> <pid> <perms>',
      'derive <slot> <perms>', 'lease <slot> <perms> <ms>', 'revoke <slot>', 'delete <slot>', 'send <slot> <tag> <text>',
      'recv <slot>', 'call <slot> <tag> <text>', 'reply <pid> <tag> <text>', 'serve [slot]', 'spawn <name>', 'kill <pid>',
      'log [n]', 'commits [n]', 'verify', 'time', 'echo <text>', 'clear', 'exit [code]']) {
      expect(help).toMatch(new RegExp(`^  ${name.replace(/[[\]]/g, '\\$&')}\\s`, 'm'));
    }
    expect(await sh.run('help me too')).toBe(usage('help [command]'));

    const ps = await sh.run('ps');
    expect(ps).toMatch(/^ {2}PID {2}NAME\n/);
    expect(ps).toMatch(/^ {4}1 {2}init$/m);
    expect(ps).toMatch(/^ {4}2 {2}permission$/m);
    expect(ps).toContain(`${String(sh.pid).padStart(5)}  terminal`);

    const ownEndpoint = k.caps(sh.pid).find((c) => c.slot === 0)!.object;
    const caps = await sh.run('caps');
    expect(caps).toContain(' SLOT  TYPE      OBJECT  PERMS  WHAT\n');
    expect(caps).toContain(`    0  Endpoint  ${String(ownEndpoint).padStart(6)}  rwg    own endpoint: `);
    expect(caps).toContain(`    2  Endpoint  ${String(A.INIT_ENDPOINT_ID).padStart(6)}  -w-    init's endpoint: `);

    expect(await sh.run('inspect 0')).toBe(`slot 0: Endpoint ${ownEndpoint}, perms rwg (read, write, grant); ` +
      'own endpoint: others send here, you receive\n');
    expect(await sh.run('inspect 9')).toBe('slot 9 is empty\n');
    expect(await sh.run('inspect x')).toBe(usage('inspect <slot>'));

    const ep = await sh.run('ep');
    const id = Number(/^created endpoint (\d+) in slot 3 \(rwg: this shell owns it, so only it receives from it\)\n$/.exec(ep)?.[1]);
    expect(k.endpoints().find((e) => e.id === id)?.owner).toBe(sh.pid);

    expect(await sh.run(`grant 3 ${other.pid} rw`)).toBe(`granted slot 3 to pid ${other.pid} as its slot 3: requested rw-, got rw-\n`);
    expect(k.caps(other.pid).find((c) => c.slot === 3)).toMatchObject({ object: id, perms: A.PERM_READ | A.PERM_WRITE });
    expect(await sh.run('grant 3 99999 w')).toBe('grant: refused (E_NOENT): there is no live process with pid 99999 (ps lists them)\n');
    expect(await sh.run('grant 2 1 w')).toBe(`grant: refused (E_PERM): slot 2 holds -w- on endpoint ${A.INIT_ENDPOINT_ID}: ` +
      'granting needs g (grant), which it lacks\n');
    expect(await sh.run('grant 3 4')).toBe(usage('grant <slot> <pid> <perms>'));
    expect(await sh.run(`grant 3 ${other.pid} rwx`)).toBe('grant: perms rwx: use letters from rwg (r read, w write, g grant), or a number 0-7\n');

    expect(await sh.run('derive 3 r')).toBe('derived slot 4 from slot 3: requested r--, got r--\n');
    expect(k.caps(sh.pid).find((c) => c.slot === 4)).toMatchObject({ object: id, perms: A.PERM_READ });
    expect(await sh.run('derive 3')).toBe(usage('derive <slot> <perms>'));

    expect(await sh.run('send 3 0x2000 hello  world')).toBe(`sent 12 bytes to endpoint ${id} (slot 3), tag APP_STATE (0x2000)\n`);
    expect(await sh.run('recv 3')).toBe(`from pid ${sh.pid} (this shell), tag APP_STATE (0x2000), 12 bytes: hello  world\n`);
    expect(await sh.run('recv 3')).toBe('no message\n');
    expect(await sh.run('recv 2')).toBe(`recv: refused (E_PERM): slot 2 holds -w- on endpoint ${A.INIT_ENDPOINT_ID}: ` +
      'receiving needs r (read), which it lacks; and only the endpoint\'s owner receives from it\n');
    expect(await sh.run('send 3 tag text')).toBe(usage('send <slot> <tag> <text>'));
    expect(await sh.run('send 9 1 text')).toBe('send: refused (E_BADF): slot 9 is empty: there is no capability in it (caps lists this shell\'s)\n');

    expect(await sh.run('revoke 3')).toBe('revoked: removed 2 capabilities in 2 processes: every copy made from slot 3; slot 3 itself stays\n');
    await other.waitFor(`[revoked] slot 3 (type Endpoint, object ${id}, reason: explicit)`);
    await sh.waitFor(`[revoked] slot 4 (type Endpoint, object ${id}, reason: explicit)`); // derived from 3
    expect(k.caps(sh.pid).some((c) => c.slot === 4)).toBe(false);
    expect(await sh.run('revoke 2')).toBe(`revoke: refused (E_PERM): slot 2 holds -w- on endpoint ${A.INIT_ENDPOINT_ID}: ` +
      'revoking needs g (grant), which it lacks\n');
    expect(await sh.run('revoke 77')).toMatch(/^revoke: refused \(E_BADF\): slot 77 is empty/);
    expect(await sh.run('delete 3')).toBe('deleted slot 3 (copies made from it stay, until a revoke from above)\n');
    expect(await sh.run('delete 3')).toMatch(/^delete: refused \(E_BADF\): slot 3 is empty/);
    expect(await sh.run('delete')).toBe(usage('delete <slot>'));

    const spawned = await sh.run('spawn hello');
    // hello may end, and the shell say so, before the prompt comes back.
    const hello = Number(/^spawned hello as pid (\d+)\n/.exec(spawned)?.[1]);
    expect(await z.waitForOutput(hello, 'Hello from zos!')).toBe(`Hello from zos! I am pid ${hello}\n`);
    await sh.waitFor(`[exited] pid ${hello}`);
    expect(sh.output).toMatch(new RegExp(
      `\\[revoked\\] slot \\d+ \\(type Process, object ${hello}, reason: process exited\\)\n\\[exited\\] pid ${hello}\n`));
    expect(await sh.run('spawn nosuch')).toBe('spawn: refused (E_NOENT): init has no program named nosuch (programs lists them)\n');
    expect(await sh.run('spawn')).toBe(usage('spawn <name>'));

    const clock = Number(/spawned clock as pid (\d+)/.exec(await sh.run('spawn clock'))?.[1]);
    await z.waitForOutput(clock, 'tick 1:');
    expect(await sh.run(`kill ${clock}`)).toBe(`killed pid ${clock}\n`);
    expect((await z.sup.waitForExit(clock)).fault).toMatchObject({ reason: 'killed', description: `killed by pid ${sh.pid}` });
    await sh.waitFor(`[exited] pid ${clock}`);
    expect(await sh.run('kill 1')).toBe('kill: no process capability for pid 1: ending a process needs w on a Process ' +
      'capability to it, and knowing its pid gives none (spawn gives you one for each program you start)\n');
    expect(await sh.run('kill x')).toBe(usage('kill <pid>'));

    const log = await sh.run('log 4');
    expect(log).toMatch(new RegExp(`^#\\d+ pid ${sh.pid} ZOS_AXIOM\\(0, 4, 0\\)$`, 'm'));
    expect(log).toMatch(/\(\d+ kept, \d+ trimmed\)\n$/);
    expect((await sh.run('log')).split('\n').filter((l) => l.startsWith('#'))).toHaveLength(10);
    expect(await sh.run('log x')).toBe(usage('log [n]'));
    const commits = await sh.run('commits 3');
    expect(commits.trimEnd().split('\n')).toHaveLength(3);
    expect(commits).toMatch(/^\d+ \w+ \{.*\} [0-9a-f]{12}$/m);
    expect(await sh.run('commits 1 2')).toBe(usage('commits [n]'));
    expect(await sh.run('verify')).toMatch(/^chain ok: \d+ commits, head [0-9a-f]{16}\n$/);
    expect(await sh.run('verify all')).toBe(usage('verify'));

    const time = await sh.run('time');
    expect(time).toMatch(/^uptime: \d+ ns \(\d+\.\d{3} s since boot\)\nwallclock: (\d+) ms since the Unix epoch\n$/);
    const wall = Number(/wallclock: (\d+)/.exec(time)![1]);
    expect(Math.abs(wall - Date.now())).toBeLessThan(60_000);
    expect(await sh.run('time now')).toBe(usage('time'));

    expect(await sh.run('echo  hello   there ')).toBe('hello   there\n');
    expect(await sh.run('clear')).toBe('\x1b[2J\x1b[H');
    expect(await sh.run('clear all')).toBe(usage('clear'));
    expect(await sh.run('frobnicate 1')).toBe('unknown command: frobnicate (try help)\n');
    expect(await sh.run('exit x')).toBe(usage('exit [code]'));

    z.sup.sendInput(sh.pid, 'exit 3\n');
    expect((await z.sup.waitForExit(sh.pid)).exitCode).toBe(3);
    expectLogsSound(z);
  });

  for (const program of ['spinner', 'clock'] as const) {
    it(`Ctrl+C kills a foreground ${program}`, async () => {
      const z = await boot();
      const sh = await Shell.start(z);
      const pid = Number(new RegExp(`spawned ${program} as pid (\\d+)`).exec(await sh.run(`spawn ${program}`))?.[1]);
      await z.waitForOutput(pid, program === 'spinner' ? 'spinning' : 'tick 1:');
      z.sup.sendInput(sh.pid, '\x03');
      await sh.waitFor(`^C killing pid ${pid}\n`);
      expect((await z.sup.waitForExit(pid)).fault?.reason).toBe('killed');
      await sh.waitFor(`[exited] pid ${pid}\n`);
      // With nothing in the foreground, Ctrl+C only echoes, and the shell goes on.
      const before = sh.output.length;
      z.sup.sendInput(sh.pid, '\x03');
      await waitFor('the ^C echo', () => sh.output.slice(before).includes(`^C\n${PROMPT}`));
      expect(await sh.run('echo still here')).toBe('still here\n');
    });
  }
});

// ---------------------------------------------------------------------------

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

  const zosRun = (...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
    new Promise((resolve) => {
      execFile(process.execPath, [join(ROOT, 'bin/zos.mjs'), 'run', ...args], { cwd: ROOT, timeout: 30_000 },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? -1) : 0, stdout, stderr }));
    });

  it.concurrent('exits 0 when every program does, 1 when one does not', async () => {
    const [hello, failing] = await Promise.all([zosRun('hello'), zosRun('hello', exit7)]);
    expect(hello).toMatchObject({ code: 0, stderr: '' });
    expect(hello.stdout).toMatch(/^Hello from zos! I am pid 3\n$/);
    expect(failing.code).toBe(1);
  });

  it.concurrent('exits 2 with a message on stderr for usage and validation errors', async () => {
    const bad = file('bad.wasm', new Uint8Array([0, 0x61, 0x73, 0x6d, 9, 9]));
    const results = await Promise.all([zosRun(), zosRun('--timeout', 'soon', 'hello'), zosRun('--bogus', 'hello'),
      zosRun(join(dir, 'missing.wasm')), zosRun(bad), zosRun('--memory-limit', '0', 'hello')]);
    for (const r of results) {
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^zos: \S/);
    }
    expect(results[0]!.stderr).toContain('usage: zos run');
    expect(results[1]!.stderr).toContain('--timeout takes a whole number, got "soon"');
    expect(results[3]!.stderr).toContain('cannot read');
    expect(results[4]!.stderr).toContain('"bad"');
  });

  it.concurrent('exits 124 on --timeout, the spinner killed', async () => {
    const r = await zosRun('--timeout', '300', 'spinner');
    expect(r.code).toBe(124);
    expect(r.stdout).toBe('spinning\n');
    expect(r.stderr).toContain('zos: spinner (pid 3) stopped: killed: timed out after 300 ms');
  });

  it.concurrent('--json prints a summary; --input goes to the first program', async () => {
    const r = await zosRun('--json', '--input', 'over and out', echo, 'hello');
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

  it.concurrent('--memory-limit is the limit memhog runs into', async () => {
    const r = await zosRun('--memory-limit', String(3 * 1024 * 1024), 'memhog');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('memhog: stopped at 48 pages (3.0 MiB)\n');
  });
});
