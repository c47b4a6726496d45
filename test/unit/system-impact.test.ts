// What the panels say before an act that breaks the system, and the Logs
// panel's tamper test, on a real kernel's view.

import { describe, expect, it } from 'vitest';
import { killImpact, removalImpact } from '../../web/system-impact.ts';
import { tamperTest } from '../../web/tamper-test.ts';
import { A, boot, res } from '../kernel/helpers.ts';

/** Boots like the supervisor does: init derives its slot 1, every other process has slot 2 from init's slot 0. */
function system(extra = 2) {
  const booted = boot(extra);
  expect(res(booted.k, A.PID_INIT, A.SYS_CAP_DERIVE, A.SLOT_SELF, A.PERM_READ)).toBe(A.SLOT_INPUT);
  return booted;
}

describe('acts that break the system', () => {
  it('revoking init`s endpoint says every process`s slot 2 goes and init stops receiving', () => {
    const { k } = system();
    const impact = removalImpact(k.view, A.PID_INIT, A.SLOT_SELF, 'revoke');
    expect(impact?.title).toMatch(/Revoke pid 1's slot 0 .*breaks the system/);
    expect(impact?.consequences.join('\n')).toMatch(/Every process's slot 2 goes \(3 processes\): no one can reach init to spawn/);
    expect(impact?.consequences.join('\n')).toMatch(/Init loses its own endpoint \(slot 0\)/);
    expect(impact?.consequences[0]).toMatch(/removes 5 capabilities in 4 processes/);
  });

  it('revoking only what was derived from it spares init`s own slot 0', () => {
    const { k } = system();
    const impact = removalImpact(k.view, A.PID_INIT, A.SLOT_SELF, 'revoke-derived');
    expect(impact?.consequences.join('\n')).toMatch(/Every process's slot 2 goes/);
    expect(impact?.consequences.join('\n')).not.toMatch(/its own endpoint/);
  });

  it('one process`s slot 2, the permission service`s endpoint, and killing PID 1 or 2 are named', () => {
    const { k, pids: [a] } = system();
    expect(removalImpact(k.view, a!, A.SLOT_INIT, 'delete')?.consequences.join('\n'))
      .toMatch(new RegExp(`PID ${a} loses slot 2, the only way to reach init`));
    expect(removalImpact(k.view, A.PID_PERMISSION, A.SLOT_SELF, 'delete')?.consequences.join('\n'))
      .toMatch(/permission service loses its endpoint/);
    expect(killImpact(k.view, A.PID_INIT)?.consequences.join('\n')).toMatch(/init ends[\s\S]*Every process's slot 2 goes/);
    expect(killImpact(k.view, A.PID_PERMISSION)?.title).toMatch(/Kill PID 2 \(the permission service\)/);
  });

  it('says nothing about acts that break nothing of the system`s', () => {
    const { k, pids: [a] } = system();
    const ep = res(k, a!, A.SYS_EP_CREATE, 0);
    res(k, a!, A.SYS_CAP_DERIVE, ep, A.PERM_READ);
    expect(removalImpact(k.view, a!, ep, 'revoke')).toBeNull();
    expect(removalImpact(k.view, a!, A.SLOT_SELF, 'delete')).toBeNull();
    expect(killImpact(k.view, a!)).toBeNull();
    expect(removalImpact(k.view, a!, 99, 'revoke')).toBeNull();
  });
});

describe('the tamper test', () => {
  it('breaks a copy at the altered grant, and the rewritten copy ends in another head and state', () => {
    const { k, pids: [a, b] } = system();
    const ep = res(k, a!, A.SYS_EP_CREATE, 0);
    res(k, a!, A.SYS_CAP_GRANT, ep, b!, A.PERM_WRITE);
    const before = k.view.commits().map((c) => c.hash);
    const r = tamperTest(k.view)!;
    const grant = k.view.commits().filter((c) => c.type === 'CapGranted').pop()!;
    expect(r).toMatchObject({ seq: grant.seq, type: 'CapGranted', change: 'perms -w- → rwg', badSeq: grant.seq });
    expect(r.reason).toMatch(/does not match its hash/);
    expect(r.forgedHead).not.toBe(r.realHead);
    expect(r.forgedStateHash).not.toBe(r.liveStateHash);
    expect(k.view.commits().map((c) => c.hash)).toEqual(before); // the live log is untouched
    expect(k.view.verify().ok).toBe(true);
  });
});
