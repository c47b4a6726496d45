// The labs' checks against a real kernel: syscalls made the way a shell
// makes them, the LabTracker reading the kernel's view as the page does,
// and each goal unmet before the steps and met after. (The browser test,
// test/browser/labs.spec.ts, does every lab with the real shell.)

import { describe, expect, it } from 'vitest';
import type { Kernel } from '../../kernel/index.ts';
import { loadLab, type Lab } from '../../web/labs/catalog.ts';
import { LabRun } from '../../web/labs/lab-run.ts';
import { LabTracker } from '../../web/labs/tracker.ts';
import { A, boot, res, send } from '../kernel/helpers.ts';

async function lab(id: string): Promise<Lab> {
  const loaded = await loadLab(id);
  if (!('doc' in loaded)) throw new Error(loaded.problem);
  return loaded;
}

/** A lab started now on kernel `k`, with `shells` as the desktop's shells. */
async function start(id: string, k: Kernel, shells: number[]): Promise<LabRun> {
  return new LabRun(await lab(id), k.view, () => shells, () => shells[0] ?? null);
}

const R = A.PERM_READ;
const W = A.PERM_WRITE;
const G = A.PERM_GRANT;

describe('the tracker', () => {
  it('sees only what happened after the lab started, each request with its answer', () => {
    const { k, pids: [shell] } = boot(1);
    res(k, shell!, A.SYS_EP_CREATE, 0); // before the lab: not seen
    const tracker = new LabTracker(k.view, () => [shell!]);
    expect(tracker.poll()).toBe(false);
    const slot = res(k, shell!, A.SYS_EP_CREATE, 0);
    expect(tracker.poll()).toBe(true);
    const ctx = tracker.context();
    expect(ctx.calls.map((c) => [c.num, c.result])).toEqual([[A.SYS_EP_CREATE, slot]]);
    expect(ctx.commits.map((c) => c.type)).toEqual(['EndpointCreated', 'CapInserted']);
    expect(tracker.poll()).toBe(false);
  });
});

describe('lab checks on a real kernel', () => {
  it('03 endpoints: unmet before, met once the owner sent, received, and found the queue empty', async () => {
    const { k, pids: [shell] } = boot(1);
    const run = await start('03-endpoints', k, [shell!]);
    expect(run.goalMet).toBe(false);
    const slot = res(k, shell!, A.SYS_EP_CREATE, 0);
    run.refresh();
    expect(run.values.ep).toBe(slot);
    expect(run.next).toBe(1);
    expect(send(k, shell!, slot, 1, 'hello')).toBe(A.E_OK);
    run.refresh();
    expect(run.goalMet).toBe(false);
    expect(res(k, shell!, A.SYS_RECEIVE, slot, 0, 0)).toBeGreaterThan(0);
    run.refresh();
    expect(run.goalMet).toBe(false);
    expect(res(k, shell!, A.SYS_RECEIVE, slot, 0, 0)).toBe(0);
    run.refresh();
    expect(run.goalMet).toBe(true);
  });

  it('04 grant: a receive by the grantee is refused, the owner`s succeeds', async () => {
    const { k, pids: [a, b] } = boot(2);
    const run = await start('04-grant', k, [a!, b!]);
    const slot = res(k, a!, A.SYS_EP_CREATE, 0);
    run.refresh();
    expect(run.values.peer).toBe(b);
    const theirs = res(k, a!, A.SYS_CAP_GRANT, slot, b!, R | W);
    run.refresh();
    expect(run.values.peerSlot).toBe(theirs);
    expect(send(k, b!, theirs, 7, 'hi')).toBe(A.E_OK);
    expect(res(k, b!, A.SYS_RECEIVE, theirs, 0, 0)).toBe(-A.E_PERM);
    run.refresh();
    expect(run.steps.map((s) => s.done)).toEqual([true, true, true, true, true, false]);
    expect(run.goalMet).toBe(false);
    expect(res(k, a!, A.SYS_RECEIVE, slot, 0, 0)).toBeGreaterThan(0);
    run.refresh();
    expect(run.goalMet).toBe(true);
  });

  it('05 derive: asking a copy without g for rwg gives no g, and its grant is refused', async () => {
    const { k, pids: [shell] } = boot(1);
    const run = await start('05-derive', k, [shell!]);
    const ep = res(k, shell!, A.SYS_EP_CREATE, 0);
    const weak = res(k, shell!, A.SYS_CAP_DERIVE, ep, R | W);
    const greedy = res(k, shell!, A.SYS_CAP_DERIVE, weak, R | W | G);
    run.refresh();
    expect(run.values).toMatchObject({ weak, greedy });
    expect(run.goalMet).toBe(false);
    expect(res(k, shell!, A.SYS_CAP_GRANT, greedy, 1, R)).toBe((A.SLOT_ERROR_BIT | A.E_PERM) | 0);
    run.refresh();
    expect(run.goalMet).toBe(true);
  });

  it('06 revoke: one revoke takes both copies and tells both holders; the panel`s revoke takes the root', async () => {
    const { k, pids: [a, b] } = boot(2);
    const run = await start('06-revoke', k, [a!, b!]);
    const ep = res(k, a!, A.SYS_EP_CREATE, 0);
    const child = res(k, a!, A.SYS_CAP_DERIVE, ep, R | W | G);
    res(k, a!, A.SYS_CAP_GRANT, child, b!, R | W);
    run.refresh();
    expect(run.next).toBe(4); // looking at the tree: no check, done once a later step is
    expect(res(k, a!, A.SYS_CAP_REVOKE, ep)).toBe(A.E_OK);
    run.refresh();
    expect(run.steps.map((s) => s.done)).toEqual([true, true, true, true, true, true, false]);
    expect(run.goalMet).toBe(false);
    expect(k.removeCapability(a!, ep)).toBe(A.E_OK);
    run.refresh();
    expect(run.goalMet).toBe(true);
  });

  it('a lab started after the steps were done does not count them', async () => {
    const { k, pids: [shell] } = boot(1);
    const slot = res(k, shell!, A.SYS_EP_CREATE, 0);
    send(k, shell!, slot, 1, 'early');
    res(k, shell!, A.SYS_RECEIVE, slot, 0, 0);
    const run = await start('03-endpoints', k, [shell!]);
    run.refresh();
    expect(run.goalMet).toBe(false);
    expect(run.next).toBe(0);
  });
});
