// courier, end to end (the real supervisor, worker_threads, apps/build):
// a capability moved by SEND_CAP leaves the sender at once, lands with the
// receiver with the same id when it takes the message, and works there; one
// revoked while in flight is lost in transit.

import { describe, expect, it } from 'vitest';
import * as A from '../../kernel/abi.ts';
import { bootPerTest } from './harness.ts';

const boot = bootPerTest();

describe('courier', () => {
  it('moves a capability: gone from the sender at once, the same capability with the receiver, and it works', async () => {
    const z = await boot();
    const receiver = z.sup.spawn('courier');
    await z.waitForOutput(receiver, 'registered "courier"');
    expect(z.sup.sendInput(receiver, 'take\n')).toBe(A.E_OK);
    await z.waitForOutput(receiver, 'nothing has come yet');
    const sender = z.sup.spawn('courier');
    const said = await z.waitForOutput(sender, 'waits in the message');
    const movedSlot = Number(/Moved my slot (\d+)/.exec(said)![1]);
    expect(said).toContain(`my slot ${movedSlot} is empty now (checked)`);
    const out = z.sup.view.commits().find((c) => c.type === 'CapRemoved' && c.fields.pid === sender && c.fields.moving === 1);
    expect(out?.type === 'CapRemoved' && out.fields.slot).toBe(movedSlot);
    const movedId = z.sup.view.commits().filter((c) => c.type === 'CapGranted' && c.fields.to_pid === sender && c.fields.to_slot === movedSlot)
      .map((c) => (c.type === 'CapGranted' ? c.fields.new_cap_id : 0))[0];
    expect(z.sup.view.caps().some((c) => c.id === movedId)).toBe(false); // in flight: in no CSpace

    z.sup.sendInput(receiver, 'take\n');
    const taken = await z.waitForOutput(receiver, 'Answering through it.');
    const landed = Number(/landed in my slot (\d+)/.exec(taken)![1]);
    expect(taken).toContain(`took the message from pid ${sender}: "a way to answer me"`);
    expect(taken).toContain('-w- to endpoint');
    const arrived = z.sup.view.commits().find((c) => c.type === 'CapInserted' && c.fields.pid === receiver && c.fields.slot === landed);
    expect(arrived?.type === 'CapInserted' && arrived.fields.cap_id).toBe(movedId);
    const ends = await Promise.all([z.sup.waitForExit(receiver), z.sup.waitForExit(sender)]);
    expect(ends.map((e) => e.exitCode)).toEqual([0, 0]);
    expect(z.output(sender)).toContain(`the answer came through the capability I moved: "thanks, from pid ${receiver}"`);
    expect(z.sup.view.verify().ok).toBe(true);
  });

  it('a capability revoked while in flight is lost in transit', async () => {
    const z = await boot();
    const receiver = z.sup.spawn('courier');
    await z.waitForOutput(receiver, 'registered "courier"');
    const sender = z.sup.spawn('courier');
    const said = await z.waitForOutput(sender, 'waits in the message');
    const endpointSlot = Number(/to my endpoint in slot (\d+)/.exec(said)![1]);
    expect(z.sup.actFor(sender, A.SYS_CAP_REVOKE, endpointSlot)).toBe(A.E_OK);
    z.sup.sendInput(receiver, 'take\n');
    await z.waitForOutput(receiver, 'its capability was lost in transit');
    expect((await z.sup.waitForExit(receiver)).exitCode).toBe(0);
  });
});
