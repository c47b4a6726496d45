// Shared helpers for the kernel tests: booting a kernel the way the
// supervisor does, making syscalls, and decoding the ABI's byte layouts.

import { expect } from 'vitest';
import * as A from '../../kernel/abi.ts';
import { LAYOUTS } from '../../kernel/abi-table.ts';
import { decode, fixedSize } from '../../kernel/layout.ts';
import { Kernel, type KernelEvent, type KernelOptions, type SyscallOutcome, type SysLogEntry } from '../../kernel/index.ts';

export { A };

export const enc = new TextEncoder();
export const dec = new TextDecoder();
export const bytes = (text: string): Uint8Array => enc.encode(text);

/** A slot-shaped error result, as the i32 the process sees. */
export const slotErr = (code: number): number => (A.SLOT_ERROR_BIT | code) | 0;

export interface Booted {
  k: Kernel;
  /** PIDs of the user processes spawned after init and the permission service. */
  pids: number[];
}

/**
 * Boots like the supervisor: PID 0 registered, init (PID 1), the permission
 * service (PID 2), then `extra` more processes named p3, p4, ...
 */
export function boot(extra = 2, opts: KernelOptions = {}): Booted {
  const k = new Kernel(opts);
  k.registerSupervisor(0);
  expect(k.spawn('init', 0)).toBe(A.PID_INIT);
  expect(k.spawn('perm', 0, A.PID_INIT)).toBe(A.PID_PERMISSION);
  const pids: number[] = [];
  for (let i = 0; i < extra; i++) pids.push(k.spawn(`p${3 + i}`, 0, A.PID_INIT));
  return { k, pids };
}

/** Any syscall; data may be a string (UTF-8) or bytes. */
export function sys(k: Kernel, pid: number, num: number, a0 = 0, a1 = 0, a2 = 0,
  data: Uint8Array | string = new Uint8Array(0), now?: number): SyscallOutcome {
  const d = typeof data === 'string' ? bytes(data) : data;
  return k.syscall(pid, num, a0, a1, a2, d, now);
}

/** A syscall that must complete at once; returns its result and response data. */
export function call(k: Kernel, pid: number, num: number, a0 = 0, a1 = 0, a2 = 0,
  data: Uint8Array | string = new Uint8Array(0), now?: number): { result: number; data: Uint8Array | null } {
  const out = sys(k, pid, num, a0, a1, a2, data, now);
  if (out.kind !== 'done') throw new Error(`syscall 0x${num.toString(16)} of pid ${pid} did not complete: ${out.kind}`);
  return { result: out.result, data: out.data };
}

/** Just the result of a syscall that completes at once. */
export const res = (k: Kernel, pid: number, num: number, a0 = 0, a1 = 0, a2 = 0,
  data: Uint8Array | string = new Uint8Array(0), now?: number): number => call(k, pid, num, a0, a1, a2, data, now).result;

/** SEND of a text or bytes payload. */
export function send(k: Kernel, pid: number, slot: number, tag: number, payload: Uint8Array | string = ''): number {
  const d = typeof payload === 'string' ? bytes(payload) : payload;
  return res(k, pid, A.SYS_SEND, slot, tag, d.length, d);
}

export interface Received {
  from: number;
  tag: number;
  payload: Uint8Array;
  text: string;
  /** The moved-capability slots after the payload, as u32 (only when asked for with `moved`). */
  slots: number[];
}

/** Decodes RECEIVE/CALL response data: MessageHeader, payload, then `moved` slots u32. */
export function decodeMessage(data: Uint8Array, moved = 0): Received {
  const { values, end: payloadStart } = decode(LAYOUTS.MessageHeader, data);
  const end = data.length - fixedSize(LAYOUTS.MovedSlot)! * moved;
  const slots: number[] = [];
  for (let at = end; at < data.length; at = decode(LAYOUTS.MovedSlot, data, at).end) {
    slots.push(decode(LAYOUTS.MovedSlot, data, at).values.slot as number);
  }
  const payload = data.slice(payloadStart, end);
  return { from: values.from as number, tag: values.tag as number, payload, text: dec.decode(payload), slots };
}

/** A non-blocking RECEIVE that must find a message. */
export function recv(k: Kernel, pid: number, slot: number, moved = 0): Received {
  const r = call(k, pid, A.SYS_RECEIVE, slot, 0, 0);
  expect(r.result, `pid ${pid} receives on slot ${slot}`).toBeGreaterThan(0);
  expect(r.data!.length).toBe(r.result);
  return decodeMessage(r.data!, moved);
}

/** Every message waiting on a slot, received non-blocking until the queue is empty. */
export function drain(k: Kernel, pid: number, slot: number, moved = 0): Received[] {
  const out: Received[] = [];
  for (;;) {
    const r = call(k, pid, A.SYS_RECEIVE, slot, 0, 0);
    if (r.result === 0) return out;
    expect(r.result).toBeGreaterThan(0);
    out.push(decodeMessage(r.data!, moved));
  }
}

export interface Revoked { slot: number; type: number; object: number; reason: number }

/** Decodes a MSG_CAP_REVOKED payload (CapRevokedNotice). */
export function decodeRevoked(m: Received): Revoked {
  expect(m.from).toBe(A.PID_SUPERVISOR);
  expect(m.tag).toBe(A.MSG_CAP_REVOKED);
  expect(m.payload.length).toBe(fixedSize(LAYOUTS.CapRevokedNotice));
  const v = decode(LAYOUTS.CapRevokedNotice, m.payload).values;
  return { slot: v.slot as number, type: v.object_type as number, object: v.object_id as number, reason: v.reason as number };
}

/** The revocation notices waiting on a process's slot 1. */
export const notices = (k: Kernel, pid: number): Revoked[] => drain(k, pid, A.SLOT_INPUT).map(decodeRevoked);

export interface ListedCap { slot: number; type: number; object: number }

/** Decodes LIST_CAPS (CapList); the data must end with its last entry. */
export function decodeCaps(data: Uint8Array): ListedCap[] {
  const { entries, end } = decode(LAYOUTS.CapList, data);
  expect(end).toBe(data.length);
  return entries.map((e) => ({ slot: e.slot as number, type: e.type as number, object: e.object_id as number }));
}

/** Decodes LIST_PROCS (ProcList); the data must end with its last entry. */
export function decodeProcs(data: Uint8Array): { pid: number; name: string }[] {
  const { entries, end } = decode(LAYOUTS.ProcList, data);
  expect(end).toBe(data.length);
  return entries.map((e) => ({ pid: e.pid as number, name: e.name as string }));
}

/** Decodes CAP_INSPECT (CapInfo). */
export function decodeInspect(data: Uint8Array): { type: number; perms: number; pad: number; slot: number; object: number } {
  expect(data.length).toBe(fixedSize(LAYOUTS.CapInfo));
  const v = decode(LAYOUTS.CapInfo, data).values;
  return { type: v.type as number, perms: v.perms as number, pad: v.pad as number, slot: v.slot as number, object: v.object_id as number };
}

/** The capability a process holds in a slot, from the kernel's view. */
export const capAt = (k: Kernel, pid: number, slot: number) => k.caps(pid).find((c) => c.slot === slot);

/** The endpoint id behind a slot (throws if the slot is empty). */
export function epOf(k: Kernel, pid: number, slot: number): number {
  const c = capAt(k, pid, slot);
  if (!c) throw new Error(`pid ${pid} has no capability in slot ${slot}`);
  return c.object;
}

/** Request data for SEND_CAP: payload, then the slots as u32. */
export function sendCapData(payload: Uint8Array | string, slots: number[]): { data: Uint8Array; a2: number } {
  const p = typeof payload === 'string' ? bytes(payload) : payload;
  const out = new Uint8Array(p.length + 4 * slots.length);
  out.set(p);
  const v = new DataView(out.buffer);
  slots.forEach((s, i) => v.setUint32(p.length + 4 * i, s >>> 0, true));
  return { data: out, a2: p.length | (slots.length << A.SEND_CAP_COUNT_SHIFT) };
}

/** Events of one kind, taken from the kernel. */
export function wakes(evs: KernelEvent[]): Extract<KernelEvent, { kind: 'wake' }>[] {
  return evs.filter((e): e is Extract<KernelEvent, { kind: 'wake' }> => e.kind === 'wake');
}

export function u32le(...values: number[]): Uint8Array {
  const out = new Uint8Array(4 * values.length);
  const v = new DataView(out.buffer);
  values.forEach((x, i) => v.setUint32(4 * i, x >>> 0, true));
  return out;
}

/**
 * A kernel with a history that has every commit type: spawns, grants,
 * derives, deletes, revokes, messages, a SEND_CAP landing, an exit, a fault,
 * a blocked CALL freed by its server's end, time going forward.
 */
export function richHistory(opts: KernelOptions = {}): Kernel {
  const { k, pids: [a, b, c] } = boot(3, opts);
  let now = 10;
  const t = () => (now += 1000);
  const s = res(k, a!, A.SYS_CAP_GRANT, 0, b!, 7, '', t());
  res(k, b!, A.SYS_CAP_DERIVE, s, A.PERM_WRITE, 0, '', t());
  res(k, b!, A.SYS_CAP_GRANT, s, c!, A.PERM_READ | A.PERM_WRITE, '', t());
  send(k, b!, s, 5, 'hello');
  k.deliverConsoleInput(a!, bytes('input'), t());
  res(k, a!, A.SYS_EP_CREATE, 0, 0, 0, '', t());
  const moved = res(k, b!, A.SYS_CAP_DERIVE, 1, A.PERM_READ, 0, '', t());
  const { data, a2 } = sendCapData('cap', [moved]);
  res(k, b!, A.SYS_SEND_CAP, s, 6, a2, data, t());
  drain(k, a!, 0, 0);
  res(k, c!, A.SYS_CAP_DELETE, 2, 0, 0, '', t());
  expect(res(k, c!, A.SYS_ZOS_LEASE, 0, A.PERM_READ, 1, '', t())).toBeGreaterThan(0);
  k.tick(now += 2e6); // the 1 ms lease runs out
  res(k, a!, A.SYS_CAP_REVOKE, 0, 0, 0, '', t());
  k.grantObject(c!, A.OBJ_PROCESS, b!, A.PERM_WRITE, t());
  const d = k.spawn('late', t(), a!);
  const ds = res(k, a!, A.SYS_CAP_GRANT, 0, d, A.PERM_WRITE, '', t());
  sys(k, d, A.SYS_CALL, ds, 1, 0, '', t());
  sys(k, c!, A.SYS_SLEEP, 5, 0, 0, '', t());
  k.tick(t());
  k.syscall(a!, A.SYS_EXIT, 3, 0, 0, new Uint8Array(0), t());
  k.fault(b!, 'trap', 'unreachable', t());
  res(k, c!, A.SYS_GET_PID, 0, 0, 0, '', t());
  return k;
}

/**
 * Checks the SysLog shape (ABI §7): ids strictly increasing, times
 * non-decreasing, each response answers a logged request, no request
 * answered twice. Returns the requests still unanswered.
 */
export function checkSysLog(entries: SysLogEntry[]): number[] {
  const open = new Set<number>();
  let lastId = 0, lastTime = -Infinity;
  for (const e of entries) {
    expect(e.id).toBeGreaterThan(lastId);
    expect(e.time).toBeGreaterThanOrEqual(lastTime);
    lastId = e.id;
    lastTime = e.time;
    if (e.kind === 'request') open.add(e.id);
    else {
      expect(open.has(e.request_id), `response ${e.id} answers open request ${e.request_id}`).toBe(true);
      open.delete(e.request_id);
    }
  }
  return [...open];
}
