// Processes: spawn, the end of one (EXIT, fault, kill) and what it cleans
// up, deadlines, and the syscalls a process makes about itself (time, PID,
// console, debug text, sleep, the process list).

import * as A from './abi.ts';
import { LAYOUTS } from './abi-table.ts';
import {
  type Answer, BLOCKED, EXITED, fail, half, type HandlerResult, type KernelCore, ok, type Syscall,
} from './core.ts';
import { type Cap, forgetUnaskedGrants, grantObject, removeWithNotice } from './cspace.ts';
import { initRequest } from './init-channel.ts';
import { createEndpoint, destroyEndpoint, failCall, wake } from './ipc.ts';
import { encode } from './layout.ts';

const utf8 = new TextDecoder();
const utf8enc = new TextEncoder();

/** PID 0, named in logs; not a real process (ABI §4). */
export function registerSupervisor(k: KernelCore, now: number): void {
  k.commit(now, 'ProcessCreated', { pid: A.PID_SUPERVISOR, parent: 0, name: 'supervisor' }, null);
}

/** A name cut to MAX_NAME_BYTES of UTF-8 at a character boundary, so every list fits (ABI §3). */
export function processName(name: string): string {
  const bytes = utf8enc.encode(name);
  if (bytes.length <= A.MAX_NAME_BYTES) return name;
  let end = A.MAX_NAME_BYTES;
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--; // back off a continuation byte
  return utf8.decode(bytes.subarray(0, end));
}

/**
 * Why a process may not be started on `requester`'s behalf now, or null:
 * the live-process bound, and the bound on one process's live children
 * (ABI §3 bounds; the supervisor, PID 0, has only the first).
 */
export function spawnRefusal(k: KernelCore, requester: number): string | null {
  let live = 0;
  let children = 0;
  for (const [pid, rt] of k.rt) {
    live++;
    if (rt.facts.requester === requester && pid !== requester) children++;
  }
  if (live >= k.limits.maxProcesses) {
    return `${live} processes are alive, the system's bound (${k.limits.maxProcesses})`;
  }
  if (requester !== A.PID_SUPERVISOR && children >= k.limits.maxChildren) {
    return `pid ${requester} already has ${children} programs alive that were started for it, the bound per process (${k.limits.maxChildren})`;
  }
  return null;
}

/**
 * Creates a process and its starting capabilities. PID 1 gets the init
 * endpoint (id 1) in slot 0; every other process gets its own endpoint,
 * its input endpoint and a write-only capability to the init endpoint.
 */
export function spawn(k: KernelCore, name: string, now: number, parent: number, causedBy: number | null,
  requester = parent): number {
  if (!k.state.procs.has(A.PID_SUPERVISOR)) registerSupervisor(k, now);
  const refusal = spawnRefusal(k, requester);
  if (refusal) throw new Error(`cannot start ${name}: ${refusal}`);
  const pid = Math.max(k.state.nextPid, A.PID_INIT);
  k.commit(now, 'ProcessCreated', { pid, parent, name: processName(name) }, causedBy);
  const facts = { syscalls: 0, memoryBytes: 0, requester };
  k.facts.set(pid, facts);
  k.rt.set(pid, { wait: null, replyRights: new Set(), newestEndpoint: 0, facts });
  createEndpoint(k, pid, A.SLOT_SELF, now, causedBy);
  if (pid === A.PID_INIT) return pid;
  createEndpoint(k, pid, A.SLOT_INPUT, now, causedBy);
  // As INIT:GRANT does: from an init capability that holds write (init may
  // have weakened or moved its slot 0), so rights never grow down the tree
  // and init's REVOKE still reaches it. No init endpoint, no slot 2.
  if (k.state.endpoints.get(A.INIT_ENDPOINT_ID)?.owner === A.PID_INIT) {
    grantObject(k, pid, A.OBJ_ENDPOINT, A.INIT_ENDPOINT_ID, A.PERM_WRITE, now, causedBy, A.SLOT_INIT);
  }
  return pid;
}

/**
 * EXIT, fault or kill: the commit that ends the process, then its cleanup
 * (ABI §3): callers it owed a reply fail, its endpoints are destroyed and
 * others' capabilities to them removed with reason 3, capabilities to it as
 * a Process likewise, and its own CSpace is dropped.
 */
export function end(k: KernelCore, pid: number, how: { code: number } | { reason: string; description: string },
  now: number, causedBy: number | null): void {
  if ('code' in how) k.commit(now, 'ProcessExited', { pid, code: how.code }, causedBy);
  else k.commit(now, 'ProcessFaulted', { pid, ...how }, causedBy);
  const rt = k.rt.get(pid)!;
  if (rt.wait) k.syslog.response(rt.wait.request, now, -A.E_NOENT); // interrupted
  k.rt.delete(pid);
  for (const caller of rt.replyRights) failCall(k, caller, now);
  for (const other of k.rt.values()) other.replyRights.delete(pid);
  for (const senders of k.fullQueueSenders.values()) senders.delete(pid);
  forgetUnaskedGrants(k, pid);
  for (const ep of [...k.state.endpoints.values()]) if (ep.owner === pid) destroyEndpoint(k, ep.id, pid, now, causedBy);
  const processCaps: Cap[] = [];
  for (const cap of k.state.caps.values()) {
    if (cap.type === A.OBJ_PROCESS && cap.object === pid && cap.pid !== pid) processCaps.push(cap);
  }
  for (const cap of processCaps) removeWithNotice(k, cap, A.REVOKE_PROCESS_EXITED, now, causedBy);
  for (const slot of [...k.state.proc(pid).cspace.keys()]) k.commit(now, 'CapRemoved', { pid, slot, moving: 0 }, causedBy);
  k.events.push({ kind: 'ended', pid });
}

/** Ends a live process for a trap, an abort, a limit or a kill; false if it was not alive. */
export function fault(k: KernelCore, pid: number, reason: string, description: string, now: number): boolean {
  if (k.state.procs.get(pid)?.status !== 'alive' || !k.rt.has(pid)) return false;
  end(k, pid, { reason, description }, now, null);
  return true;
}

/** Expires sleeps and receive timeouts whose time has come (leases expire at every entry, gateway.ts). */
export function tick(k: KernelCore, now: number): void {
  for (const [pid, rt] of k.rt) {
    const w = rt.wait;
    if (w && w.kind !== 'call' && w.deadline !== null && w.deadline <= now) wake(k, pid, ok(0), now);
  }
}

/** The earliest time at which tick() has something to do, or null. */
export function nextDeadline(k: KernelCore): number | null {
  let next: number | null = k.leases[0]?.expires ?? null;
  for (const rt of k.rt.values()) {
    const d = rt.wait && rt.wait.kind !== 'call' ? rt.wait.deadline : null;
    if (d !== null && (next === null || d < next)) next = d;
  }
  return next;
}

// ---------------------------------------------------------------------------
// Syscall handlers.

/** Text of `len` bytes of request data, or null when `len` is out of range. */
function textArg(c: Syscall): Uint8Array | null {
  return c.a0 < 0 || c.a0 > c.data.length ? null : c.data.subarray(0, c.a0);
}

export function sysDebug(k: KernelCore, c: Syscall): Answer {
  const bytes = textArg(c);
  if (!bytes) return fail(A.E_INVAL);
  const text = utf8.decode(bytes);
  k.debug(c.now, c.pid, text);
  // Only PID 1 speaks to the supervisor (ABI §6); from anyone else it is text.
  if (c.pid !== A.PID_INIT || !text.startsWith('INIT:')) return ok();
  return initRequest(k, text, c.now, c.request);
}

export const sysGetTime = (_k: KernelCore, c: Syscall): Answer => ok(half(c.now, c.a0));
export const sysGetPid = (_k: KernelCore, c: Syscall): Answer => ok(c.pid);
export const sysGetWallclock = (k: KernelCore, c: Syscall): Answer =>
  ok(half(k.limits.bootWallclockMs + c.now / 1e6, c.a0));
export const sysThreadCreate = (): Answer => fail(A.E_NOSYS);
export const sysYield = (): Answer => ok();

/** LIST_PROCS: every live process but PID 0; whole entries only, at most MAX_RESPONSE_DATA bytes. */
export function sysListProcs(k: KernelCore): Answer {
  const entries: { pid: number; name: string }[] = [];
  let bytes = 4;
  for (const p of k.state.procs.values()) {
    if (p.status !== 'alive' || p.pid === A.PID_SUPERVISOR) continue;
    bytes += 6 + utf8enc.encode(p.name).length;
    if (bytes > A.MAX_RESPONSE_DATA) break; // only with bounds far above the defaults
    entries.push({ pid: p.pid, name: p.name });
  }
  return ok(0, encode(LAYOUTS.ProcList, { count: entries.length }, entries));
}

export function sysConsoleWrite(k: KernelCore, c: Syscall): Answer {
  const bytes = textArg(c);
  if (!bytes) return fail(A.E_INVAL);
  const buf = k.consoles.get(c.pid) ?? { chunks: [], bytes: 0 };
  if (buf.bytes + bytes.length > k.limits.consoleCapacity) return fail(A.E_AGAIN);
  if (bytes.length > 0) {
    buf.chunks.push(bytes.slice());
    buf.bytes += bytes.length;
    k.consoles.set(c.pid, buf);
  }
  return ok();
}

export function sysExit(k: KernelCore, c: Syscall): HandlerResult {
  k.syslog.response(c.request, c.now, A.E_OK); // EXIT never returns: answered in the log before the end
  end(k, c.pid, { code: c.a0 }, c.now, c.request);
  return EXITED;
}

export function sysSleep(_k: KernelCore, c: Syscall): HandlerResult {
  const ns = (c.a1 >>> 0) * 2 ** 32 + (c.a0 >>> 0);
  if (ns === 0) return ok();
  c.rt.wait = { kind: 'sleep', num: c.num, request: c.request, deadline: c.now + ns };
  return BLOCKED;
}

export function sysKill(k: KernelCore, c: Syscall, cap: Cap | undefined): HandlerResult {
  const target = cap!.object;
  // PID 0 is in the table as alive but is not a real process (ABI §4): nothing to end.
  if (k.state.procs.get(target)?.status !== 'alive' || !k.rt.has(target)) return fail(A.E_NOENT);
  const self = target === c.pid;
  // Killing oneself never returns, as EXIT: answer in the log before the process ends.
  if (self) k.syslog.response(c.request, c.now, A.E_OK);
  end(k, target, { reason: 'killed', description: `killed by pid ${c.pid}` }, c.now, c.request);
  return self ? EXITED : ok();
}
