// The shell's explanations, end to end: the real supervisor, real
// worker_threads, the real terminal binary, typed to line by line. Each
// answer is checked against what the kernel really did (its view), so an
// explanation cannot say one thing while the kernel did another.

import { describe, expect, it } from 'vitest';
import * as A from '../../kernel/abi.ts';
import { loadBuiltinApps } from '../../supervisor/apps-node.ts';
import { assemble, ZOS_IMPORTS } from '../fixtures/wat.ts';
import { bootPerTest, type Booted } from './harness.ts';
import { PROMPT, Shell, waitFor } from './shell-driver.ts';

const boot = bootPerTest();

/** The endpoint a slot of `pid` names. */
const objectIn = (z: Booted, pid: number, slot: number): number =>
  z.sup.view.caps(pid).find((c) => c.slot === slot)!.object;

/**
 * Two shells: the first creates an endpoint (its slot 3, id `id`) and
 * grants the second `perms` on it (the second's slot 3).
 */
async function twoShellsSharingAnEndpoint(perms: string): Promise<{ z: Booted; owner: Shell; other: Shell; id: number }> {
  const z = await boot();
  const [owner, other] = [await Shell.start(z), await Shell.start(z)];
  await owner.run('ep');
  expect(await owner.run(`grant 3 ${other.pid} ${perms}`)).toContain(`as its slot 3:`);
  return { z, owner, other, id: objectIn(z, owner.pid, 3) };
}

/** A number the shell printed, found by `pattern`'s first group. */
function numberIn(text: string, pattern: RegExp): number {
  const match = pattern.exec(text);
  if (!match) throw new Error(`${pattern} not found in ${JSON.stringify(text)}`);
  return Number(match[1]);
}

describe('shell: help', () => {
  it('lists the commands by topic, explains each one, and hints at the command a wrong name meant', async () => {
    const z = await boot();
    const sh = await Shell.start(z);
    const listing = await sh.run('help');
    const topics = new Map<string, string[]>();
    let topic = '';
    for (const line of listing.trimEnd().split('\n')) {
      if (/^\S+$/.test(line)) topics.set((topic = line), []);
      else if (line.startsWith('  ')) topics.get(topic)!.push(line.trim().split(/\s+/)[0]!);
    }
    expect(Object.fromEntries(topics)).toEqual({
      processes: ['ps', 'programs', 'spawn', 'kill'],
      capabilities: ['caps', 'inspect', 'ep', 'derive', 'lease', 'grant', 'revoke', 'delete'],
      messages: ['send', 'recv', 'call', 'reply', 'serve'],
      logs: ['log', 'commits', 'verify', 'time'],
      shell: ['help', 'echo', 'clear', 'exit'],
    });
    for (const line of listing.split('\n')) expect(line.length).toBeLessThanOrEqual(80); // the desktop's terminal is ~80 wide
    expect(listing).toContain('\nrights: r read (receive), w write (send, call), g grant (grant, revoke)\n' +
      'perms: letters from rwg, or 0-7; tags: decimal, or 0x hex\nhelp <command> explains one\n');

    for (const name of [...topics.values()].flat()) {
      const text = await sh.run(`help ${name}`);
      const lines = text.trimEnd().split('\n');
      expect(lines[0]).toMatch(new RegExp(`^${name}( \\S.*)?: \\S`));
      expect(lines.at(-2)).toMatch(/^ {2}needs: \S/);
      expect(lines.at(-1)).toMatch(new RegExp(`^ {2}example: ${name}\\b`));
      expect(lines.length).toBeGreaterThanOrEqual(4);
      for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
    }
    expect(await sh.run('help derive')).toBe([
      'derive <slot> <perms>: make a weaker copy of a capability in a new slot',
      '  CAP_DERIVE: copies a capability into a new slot of this shell with the',
      '  rights you ask for that the source has: rights never grow. The copy is a',
      '  child of the source, so revoking the source removes it. Perms are letters',
      '  from rwg, or a number 0-7.',
      '  needs: a capability in the slot (no particular right)',
      '  example: derive 0 w',
      '',
    ].join('\n'));
    expect(await sh.run('help recv')).toContain('needs: r (read) on an endpoint this shell owns\n');
    expect(await sh.run('help grant')).toContain('needs: g (grant) on the slot\n');

    expect(await sh.run('recieve 3')).toBe('unknown command: recieve (did you mean recv? try help)\n');
    expect(await sh.run('receive 3')).toBe('unknown command: receive (did you mean recv? try help)\n');
    expect(await sh.run('prog')).toBe('unknown command: prog (did you mean programs? try help)\n');
    expect(await sh.run('revok 3')).toBe('unknown command: revok (did you mean revoke? try help)\n');
    expect(await sh.run('ls')).toBe('unknown command: ls (did you mean caps? try help)\n');
    expect(await sh.run('frobnicate')).toBe('unknown command: frobnicate (try help)\n');
    expect(await sh.run('help lese')).toBe('help: no command lese (did you mean lease? help lists them)\n');
    expect(await sh.run('help frobnicate')).toBe('help: no command frobnicate (help lists them)\n');
  });

  it('programs lists what init can start, and each name spawns', async () => {
    const z = await boot();
    const sh = await Shell.start(z);
    const text = await sh.run('programs');
    const [header, ...names] = text.trimEnd().split('\n');
    expect(header).toBe('programs init can start for you (spawn <name>):');
    expect(names.map((n) => n.trim())).toEqual(loadBuiltinApps().names());
    expect(names.every((n) => n.startsWith('  '))).toBe(true);
    // A listed name is one init spawns; the Process capability is said in words.
    const spawned = await sh.run('spawn clock');
    const pid = numberIn(spawned, /^spawned clock as pid (\d+)\n/);
    const slot = numberIn(spawned, new RegExp(`^ {2}slot (\\d+) holds a Process capability to it: Ctrl\\+C or kill ${pid} ends it\n`, 'm'));
    expect(z.sup.view.caps(sh.pid).find((c) => c.slot === slot)).toMatchObject({ type: A.OBJ_PROCESS, object: pid });
    expect(await sh.run('programs now')).toBe('programs: usage: programs (help programs explains it)\n');
  });
});

describe('shell: rights in words', () => {
  it('caps says what each slot is, with rwg letters and a lease\'s time left', async () => {
    const z = await boot();
    const [sh, other] = [await Shell.start(z), await Shell.start(z)];
    const own = objectIn(z, sh.pid, 0);
    const input = objectIn(z, sh.pid, 1);
    await sh.run('ep');
    const created = objectIn(z, sh.pid, 3);
    await other.run('ep');
    await other.run(`grant 3 ${sh.pid} w`);
    const foreign = objectIn(z, other.pid, 3);
    await sh.run('lease 3 r 60000');
    const clock = numberIn(await sh.run('spawn clock'), /spawned clock as pid (\d+)/);
    const rows = (await sh.run('caps')).trimEnd().split('\n');
    const pad = (n: number) => String(n).padStart(8);
    expect(rows[0]).toBe(' SLOT  TYPE      OBJECT  PERMS  WHAT');
    expect(rows.slice(1, 5)).toEqual([
      `    0  Endpoint${pad(own)}  rwg    own endpoint: others send here, you receive`,
      `    1  Endpoint${pad(input)}  rwg    input: what you type and notices arrive here`,
      `    2  Endpoint${pad(A.INIT_ENDPOINT_ID)}  -w-    init's endpoint: spawn, programs ask here`,
      `    3  Endpoint${pad(created)}  rwg    created by this shell: only it receives`,
    ]);
    expect(rows[5]).toBe(`    4  Endpoint${pad(foreign)}  -w-    another's endpoint: you send, its owner receives`);
    const leased = numberIn(rows[6]!, /^ {4}5 {2}Endpoint +\d+ {2}r-- {4}created by this shell: only it receives; expires in (\d+) ms$/);
    expect(leased).toBeGreaterThan(50_000);
    expect(leased).toBeLessThanOrEqual(60_000);
    expect(rows[7]).toBe(`    6  Process ${pad(clock)}  rw-    process ${clock}: kill ${clock} ends it`);
    expect(rows[8]).toBe('rights: r read (receive), w write (send, call), g grant (grant, revoke)');
    expect(await sh.run('inspect 4')).toBe(`slot 4: Endpoint ${foreign}, perms -w- (write); another's endpoint: ` +
      'you send, its owner receives\n');
    expect(await sh.run('inspect 5')).toMatch(new RegExp(`^slot 5: Endpoint ${created}, perms r-- \\(read\\); created ` +
      'by this shell: only it receives; expires in \\d+ ms\\n$'));
  });

  it('derive and grant say what was asked and what was granted: rights never grow', async () => {
    const z = await boot();
    const [sh, other] = [await Shell.start(z), await Shell.start(z)];
    const permsOf = (pid: number, slot: number) => z.sup.view.caps(pid).find((c) => c.slot === slot)?.perms;
    await sh.run('ep');
    expect(await sh.run('derive 3 rw')).toBe('derived slot 4 from slot 3: requested rw-, got rw-\n');
    expect(await sh.run('derive 4 rwg')).toBe('derived slot 5 from slot 4: requested rwg, got rw- ' +
      '(slot 4 holds rw-: g not held, rights never grow)\n');
    expect(permsOf(sh.pid, 5)).toBe(A.PERM_READ | A.PERM_WRITE);
    expect(await sh.run('derive 3 wg')).toBe('derived slot 6 from slot 3: requested -wg, got -wg\n');
    expect(await sh.run(`grant 6 ${other.pid} rw`)).toBe(`granted slot 6 to pid ${other.pid} as its slot 3: ` +
      'requested rw-, got -w- (slot 6 holds -wg: r not held, rights never grow)\n');
    expect(permsOf(other.pid, 3)).toBe(A.PERM_WRITE);
    expect(await sh.run(`derive 5 0`)).toBe('derived slot 7 from slot 5: requested ---, got ---\n');
    expect(await sh.run(`grant 4 ${other.pid} r`)).toBe(`grant: refused (E_PERM): slot 4 holds rw- on endpoint ` +
      `${objectIn(z, sh.pid, 3)}: granting needs g (grant), which it lacks\n`);
    expect(await sh.run('derive 9 r')).toBe('derive: refused (E_BADF): slot 9 is empty: there is no capability in it ' +
      '(caps lists this shell\'s)\n');
    expect(await sh.run('derive 3 rwx')).toBe('derive: perms rwx: use letters from rwg (r read, w write, g grant), or a number 0-7\n');
    expect(permsOf(other.pid, 4)).toBeUndefined(); // the refused grant gave nothing
  });

  it('refused sends and receives say which right is missing, and that only the owner receives', async () => {
    const { z, owner: sh, other, id } = await twoShellsSharingAnEndpoint('rw');
    expect(await other.run('recv 3')).toBe(`recv: refused (E_PERM): only an endpoint's owner receives from it, and another ` +
      `process owns endpoint ${id}: slot 3 is a copy with rw- (with w you can send to it)\n`);
    expect(await other.run('send 3 0x10 hi')).toBe(`sent 2 bytes to endpoint ${id} (slot 3), tag 0x10\n`);
    await sh.run('derive 3 r');
    expect(await sh.run('send 4 1 x')).toBe(`send: refused (E_PERM): slot 4 holds r-- on endpoint ${id}: sending needs ` +
      'w (write), which it lacks\n');
    await sh.run('derive 3 w');
    expect(await sh.run('recv 5')).toBe(`recv: refused (E_PERM): slot 5 holds -w- on endpoint ${id}: receiving needs ` +
      'r (read), which it lacks\n');
    expect(await sh.run('recv 4')).toBe(`from pid ${other.pid}, tag 0x10, 2 bytes: hi\n` +
      `  (if it was a CALL, pid ${other.pid} waits for your answer: reply ${other.pid} <tag> <text>)\n`);
    const clock = numberIn(await sh.run('spawn clock'), /spawned clock as pid (\d+)/);
    expect(await sh.run('send 6 1 x')).toBe(`send: refused (E_PERM): slot 6 holds rw- on process ${clock}, and sending ` +
      'needs an Endpoint\n');
    // What `revoke` removed, as the kernel reports it: the copy in the other shell and the two derived here.
    expect(await sh.run('revoke 3')).toBe('revoked: removed 3 capabilities in 2 processes: every copy made from slot 3; ' +
      'slot 3 itself stays\n');
    expect(z.sup.view.caps().filter((c) => c.type === A.OBJ_ENDPOINT && c.object === id).map((c) => [c.pid, c.slot]))
      .toEqual([[sh.pid, 3]]);
    for (const [shell, slot] of [[other, 3], [sh, 4], [sh, 5]] as const) {
      await shell.waitFor(`[revoked] slot ${slot} (type Endpoint, object ${id}, reason: explicit)\n${PROMPT}`);
    }
    expect(await sh.run('revoke 3')).toBe('revoked: nothing was derived from slot 3, so nothing was removed\n');
  });

  it('a revoke counts a capability in flight: moved by SEND_CAP, still queued, it will not land', async () => {
    const z = await boot();
    const sh = await Shell.start(z);
    // On any input: SEND_CAP on slot 3 (tag 0x2000, no payload) moving slot 4, then wait on slot 1.
    const mover = z.sup.spawn(await assemble(`(module ${ZOS_IMPORTS} (memory (export "memory") 1)
      (data (i32.const 0) "\\04\\00\\00\\00")
      (func (export "_start")
        (drop (call $syscall (i32.const ${A.SYS_RECEIVE}) (i32.const ${A.SLOT_INPUT}) (i32.const ${A.RECV_BLOCK}) (i32.const 0)))
        (call $send_bytes (i32.const 0) (i32.const 4))
        (drop (call $syscall (i32.const ${A.SYS_SEND_CAP}) (i32.const 3) (i32.const 0x2000) (i32.const ${1 << A.SEND_CAP_COUNT_SHIFT})))
        (drop (call $syscall (i32.const ${A.SYS_RECEIVE}) (i32.const ${A.SLOT_INPUT}) (i32.const ${A.RECV_BLOCK}) (i32.const 0)))))`),
    { name: 'mover' });
    await sh.run('ep');
    await sh.run('ep');
    expect(await sh.run(`grant 3 ${mover} w`)).toContain(`as its slot 3:`);
    expect(await sh.run(`grant 4 ${mover} r`)).toContain(`as its slot 4:`);
    const inbox = objectIn(z, sh.pid, 3);
    z.sup.sendInput(mover, 'go');
    await waitFor('the capability to be in flight', () => z.sup.view.endpoints().find((e) => e.id === inbox)?.queued === 1
      && !z.sup.view.caps(mover).some((c) => c.slot === 4));
    expect(await sh.run('revoke 4')).toBe('revoked: removed 0 capabilities in 0 processes, 1 in flight (lost in transit): ' +
      'every copy made from slot 4; slot 4 itself stays\n');
  });
});

describe('shell: leases', () => {
  it('says what a lease granted and for how long, never longer than its source; bad lifetimes are refused in words', async () => {
    const z = await boot();
    const [sh, other] = [await Shell.start(z), await Shell.start(z)];
    const refused = (ms: string) => `lease: refused (E_INVAL): a lease lasts 1 to ${A.MAX_LEASE_MS} ms (7 days); ${ms} ms is not one\n`;
    for (const ms of ['0', '-5', String(A.MAX_LEASE_MS + 1), '99999999999', '-99999999999999999999999']) {
      expect(await sh.run(`lease 0 rw ${ms}`)).toBe(refused(ms));
    }
    expect(await sh.run('lease 0 rw soon')).toBe('lease: usage: lease <slot> <perms> <ms> (help lease explains it)\n');
    expect(await sh.run('lease 0 rwx 10')).toBe('lease: perms rwx: use letters from rwg (r read, w write, g grant), or a number 0-7\n');
    expect(await sh.run('lease 9 rw 10')).toMatch(/^lease: refused \(E_BADF\): slot 9 is empty/);
    expect(z.sup.view.caps(sh.pid).map((c) => c.slot)).toEqual([0, 1, 2]); // nothing refused was made

    await sh.run('ep');
    const first = await sh.run('lease 3 rwg 60000');
    const left = numberIn(first, /^leased slot 4 from slot 3: requested rwg, got rwg, for (\d+) ms\n/);
    expect(left).toBeGreaterThan(50_000);
    expect(left).toBeLessThanOrEqual(60_000);
    expect(first).toContain('\n  then the kernel revokes it and every copy made from it (notices say: expired)\n');
    // Asked longer than the source has left: the kernel gives the source's end, and the shell says so.
    const longer = await sh.run('lease 4 rw 600000');
    expect(longer).toMatch(/^leased slot 5 from slot 4: requested rw-, got rw-, for \d+ ms, not 600000: that is all slot 4 has left, and a lease cannot outlive its source\n/);
    const expiry = (slot: number) => z.sup.view.caps(sh.pid).find((c) => c.slot === slot)!.expires;
    expect(expiry(5)).toBe(expiry(4));
    // A derived or granted copy of a lease keeps its end: lifetimes never grow.
    expect(await sh.run('derive 4 r')).toMatch(/^derived slot 6 from slot 4: requested r--, got r--; like slot 4, it expires in \d+ ms\n$/);
    expect(await sh.run(`grant 4 ${other.pid} w`)).toMatch(new RegExp(`^granted slot 4 to pid ${other.pid} as its slot 3: ` +
      'requested -w-, got -w-; it expires with slot 4, in \\d+ ms\\n$'));
    expect(z.sup.view.caps(other.pid).find((c) => c.slot === 3)!.expires).toBe(expiry(4));
  });

  it('a lease that runs out is revoked with everything made from it; each holder hears "expired"', async () => {
    const z = await boot();
    const [sh, other] = [await Shell.start(z), await Shell.start(z)];
    await sh.run('ep');
    const id = objectIn(z, sh.pid, 3);
    expect(await sh.run('lease 3 rwg 1500')).toMatch(/^leased slot 4 from slot 3: requested rwg, got rwg, for \d+ ms\n/);
    await sh.run(`grant 4 ${other.pid} w`);
    await sh.waitFor(`[revoked] slot 4 (type Endpoint, object ${id}, reason: expired)`);
    await other.waitFor(`[revoked] slot 3 (type Endpoint, object ${id}, reason: expired)`);
    expect(z.sup.view.caps().filter((c) => c.type === A.OBJ_ENDPOINT && c.object === id).map((c) => [c.pid, c.slot]))
      .toEqual([[sh.pid, 3]]);
    expect(await other.run('send 3 1 late')).toMatch(/^send: refused \(E_BADF\): slot 3 is empty/);
  });
});

describe('shell: call, reply and serve', () => {
  it('call waits for the server\'s REPLY; reply answers a received CALL once; replies cannot be forged', async () => {
    const { z, owner: server, other: client, id } = await twoShellsSharingAnEndpoint('w');

    client.type('call 3 0x10 hello there');
    await client.waitFor(`calling endpoint ${id} (slot 3), tag 0x10: this shell waits for the server's REPLY\n`);
    await waitFor('the client to wait in its CALL', () => z.sup.view.isWaiting(client.pid));
    expect(await server.run('recv 3')).toBe(`from pid ${client.pid}, tag 0x10, 11 bytes: hello there\n` +
      `  (if it was a CALL, pid ${client.pid} waits for your answer: reply ${client.pid} <tag> <text>)\n`);
    expect(await server.run(`reply ${client.pid} 0x11 hi back`))
      .toBe(`replied to pid ${client.pid} with tag 0x11, 7 bytes: its CALL returns now\n`);
    await client.waitFor(`reply from pid ${server.pid}, tag 0x11, 7 bytes: hi back\n${PROMPT}`);

    const forged = `reply: refused (E_NOENT): no CALL from pid ${client.pid} is waiting for this shell's answer: only ` +
      'the process that received a CALL may answer it, once, so replies can\'t be forged\n';
    expect(await server.run(`reply ${client.pid} 0x11 again`)).toBe(forged);
    expect(await client.run('send 3 7 plain')).toBe(`sent 5 bytes to endpoint ${id} (slot 3), tag 0x7\n`);
    await server.run('recv 3');
    expect(await server.run(`reply ${client.pid} 1 x`)).toBe(forged); // a SEND gives no reply right
    expect(await client.run(`reply ${server.pid} 1 x`)).toMatch(/^reply: refused \(E_NOENT\)/);

    expect(await server.run('call 0 1 me')).toBe(`call: refused (E_INVAL): this shell owns endpoint ${objectIn(z, server.pid, 0)} ` +
      '(slot 0): a CALL to itself would wait forever, since the shell cannot answer while it waits (send to it, or call ' +
      'another process\'s endpoint)\n');
    expect(await server.run('call 2 0x77 ?')).toBe(`calling endpoint ${A.INIT_ENDPOINT_ID} (slot 2), tag 0x77: ` +
      `this shell waits for the server's REPLY\nreply from pid ${A.PID_INIT}, tag 0x77, 1 byte: (binary) 0${A.E_INVAL}\n`);
    expect(await client.run('call 2')).toBe('call: usage: call <slot> <tag> <text> (help call explains it)\n');

    // A server that ends before replying: the caller wakes, and the shell says no REPLY will come.
    client.type('call 3 0x10 anyone?');
    await waitFor('the client to wait in its CALL', () => z.sup.view.isWaiting(client.pid));
    server.type('exit');
    await client.waitFor('call: refused (E_NOENT): no REPLY will come: the endpoint\'s owner ended (before or while ' +
      'answering), or the endpoint is gone\n');
  });

  it('serve prints each message as it arrives, takes commands and replies, and stops on an empty line or Ctrl+C', async () => {
    const z = await boot();
    const [server, client] = [await Shell.start(z), await Shell.start(z)];
    await server.run(`grant 0 ${client.pid} w`);
    const own = objectIn(z, server.pid, 0);
    expect(await server.run('serve')).toBe('serving slot 0: each message sent to it is printed here as it arrives.\n' +
      '  A CALL waits for your answer: reply <pid> <tag> <text>.\n' +
      '  Other commands work as usual; an empty line or Ctrl+C stops serving.\n');
    expect(server.output.endsWith('zos[serve 0]$ ')).toBe(true);

    client.type('call 3 0x20 question');
    await server.waitFor(`\n[slot 0] from pid ${client.pid}, tag 0x20, 8 bytes: question\n` +
      `  (if it was a CALL, pid ${client.pid} waits for your answer: reply ${client.pid} <tag> <text>)\nzos[serve 0]$ `);
    expect(await server.run('caps')).toContain(`    0  Endpoint${String(own).padStart(8)}  rwg    own endpoint: `);
    expect(await server.run(`reply ${client.pid} 0x21 answer`)).toContain(`replied to pid ${client.pid} with tag 0x21`);
    await client.waitFor(`reply from pid ${server.pid}, tag 0x21, 6 bytes: answer\n`);
    expect(await client.run('send 3 0x2000 more')).toContain('sent 4 bytes');
    await server.waitFor(`[slot 0] from pid ${client.pid}, tag APP_STATE (0x2000), 4 bytes: more\n`);

    // Serving costs a couple of RECEIVEs a turn, not a busy loop: count them over a quiet second.
    const receives = () => z.sup.view.syslog().filter((e) => e.kind === 'request' && e.pid === server.pid
      && e.num === A.SYS_RECEIVE).length;
    const before = receives();
    await new Promise((r) => setTimeout(r, 1000));
    expect(receives() - before).toBeLessThanOrEqual(2 * (1000 / 200 + 3));

    expect(await server.run('')).toBe('stopped serving slot 0: an empty line; the shell goes on\n' +
      `  pid ${client.pid} got no reply: if it sent a CALL, it still waits (reply ${client.pid} <tag> <text>)\n`);
    expect(server.output.endsWith(`\n${PROMPT}`)).toBe(true);
    expect(await client.run('send 3 1 unseen')).toContain('sent 6 bytes');
    expect(await server.run('echo quiet')).toBe('quiet\n'); // not serving: nothing printed for it
    expect(await server.run('recv 0')).toBe(`from pid ${client.pid}, tag 0x1, 6 bytes: unseen\n` +
      `  (if it was a CALL, pid ${client.pid} waits for your answer: reply ${client.pid} <tag> <text>)\n`);

    await server.run('serve 0');
    const at = server.output.length;
    z.sup.sendInput(server.pid, '\x03');
    await waitFor('Ctrl+C to stop serving', () => server.output.slice(at).endsWith(
      `^C\nstopped serving slot 0: Ctrl+C; the shell goes on\n${PROMPT}`));
    expect(await server.run('echo still here')).toBe('still here\n');
  });

  it('serve refuses what the shell may not receive on, and stops when the served capability goes', async () => {
    const z = await boot();
    const [sh, other] = [await Shell.start(z), await Shell.start(z)];
    expect(await sh.run('serve 1')).toBe('serve: slot 1 is this shell\'s input, where what you type arrives: the shell ' +
      'reads it already. Serve slot 0 (this shell\'s own endpoint) or an endpoint from ep\n');
    expect(await sh.run('serve 2')).toBe(`serve: refused (E_PERM): slot 2 holds -w- on endpoint ${A.INIT_ENDPOINT_ID}: ` +
      'receiving needs r (read), which it lacks; and only the endpoint\'s owner receives from it\n');
    await other.run('ep');
    await other.run(`grant 3 ${sh.pid} rw`);
    expect(await sh.run('serve 3')).toMatch(/^serve: refused \(E_PERM\): only an endpoint's owner receives from it/);
    expect(await sh.run('serve 9')).toMatch(/^serve: refused \(E_BADF\): slot 9 is empty/);
    expect(sh.output.endsWith(`\n${PROMPT}`)).toBe(true);

    await sh.run('ep');
    await sh.run('serve 4');
    expect(await sh.run('delete 4')).toBe('deleted slot 4 (copies made from it stay, until a revoke from above)\n');
    await sh.waitFor(`stopped serving slot 4: slot 4 is empty now (deleted, revoked, or its endpoint ended)\n${PROMPT}`);

    await sh.run('ep');
    await sh.run('derive 4 r');
    await sh.run('serve 5');
    await sh.run('revoke 4');
    await sh.waitFor(`stopped serving slot 5: slot 5 is empty now (deleted, revoked, or its endpoint ended)\n${PROMPT}`);
    // Revoked while the shell waits for input: the notice comes first, and says why.
    await sh.run('lease 0 r 500');
    await sh.run('serve 5');
    await sh.waitFor('[revoked] slot 5 (type Endpoint, object ' + objectIn(z, sh.pid, 0) + ', reason: expired)\n');
    await waitFor('serving to stop', () => /\nstopped serving slot 5: (its capability was revoked \(expired\)|slot 5 is empty now.*)\nzos\$ $/
      .test(sh.output));
  });
});

describe('shell: what the kernel sends', () => {
  it('recv decodes notices and console input from pid 0, prints tags by name, and marks claims from others', async () => {
    const z = await boot();
    const sh = await Shell.start(z);
    await sh.run('ep');
    const id = objectIn(z, sh.pid, 3);
    await sh.run('derive 3 r');
    // The notice for slot 4 is queued on slot 1 before `recv 1` runs: recv takes it.
    sh.type('revoke 3\nrecv 1');
    await sh.waitFor(`${PROMPT}from pid 0 (the kernel), tag CAP_REVOKED (0x3010), 14 bytes: ` +
      `notice: slot 4 (endpoint ${id}) was revoked: explicit\n${PROMPT}`);
    // Two inputs queued at once: the second is still on slot 1 when `recv 1` runs.
    const before = sh.output.length;
    z.sup.sendInput(sh.pid, 'recv 1\n');
    z.sup.sendInput(sh.pid, 'hello there');
    await waitFor('recv 1 to answer', () => sh.output.slice(before).endsWith(PROMPT));
    expect(sh.output.slice(before)).toBe('from pid 0 (console input), tag CONSOLE_INPUT (0x2), 11 bytes: hello there\n' + PROMPT);
    // Anyone may send the tag; only the kernel's notices are notices.
    await sh.run('send 0 0x3010 aaaaaaaaaaaaaa');
    expect(await sh.run('recv 0')).toMatch(new RegExp(`^from pid ${sh.pid} \\(this shell\\), tag CAP_REVOKED \\(0x3010\\), ` +
      `14 bytes: notice: .* \\(a claim: pid ${sh.pid} sent it, and real notices come only from the kernel, pid 0\\)\\n$`));
  });

  it('delete asks before removing the shell\'s own input; without it the shell exits', async () => {
    const z = await boot();
    const sh = await Shell.start(z);
    expect(await sh.run('delete 1')).toBe('delete: slot 1 is this shell\'s input: what you type arrives there, so ' +
      'without it this shell can never hear you again, and exits. To do it anyway: delete 1 yes\n');
    expect(z.sup.view.caps(sh.pid).some((c) => c.slot === 1)).toBe(true);
    sh.type('delete 1 yes');
    expect((await z.sup.waitForExit(sh.pid)).exitCode).toBe(0);
    expect(sh.output).toContain('deleted slot 1 (copies made from it stay, until a revoke from above)\n' +
      `${PROMPT}\nslot 1 is empty: nothing you type can reach this shell any more, so it exits\n`);
  });
});
