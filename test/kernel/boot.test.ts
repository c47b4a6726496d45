// Boot invariants (ABI §4): PIDs 0/1/2, the init endpoint, the three
// starting slots of every process but init, PIDs never reused.

import { describe, expect, it } from 'vitest';
import { Kernel, replay } from '../../kernel/index.ts';
import { A, boot, call, capAt, decodeCaps, decodeInspect, res } from './helpers.ts';

describe('boot', () => {
  it('numbers PID 0 (supervisor), 1 (init), 2 (permission service), then 3+', () => {
    const { k, pids } = boot(2);
    expect(pids).toEqual([3, 4]);
    const procs = k.processes();
    expect(procs.map((p) => [p.pid, p.name, p.parent, p.status])).toEqual([
      [0, 'supervisor', 0, 'alive'], [1, 'init', 0, 'alive'], [2, 'perm', 1, 'alive'],
      [3, 'p3', 1, 'alive'], [4, 'p4', 1, 'alive'],
    ]);
    for (const p of procs) expect(p.state).toBe(A.STATE_RUNNING);
  });

  it('spawn registers the supervisor itself when it was not, so init is still PID 1', () => {
    const k = new Kernel();
    expect(k.spawn('init')).toBe(1);
    expect(k.processes().map((p) => p.pid)).toEqual([0, 1]);
  });

  it('gives init exactly one capability: slot 0 = endpoint id 1 with rwg', () => {
    const { k } = boot(0);
    const caps = k.caps(A.PID_INIT);
    expect(caps).toHaveLength(1);
    expect(caps[0]).toMatchObject({ slot: 0, type: A.OBJ_ENDPOINT, object: A.INIT_ENDPOINT_ID, perms: A.PERM_ALL, parent: 0 });
    expect(k.endpoints().find((e) => e.id === A.INIT_ENDPOINT_ID)?.owner).toBe(A.PID_INIT);
  });

  it('gives every other process slot 0 own endpoint rwg, slot 1 input rwg, slot 2 write-only to endpoint 1', () => {
    const { k, pids } = boot(2);
    const initCap = capAt(k, 1, 0)!;
    for (const pid of [A.PID_PERMISSION, ...pids]) {
      const caps = k.caps(pid).sort((a, b) => a.slot - b.slot);
      expect(caps.map((c) => c.slot)).toEqual([0, 1, 2]);
      const [self, input, init] = caps as [typeof caps[0], typeof caps[0], typeof caps[0]];
      expect(self).toMatchObject({ type: A.OBJ_ENDPOINT, perms: A.PERM_ALL });
      expect(input).toMatchObject({ type: A.OBJ_ENDPOINT, perms: A.PERM_ALL });
      expect(init).toMatchObject({ type: A.OBJ_ENDPOINT, object: A.INIT_ENDPOINT_ID, perms: A.PERM_WRITE });
      // The init capability derives from init's own, so init's REVOKE reaches it.
      expect(init.parent).toBe(initCap.id);
      const owned = k.endpoints().filter((e) => e.owner === pid).map((e) => e.id);
      expect(owned.sort()).toEqual([self.object, input.object].sort());
      expect(self.object).not.toBe(input.object);
    }
  });

  it('shows the same through the syscalls: LIST_CAPS and CAP_INSPECT of slot 2', () => {
    const { k, pids } = boot(1);
    const pid = pids[0]!;
    const list = call(k, pid, A.SYS_LIST_CAPS);
    expect(list.result).toBe(A.E_OK);
    expect(decodeCaps(list.data!).map((c) => [c.slot, c.type])).toEqual([[0, 1], [1, 1], [2, 1]]);
    const r = call(k, pid, A.SYS_CAP_INSPECT, 2);
    expect(r.result).toBe(1);
    expect(decodeInspect(r.data!)).toEqual({ type: A.OBJ_ENDPOINT, perms: A.PERM_WRITE, pad: 0, slot: 2, object: 1 });
  });

  it('once init holds no write to its endpoint, a new process gets no slot 2 rather than a capability init cannot revoke', () => {
    const { k } = boot(0);
    // Init keeps only read on its own endpoint, in slot 0 again.
    expect(res(k, 1, A.SYS_CAP_DERIVE, 0, A.PERM_READ)).toBe(1);
    expect(res(k, 1, A.SYS_CAP_DELETE, 0)).toBe(A.E_OK);
    expect(res(k, 1, A.SYS_CAP_DERIVE, 1, A.PERM_READ)).toBe(0);
    const pid = k.spawn('late');
    expect(capAt(k, pid, 2)).toBeUndefined();
    const parentPerms = (id: number): number => (k.caps().find((p) => p.id === id) ?? k.state.tombstones.get(id))!.perms;
    expect(k.caps().every((c) => c.parent === 0 || (c.perms & ~parentPerms(c.parent)) === 0)).toBe(true);
    // When init holds write elsewhere, slot 2 hangs below that capability.
    const { k: k2 } = boot(0);
    expect(res(k2, 1, A.SYS_CAP_DERIVE, 0, A.PERM_WRITE | A.PERM_GRANT)).toBe(1);
    expect(res(k2, 1, A.SYS_CAP_DELETE, 0)).toBe(A.E_OK);
    const p2 = k2.spawn('late');
    expect(capAt(k2, p2, 2)).toMatchObject({ perms: A.PERM_WRITE, parent: capAt(k2, 1, 1)!.id });
    expect(replay(k.commits)).toMatchObject({ ok: true, stateHash: k.stateHash() });
    expect(replay(k2.commits)).toMatchObject({ ok: true, stateHash: k2.stateHash() });
  });

  it('no slot 2 once the init endpoint is gone', () => {
    const { k } = boot(0);
    k.kill(1);
    const pid = k.spawn('orphan');
    expect(k.caps(pid).map((c) => c.slot).sort()).toEqual([0, 1]);
  });

  it('never reuses a PID, even after processes end', () => {
    const { k, pids } = boot(2);
    k.syscall(pids[0]!, A.SYS_EXIT, 0, 0, 0);
    k.kill(pids[1]!);
    const next = k.spawn('late');
    expect(next).toBe(5);
    expect(new Set(k.processes().map((p) => p.pid)).size).toBe(k.processes().length);
    // The ended ones stay in the table as exited/faulted.
    expect(k.processes().find((p) => p.pid === pids[0])?.status).toBe('exited');
    expect(k.processes().find((p) => p.pid === pids[1])?.status).toBe('faulted');
  });

  it('starts the CommitLog at Genesis and records the boot as commits', () => {
    const { k } = boot(0);
    expect(k.commits[0]!.type).toBe('Genesis');
    expect(k.commits[0]!.seq).toBe(0);
    expect(k.commits.map((c) => c.type)).toEqual([
      'Genesis', 'ProcessCreated', 'ProcessCreated', 'EndpointCreated', 'CapInserted',
      'ProcessCreated', 'EndpointCreated', 'CapInserted', 'EndpointCreated', 'CapInserted', 'CapGranted',
    ]);
    expect(k.verifyIntegrity().ok).toBe(true);
  });

  it('answers GET_PID with the caller PID', () => {
    const { k, pids } = boot(1);
    expect(res(k, 1, A.SYS_GET_PID)).toBe(1);
    expect(res(k, pids[0]!, A.SYS_GET_PID)).toBe(pids[0]);
  });
});
