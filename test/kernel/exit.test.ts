// The end of a process (ABI §3 EXIT, §4): EXIT, fault, kill and zos KILL
// drop the CSpace, destroy the endpoints, remove others' capabilities to
// them with reason-3 notices, free blocked callers, never reuse the PID.

import { describe, expect, it } from 'vitest';
import { replay } from '../../kernel/index.ts';
import { A, boot, bytes, call, capAt, epOf, notices, res, send, sys, wakes } from './helpers.ts';

describe('EXIT', () => {
  it('never returns: the outcome is `exited`, the process is Exited with its code, an `ended` event follows', () => {
    const { k, pids: [a] } = boot(1);
    k.takeEvents();
    expect(k.syscall(a!, A.SYS_EXIT, 42, 0, 0)).toEqual({ kind: 'exited' });
    expect(k.processes().find((p) => p.pid === a)).toMatchObject({ status: 'exited', exitCode: 42, state: A.STATE_EXITED });
    expect(k.takeEvents()).toEqual([{ kind: 'ended', pid: a }]);
    const c = k.commits.find((x) => x.type === 'ProcessExited')!;
    expect(c.fields).toEqual({ pid: a, code: 42 });
  });

  it('the exit code is the i32 argument (negative codes too)', () => {
    const { k, pids: [a] } = boot(1);
    k.syscall(a!, A.SYS_EXIT, -1, 0, 0);
    expect(k.processes().find((p) => p.pid === a)!.exitCode).toBe(-1);
  });

  it('logs exactly one request and one response for EXIT', () => {
    const { k, pids: [a] } = boot(1);
    k.syscall(a!, A.SYS_EXIT, 0, 0, 0);
    const log = k.syslog.tail();
    expect(log).toHaveLength(2);
    expect(log[0]).toMatchObject({ kind: 'request', pid: a, num: A.SYS_EXIT });
    expect(log[1]).toMatchObject({ kind: 'response', request_id: log[0]!.id });
  });

  it('after the end, every syscall of that PID is refused with E_PERM (shaped per syscall)', () => {
    const { k, pids: [a] } = boot(1);
    k.syscall(a!, A.SYS_EXIT, 0, 0, 0);
    expect(res(k, a!, A.SYS_GET_PID)).toBe(A.E_PERM);
    expect(res(k, a!, A.SYS_CAP_DERIVE, 0, 7)).toBe((A.SLOT_ERROR_BIT | A.E_PERM) | 0);
    expect(res(k, a!, A.SYS_RECEIVE, 0, 0, 0)).toBe(-A.E_PERM);
    expect(k.syscall(a!, A.SYS_EXIT, 0, 0, 0)).toEqual({ kind: 'done', result: A.E_PERM, data: null });
  });

  it('drops the CSpace and destroys every endpoint the process owned', () => {
    const { k, pids: [a] } = boot(1);
    const extra = res(k, a!, A.SYS_EP_CREATE, 0);
    const owned = [epOf(k, a!, 0), epOf(k, a!, 1), epOf(k, a!, extra)];
    k.syscall(a!, A.SYS_EXIT, 0, 0, 0);
    expect(k.caps(a!)).toEqual([]);
    expect(k.endpoints().map((e) => e.id).filter((id) => owned.includes(id))).toEqual([]);
    const destroyed = k.commits.filter((c) => c.type === 'EndpointDestroyed').map((c) => c.fields.id);
    expect(destroyed.sort()).toEqual([...owned].sort());
  });

  it('removes the capabilities others hold to its endpoints, with one reason-3 notice each', () => {
    const { k, pids: [a, b, c] } = boot(3);
    const ep0 = epOf(k, a!, 0), ep1 = epOf(k, a!, 1);
    const b1 = res(k, a!, A.SYS_CAP_GRANT, 0, b!, 7);
    const b2 = res(k, b!, A.SYS_CAP_DERIVE, b1, A.PERM_WRITE);
    const c1 = res(k, a!, A.SYS_CAP_GRANT, 1, c!, A.PERM_WRITE);
    const keep = res(k, b!, A.SYS_CAP_DERIVE, 0, 1); // b's own, untouched
    k.syscall(a!, A.SYS_EXIT, 0, 0, 0);
    for (const [pid, slot] of [[b, b1], [b, b2], [c, c1]] as const) expect(capAt(k, pid!, slot)).toBeUndefined();
    expect(capAt(k, b!, keep)).toBeDefined();
    const bySlot = (xs: { slot: number }[]) => [...xs].sort((x, y) => x.slot - y.slot);
    expect(bySlot(notices(k, b!))).toEqual([
      { slot: b1, type: A.OBJ_ENDPOINT, object: ep0, reason: A.REVOKE_PROCESS_EXITED },
      { slot: b2, type: A.OBJ_ENDPOINT, object: ep0, reason: A.REVOKE_PROCESS_EXITED },
    ]);
    expect(notices(k, c!)).toEqual([{ slot: c1, type: A.OBJ_ENDPOINT, object: ep1, reason: A.REVOKE_PROCESS_EXITED }]);
    expect(replay(k.commits)).toMatchObject({ ok: true, stateHash: k.stateHash() });
  });

  it('removes Process capabilities to the ended process, with reason 3', () => {
    const { k, pids: [a, b] } = boot(2);
    const s = k.grantObject(b!, A.OBJ_PROCESS, a!, A.PERM_WRITE);
    k.syscall(a!, A.SYS_EXIT, 0, 0, 0);
    expect(capAt(k, b!, s)).toBeUndefined();
    expect(notices(k, b!)).toEqual([{ slot: s, type: A.OBJ_PROCESS, object: a, reason: A.REVOKE_PROCESS_EXITED }]);
  });

  it('drops queued messages with the endpoint', () => {
    const { k, pids: [a, b] } = boot(2);
    const s = res(k, a!, A.SYS_CAP_GRANT, 0, b!, A.PERM_WRITE);
    send(k, b!, s, 1, 'never read');
    k.syscall(a!, A.SYS_EXIT, 0, 0, 0);
    expect(send(k, b!, s, 1, 'too late')).toBe(A.E_BADF); // the capability is gone
  });

  it('a holder whose slot 1 is a capability to the dying endpoint loses it without a notice (and nothing throws)', () => {
    const { k, pids: [a, b] } = boot(2);
    // Regression: the notice for b's slot 3 went to b's slot 1, i.e. to the
    // endpoint being destroyed, whose queue was already gone: a TypeError.
    expect(res(k, a!, A.SYS_CAP_GRANT, 0, b!, 7)).toBe(3);
    res(k, b!, A.SYS_CAP_DELETE, 1);
    expect(res(k, a!, A.SYS_CAP_GRANT, 0, b!, 7)).toBe(1);
    expect(() => k.kill(a!)).not.toThrow();
    expect(k.caps(b!).map((c) => c.slot).sort()).toEqual([0, 2]);
    expect(k.processes().find((p) => p.pid === a)!.status).toBe('faulted');
    expect(replay(k.commits)).toMatchObject({ ok: true, stateHash: k.stateHash() });
  });

  it('a CALL caller blocked on a dying server wakes with -E_NOENT', () => {
    const { k, pids: [a, b] } = boot(2);
    const s = res(k, a!, A.SYS_CAP_GRANT, 0, b!, A.PERM_WRITE);
    expect(sys(k, b!, A.SYS_CALL, s, 1, 0).kind).toBe('blocked');
    k.syscall(a!, A.SYS_EXIT, 0, 0, 0);
    expect(wakes(k.takeEvents())).toEqual([{ kind: 'wake', pid: b, result: -A.E_NOENT, data: null }]);
    const resp = k.syslog.tail().filter((e) => e.kind === 'response');
    expect(resp.at(-1)).toMatchObject({ result: -A.E_NOENT });
  });

  it('a process ended while blocked gets its pending syscall answered -E_NOENT in the log', () => {
    const { k, pids: [a, b] } = boot(2);
    sys(k, a!, A.SYS_RECEIVE, 0, A.RECV_BLOCK, 0);
    sys(k, b!, A.SYS_SLEEP, 1000, 0, 0);
    k.kill(a!);
    k.kill(b!);
    const log = k.syslog.tail();
    const requests = log.filter((e) => e.kind === 'request');
    const responses = log.filter((e) => e.kind === 'response');
    expect(responses).toHaveLength(requests.length);
    expect(responses.map((r) => r.result)).toEqual([-A.E_NOENT, -A.E_NOENT]);
    expect(wakes(k.takeEvents())).toEqual([]);
    k.tick(1e12);
    expect(k.takeEvents()).toEqual([]);
  });
});

describe('fault and kill (privileged)', () => {
  it('fault ends the process as Faulted with its reason, and cleans up like EXIT', () => {
    const { k, pids: [a, b] } = boot(2);
    const s = res(k, a!, A.SYS_CAP_GRANT, 0, b!, A.PERM_WRITE);
    expect(k.fault(a!, 'trap', 'unreachable executed')).toBe(true);
    expect(k.processes().find((p) => p.pid === a)).toMatchObject({
      status: 'faulted', state: A.STATE_EXITED, fault: { reason: 'trap', description: 'unreachable executed' },
    });
    expect(k.commits.find((c) => c.type === 'ProcessFaulted')!.fields).toEqual({ pid: a, reason: 'trap', description: 'unreachable executed' });
    expect(capAt(k, b!, s)).toBeUndefined();
    expect(k.caps(a!)).toEqual([]);
  });

  it('kill answers false for PID 0, unknown and already ended processes', () => {
    const { k, pids: [a] } = boot(1);
    expect(k.kill(0)).toBe(false);
    expect(k.kill(99)).toBe(false);
    expect(k.kill(a!)).toBe(true);
    expect(k.kill(a!)).toBe(false);
    expect(k.fault(a!, 'x', 'y')).toBe(false);
  });

  it('killing init leaves others running without their slot 2', () => {
    const { k, pids: [a] } = boot(1);
    k.kill(1);
    expect(capAt(k, a!, 2)).toBeUndefined();
    expect(notices(k, a!)).toEqual([{ slot: 2, type: 1, object: 1, reason: 3 }]);
    expect(res(k, a!, A.SYS_GET_PID)).toBe(a);
    // A later spawn gets no slot 2: there is no init endpoint any more.
    const late = k.spawn('late');
    expect(k.caps(late).map((c) => c.slot).sort()).toEqual([0, 1]);
  });
});

describe('SYS_ZOS_KILL', () => {
  it('ends the process named by a Process capability with write', () => {
    const { k, pids: [a, b] } = boot(2);
    const s = k.grantObject(a!, A.OBJ_PROCESS, b!, A.PERM_WRITE);
    expect(res(k, a!, A.SYS_ZOS_KILL, s)).toBe(A.E_OK);
    expect(k.processes().find((p) => p.pid === b)).toMatchObject({ status: 'faulted', fault: { reason: 'killed' } });
    // The capability itself went with the process (reason 3).
    expect(capAt(k, a!, s)).toBeUndefined();
  });

  it('E_BADF, E_PERM without write or on a non-Process capability, E_NOENT for a dead target', () => {
    const { k, pids: [a, b] } = boot(2);
    expect(res(k, a!, A.SYS_ZOS_KILL, 9)).toBe(A.E_BADF);
    expect(res(k, a!, A.SYS_ZOS_KILL, 0)).toBe(A.E_PERM); // an endpoint
    const ro = k.grantObject(a!, A.OBJ_PROCESS, b!, A.PERM_READ);
    expect(res(k, a!, A.SYS_ZOS_KILL, ro)).toBe(A.E_PERM);
    // A Process capability outliving its process cannot exist (reason 3), but
    // one to PID 0 can: the supervisor is no process to end.
    const sup = k.grantObject(a!, A.OBJ_PROCESS, A.PID_SUPERVISOR, A.PERM_WRITE);
    expect(sup).toBeGreaterThanOrEqual(0);
    expect(() => k.syscall(a!, A.SYS_ZOS_KILL, sup, 0, 0)).not.toThrow();
    expect(res(k, a!, A.SYS_ZOS_KILL, sup)).toBe(A.E_NOENT);
    expect(k.processes().find((p) => p.pid === 0)!.status).toBe('alive');
    expect(k.processes().find((p) => p.pid === b)!.status).toBe('alive');
  });

  it('killing oneself never returns, like EXIT, with one SysLog response', () => {
    const { k, pids: [a] } = boot(1);
    const s = k.grantObject(a!, A.OBJ_PROCESS, a!, A.PERM_WRITE);
    expect(k.syscall(a!, A.SYS_ZOS_KILL, s, 0, 0)).toEqual({ kind: 'exited' });
    expect(k.processes().find((p) => p.pid === a)!.status).toBe('faulted');
    const log = k.syslog.tail();
    expect(log.filter((e) => e.kind === 'request')).toHaveLength(1);
    expect(log.filter((e) => e.kind === 'response')).toEqual([expect.objectContaining({ result: A.E_OK })]);
  });

  it('may be given over the init channel: INIT:GRANT of a Process capability', () => {
    const { k, pids: [a, b] } = boot(2);
    const r = call(k, 1, A.SYS_DEBUG, `INIT:GRANT:${a}:7:${A.OBJ_PROCESS}:${b}:2`.length, 0, 0,
      bytes(`INIT:GRANT:${a}:7:${A.OBJ_PROCESS}:${b}:2`));
    expect(r.result).toBe(A.E_OK);
    expect(res(k, a!, A.SYS_ZOS_KILL, 7)).toBe(A.E_OK);
  });
});
