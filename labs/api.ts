// The labs' check API: what a lab's check module (labs/NN-name.ts) is given,
// and small helpers over it. A check looks only at kernel state, never at
// what was typed: the kernel's view now (processes, capabilities,
// endpoints), the commits and the syscalls made since the lab was started,
// and which shells the desktop's terminals run. docs/labs.md explains it.
//
// Everything here is pure: a check is a function of a LabContext, so the
// same module runs in the page and in a unit test.

import * as A from '../kernel/abi.ts';
import type { Commit, CommitOf, CommitType } from '../kernel/commits.ts';
import { errorOf } from '../kernel/names.ts';
import type { CapInfo, KernelView, ProcessInfo } from '../kernel/view.ts';

/** One syscall made since the lab started: its request and, once answered, its result. */
export interface Call {
  /** The SysLog request id (a commit's `caused_by` names it). */
  id: number;
  pid: number;
  num: number;
  args: readonly [number, number, number];
  /** 0 when the desktop made it on the process's behalf (a panel act), else null. */
  by: number | null;
  /** When it was asked, ns since boot (the time commits carry too). */
  time: number;
  /** The raw result in the syscall's shape, or null while it has not been answered. */
  result: number | null;
}

/** Something done on the desktop that is not kernel state: a verification, a tamper test. */
export interface DeskEvent {
  kind: 'verify' | 'tamper';
  /** verify: the chain held and replay matched; tamper: the tampering was detected. */
  ok: boolean;
  /** The first bad commit found, when there was one. */
  badSeq?: number;
}

export interface LabContext {
  /** The kernel now, read-only. */
  readonly view: KernelView;
  /** Commits since the lab started, oldest first. */
  readonly commits: readonly Commit[];
  /** Syscalls since the lab started, oldest first (with their results once answered). */
  readonly calls: readonly Call[];
  /** The live shells of the desktop's terminals, in tab order. */
  readonly shells: readonly number[];
  /** Verifications and tamper tests done on the desktop since the lab started. */
  readonly events: readonly DeskEvent[];
}

/** A condition on kernel state. */
export type Check = (ctx: LabContext) => boolean;

/** A value a step names in braces, e.g. {ep} in `send {ep} 1 hello`; undefined until it exists. */
export type Value = (ctx: LabContext) => number | string | undefined;

/** What a lab's check module exports (as its default export, made with defineLab). */
export interface LabChecks {
  /** The values its steps name in braces, by name; worked out whenever the state changed. */
  values?: Record<string, Value>;
  /** Named checks that the steps' `done:` refer to. */
  checks: Record<string, Check>;
  /** The lab's goal: unmet before its steps, met after. */
  goal: Check;
}

/** Declares a lab's checks (it only gives them their type). */
export function defineLab(checks: LabChecks): LabChecks {
  return checks;
}

// ---------------------------------------------------------------------------
// Syscalls

/** The calls of syscall `num` (made by `pid`, when given), oldest first. */
export function callsOf(ctx: LabContext, num: number, pid?: number): Call[] {
  return ctx.calls.filter((c) => c.num === num && (pid === undefined || c.pid === pid));
}

/** True when the call was answered with success. */
export const succeeded = (c: Call): boolean => c.result !== null && errorOf(c.num, c.result) === null;

/** True when the call was answered with error `code` (E_PERM, E_BADF, …). */
export const failedWith = (c: Call, code: number): boolean => c.result !== null && errorOf(c.num, c.result) === code;

/** The calls made by one of the desktop's shells. */
export function shellCalls(ctx: LabContext, num: number): Call[] {
  return ctx.calls.filter((c) => c.num === num && ctx.shells.includes(c.pid) && c.by === null);
}

/** RECEIVE calls by `pid` on `slot` that took a message (the result is its length). */
export function receivedOn(ctx: LabContext, pid: number, slot: number): Call[] {
  return callsOf(ctx, A.SYS_RECEIVE, pid).filter((c) => c.args[0] === slot && c.result !== null && c.result > 0);
}

// ---------------------------------------------------------------------------
// Commits

/** The commits of one type since the lab started. */
export function commitsOf<T extends CommitType>(ctx: LabContext, type: T): CommitOf<T>[] {
  return ctx.commits.filter((c): c is CommitOf<T> => c.type === type);
}

/** The commits a syscall caused. */
export function causedBy(ctx: LabContext, call: Call): Commit[] {
  return ctx.commits.filter((c) => c.caused_by === call.id);
}

// ---------------------------------------------------------------------------
// Processes

/** Processes started since the lab started running program `name`, oldest first. */
export function started(ctx: LabContext, name: string): ProcessInfo[] {
  return commitsOf(ctx, 'ProcessCreated').filter((c) => c.fields.name === name)
    .map((c) => ctx.view.process(c.fields.pid)).filter((p): p is ProcessInfo => p !== undefined);
}

/** Processes started since the lab started on behalf of one of the desktop's shells (`spawn` in a terminal). */
export function startedByShell(ctx: LabContext, name: string): ProcessInfo[] {
  return started(ctx, name).filter((p) => ctx.shells.includes(p.requester));
}

export const alive = (p: ProcessInfo | undefined): boolean => p?.status === 'alive';

/** The shells started since the lab started that are still alive (a terminal opened with +). */
export function newShells(ctx: LabContext): number[] {
  const fresh = new Set(started(ctx, 'terminal').map((p) => p.pid));
  return ctx.shells.filter((pid) => fresh.has(pid));
}

/**
 * A live shell other than `not` (undefined until `not` is known): one opened
 * since the lab started if there is one, else the newest.
 */
export function otherShell(ctx: LabContext, not: number | undefined): number | undefined {
  if (not === undefined) return undefined;
  const fresh = newShells(ctx).filter((pid) => pid !== not);
  return fresh[0] ?? last(ctx.shells.filter((pid) => pid !== not));
}

// ---------------------------------------------------------------------------
// Capabilities and endpoints

/** The capability in a process's slot, if any. */
export function capAt(view: KernelView, pid: number, slot: number): CapInfo | undefined {
  return view.caps(pid).find((c) => c.slot === slot);
}

export const hasRights = (cap: CapInfo | undefined, perms: number): boolean =>
  cap !== undefined && (cap.perms & perms) === perms;

/** An endpoint one of the shells created since the lab started (`ep`), and the slot it was put in. */
export interface MadeEndpoint {
  id: number;
  owner: number;
  slot: number;
  /** The capability's id. */
  capId: number;
}

/** The endpoints the desktop's shells created since the lab started, oldest first (whether or not still there). */
export function shellEndpoints(ctx: LabContext): MadeEndpoint[] {
  const out: MadeEndpoint[] = [];
  for (const made of commitsOf(ctx, 'EndpointCreated')) {
    if (!ctx.shells.includes(made.fields.owner)) continue;
    const inserted = commitsOf(ctx, 'CapInserted').find((c) => c.caused_by === made.caused_by &&
      c.fields.object_id === made.fields.id && c.fields.type === A.OBJ_ENDPOINT);
    if (inserted) out.push({ id: made.fields.id, owner: made.fields.owner, slot: inserted.fields.slot, capId: inserted.fields.cap_id });
  }
  return out;
}

/** True while the capability made with the endpoint is still in its slot. */
export const endpointHeld = (ctx: LabContext, e: MadeEndpoint): boolean => capAt(ctx.view, e.owner, e.slot)?.id === e.capId;

/** The first endpoint a shell made since the lab started: the one a lab's steps work with. */
export const firstEndpoint = (ctx: LabContext): MadeEndpoint | undefined => shellEndpoints(ctx)[0];

/** A copy of a capability made since the lab started: by DERIVE (same process) or GRANT. */
export interface Copy {
  fromPid: number;
  fromSlot: number;
  toPid: number;
  toSlot: number;
  perms: number;
  capId: number;
  /** The syscall that made it, or null for an act of the desktop's supervisor. */
  call: Call | undefined;
}

/** The copies made since the lab started (CapGranted commits), oldest first. */
export function copies(ctx: LabContext): Copy[] {
  const byId = new Map(ctx.calls.map((c) => [c.id, c]));
  return commitsOf(ctx, 'CapGranted').map((c) => ({
    fromPid: c.fields.from_pid, fromSlot: c.fields.from_slot, toPid: c.fields.to_pid, toSlot: c.fields.to_slot,
    perms: c.fields.perms, capId: c.fields.new_cap_id, call: c.caused_by === null ? undefined : byId.get(c.caused_by),
  }));
}

/** A grant of `copy` onward, to another process than the one holding it. */
export function passedOn(ctx: LabContext, copy: Copy | undefined): Copy | undefined {
  return copy && copies(ctx).find((g) => g.fromPid === copy.toPid && g.fromSlot === copy.toSlot && g.toPid !== copy.toPid);
}

/** The id of the capability put in (pid, slot) last before commit `beforeSeq` (inserted, derived or granted there). */
export function capIdAt(ctx: LabContext, pid: number, slot: number, beforeSeq = Infinity): number | undefined {
  let id: number | undefined;
  for (const c of ctx.commits) {
    if (c.seq >= beforeSeq) break;
    if (c.type === 'CapInserted' && c.fields.pid === pid && c.fields.slot === slot) id = c.fields.cap_id;
    if (c.type === 'CapGranted' && c.fields.to_pid === pid && c.fields.to_slot === slot) id = c.fields.new_cap_id;
  }
  return id;
}

/** True while the copy is still where it was put. */
export function copyHeld(ctx: LabContext, copy: Copy): boolean {
  return capAt(ctx.view, copy.toPid, copy.toSlot)?.id === copy.capId;
}

/** The pids that were told their capability is gone (MSG_CAP_REVOKED) because of a call. */
export function toldOfRevoke(ctx: LabContext, call: Call): number[] {
  const owners = new Map(ctx.view.endpoints().map((e) => [e.id, e.owner]));
  return causedBy(ctx, call).flatMap((c) => (c.type === 'MessageSent' && c.fields.from_pid === A.PID_SUPERVISOR &&
    c.fields.tag === A.MSG_CAP_REVOKED && owners.has(c.fields.to_endpoint) ? [owners.get(c.fields.to_endpoint)!] : []));
}

/** The last element of a list, if any. */
export const last = <T>(items: readonly T[]): T | undefined => items[items.length - 1];
