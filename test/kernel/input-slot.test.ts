// PID 0's messages (console input, revocation notices) go only to an
// endpoint the process itself owns in slot 1: never into another's queue.

import { describe, expect, it } from 'vitest';
import { A, boot, bytes, capAt, epOf, notices, res } from './helpers.ts';

/** `attacker` swaps its slot 1 for a write capability to `victim`'s input endpoint. */
function aimSlot1At(k: ReturnType<typeof boot>['k'], attacker: number, victim: number): void {
  const slot = res(k, victim, A.SYS_CAP_GRANT, A.SLOT_INPUT, attacker, A.PERM_WRITE | A.PERM_GRANT);
  expect(res(k, attacker, A.SYS_CAP_DELETE, A.SLOT_INPUT)).toBe(A.E_OK);
  expect(k.grantObject(attacker, A.OBJ_ENDPOINT, epOf(k, victim, A.SLOT_INPUT), A.PERM_WRITE, 0, null, A.SLOT_INPUT)).toBe(A.SLOT_INPUT);
  expect(res(k, attacker, A.SYS_CAP_DELETE, slot)).toBe(A.E_OK);
}

describe('slot 1 as the kernel\'s mailbox', () => {
  it('console input for a process whose slot 1 is not its own endpoint is refused with E_BADF', () => {
    const { k, pids: [attacker, victim] } = boot(2);
    aimSlot1At(k, attacker!, victim!);
    expect(capAt(k, attacker!, A.SLOT_INPUT)?.object).toBe(epOf(k, victim!, A.SLOT_INPUT));
    expect(k.deliverConsoleInput(attacker!, bytes('typed for the attacker'))).toBe(A.E_BADF);
    expect(res(k, victim!, A.SYS_RECEIVE, A.SLOT_INPUT, 0, 0)).toBe(0);
  });

  it('revocation notices for such a process are dropped and counted, never queued at the other endpoint', () => {
    const { k, pids: [attacker, victim] } = boot(2);
    aimSlot1At(k, attacker!, victim!);
    const own = res(k, attacker!, A.SYS_EP_CREATE, A.EP_CREATE_NEW);
    const before = k.notificationsDropped;
    for (let i = 0; i < 20; i++) {
      const copy = res(k, attacker!, A.SYS_CAP_DERIVE, own, A.PERM_ALL);
      expect(copy).toBeGreaterThan(0);
      expect(res(k, attacker!, A.SYS_CAP_GRANT, copy, attacker!, A.PERM_READ)).toBeGreaterThan(0);
      expect(res(k, attacker!, A.SYS_CAP_REVOKE, copy)).toBe(A.E_OK);
      expect(res(k, attacker!, A.SYS_CAP_DELETE, copy)).toBe(A.E_OK);
    }
    expect(k.notificationsDropped - before).toBe(20);
    expect(notices(k, victim!)).toEqual([]);
  });
});
