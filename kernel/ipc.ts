// IPC: endpoints and their bounded FIFO queues, SEND, RECEIVE, CALL, REPLY
// and SEND_CAP, waking blocked processes, and the kernel's own messages
// (console input, revocation notices) from PID 0.

import * as A from './abi.ts';
import { LAYOUTS } from './abi-table.ts';
import {
  type Answer, BLOCKED, encodeAnswer, fail, half, type HandlerResult, type KernelCore, ok, type Syscall,
} from './core.ts';
import { type Cap, capIn, freeSlot, insertRoot, landInFlight, removeWithNotice, takeInFlight } from './cspace.ts';
import { encode, fixedSize, writeRecord } from './layout.ts';
import * as R from './rights.ts';

export interface Message {
  from: number;
  tag: number;
  payload: Uint8Array; // a copy owned by the kernel
  caps: Cap[]; // capabilities moved by SEND_CAP, carried in flight
  isCall: boolean; // sent by CALL: receiving it gives a one-shot reply right
}

export class MessageQueue {
  private items: Message[] = [];
  private head = 0;

  constructor(readonly capacity: number) {}

  get length(): number {
    return this.items.length - this.head;
  }

  /** Kernel notices may pass a full queue: losing one would lose a revocation. */
  push(m: Message, bypassCapacity = false): boolean {
    if (!bypassCapacity && this.length >= this.capacity) return false;
    this.items.push(m);
    return true;
  }

  shift(): Message | undefined {
    if (this.head >= this.items.length) return undefined;
    const m = this.items[this.head]!;
    this.items[this.head++] = undefined as unknown as Message; // let it be collected
    if (this.head > 64 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return m;
  }

  /** Empties the queue, returning what was in it (endpoint destroyed). */
  drain(): Message[] {
    const rest = this.items.slice(this.head);
    this.items = [];
    this.head = 0;
    return rest;
  }
}

// ---------------------------------------------------------------------------
// Endpoints.

export function createEndpoint(k: KernelCore, owner: number, slot: number, now: number, causedBy: number | null): void {
  const id = k.state.nextEndpointId;
  k.commit(now, 'EndpointCreated', { id, owner }, causedBy);
  k.queues.set(id, new MessageQueue(k.limits.queueCapacity));
  insertRoot(k, owner, slot, A.OBJ_ENDPOINT, id, A.PERM_ALL, now, causedBy);
  k.rt.get(owner)!.newestEndpoint = id;
}

/**
 * The endpoint goes with its owner: queued callers fail, and everyone
 * else's capabilities to it are removed with a reason-3 notice.
 */
export function destroyEndpoint(k: KernelCore, id: number, owner: number, now: number, causedBy: number | null): void {
  for (const msg of k.queues.get(id)?.drain() ?? []) {
    if (msg.isCall) failCall(k, msg.from, now);
  }
  k.queues.delete(id);
  k.fullQueueSenders.delete(id);
  for (const cap of [...k.state.caps.values()]) {
    if (cap.type === A.OBJ_ENDPOINT && cap.object === id && cap.pid !== owner) {
      removeWithNotice(k, cap, A.REVOKE_PROCESS_EXITED, now, causedBy);
    }
  }
  k.commit(now, 'EndpointDestroyed', { id }, causedBy);
}

// ---------------------------------------------------------------------------
// Messages.

const HEADER_BYTES = fixedSize(LAYOUTS.MessageHeader)!;

/** RECEIVE's response data: MessageHeader, payload, a u32 slot per moved capability. */
export function encodeReceived(m: Message, slots: readonly number[]): Uint8Array {
  const out = new Uint8Array(HEADER_BYTES + m.payload.length + 4 * slots.length);
  writeRecord(out, 0, LAYOUTS.MessageHeader, { from: m.from, tag: m.tag });
  out.set(m.payload, HEADER_BYTES);
  let at = HEADER_BYTES + m.payload.length;
  for (const slot of slots) at = writeRecord(out, at, LAYOUTS.MovedSlot, { slot });
  return out;
}

/** The request data as a payload of `len` bytes, or an error code. */
function payloadOf(c: Syscall, len: number): Uint8Array | number {
  if (len < 0 || len > c.data.length) return A.E_INVAL;
  if (len > A.MAX_PAYLOAD) return A.E_OVERFLOW;
  return c.data.slice(0, len);
}

/**
 * Queues a message, or hands it straight to the owner if it is blocked in
 * RECEIVE on that endpoint (its queue is then empty, so FIFO holds).
 */
function enqueue(k: KernelCore, endpoint: number, msg: Message, bypassCapacity: boolean, now: number,
  causedBy: number | null): boolean {
  const queue = k.queues.get(endpoint)!;
  const owner = k.state.endpoints.get(endpoint)!.owner;
  const wait = k.rt.get(owner)?.wait;
  const direct = wait?.kind === 'receive' && wait.endpoint === endpoint;
  if (!direct && !queue.push(msg, bypassCapacity)) {
    noteFull(k, endpoint, msg.from);
    return false;
  }
  k.commit(now, 'MessageSent', { from_pid: msg.from, to_endpoint: endpoint, tag: msg.tag, size: msg.payload.length }, causedBy);
  if (direct) wake(k, owner, deliver(k, owner, msg, now, wait.request), now);
  else k.events.push({ kind: 'message', pid: owner });
  return true;
}

/** Remembers who found a queue full: they hear when there is room, so a yield can end early. */
function noteFull(k: KernelCore, endpoint: number, pid: number): void {
  const senders = k.fullQueueSenders.get(endpoint) ?? new Set();
  k.fullQueueSenders.set(endpoint, senders.add(pid));
}

/**
 * Once a full queue has drained to half, those told E_AGAIN hear of it.
 * Not at the first free place: a sender woken per message would cost a
 * thread wake-up per message.
 */
function announceRoom(k: KernelCore, endpoint: number): void {
  const senders = k.fullQueueSenders.get(endpoint);
  if (!senders || k.queues.get(endpoint)!.length > k.limits.queueCapacity / 2) return;
  k.fullQueueSenders.delete(endpoint);
  for (const pid of senders) k.events.push({ kind: 'room', pid });
}

/** Gives a received message to its receiver: moved capabilities land in new slots. */
function deliver(k: KernelCore, pid: number, msg: Message, now: number, causedBy: number): Answer {
  const slots = msg.caps.map((cap) => landInFlight(k, cap, pid, now, causedBy));
  if (msg.isCall && k.rt.get(msg.from)?.wait?.kind === 'call') k.rt.get(pid)!.replyRights.add(msg.from);
  const data = encodeReceived(msg, slots);
  return ok(data.length, data);
}

/** Answers a blocked syscall, in the result shape of the call it made. */
export function wake(k: KernelCore, pid: number, answer: Answer, now: number): void {
  const rt = k.rt.get(pid)!;
  const { request, num } = rt.wait!;
  rt.wait = null;
  const result = encodeAnswer(num, answer);
  k.syslog.response(request, now, result);
  k.events.push({ kind: 'wake', pid, result, data: answer.kind === 'ok' ? answer.data : null });
}

/** A CALL whose server is gone: the caller wakes with E_NOENT. */
export function failCall(k: KernelCore, caller: number, now: number): void {
  if (k.rt.get(caller)?.wait?.kind === 'call') wake(k, caller, fail(A.E_NOENT), now);
}

/**
 * Removal is immediate (ABI §3): a RECEIVE blocked on a slot whose
 * capability was just removed wakes with E_BADF, so nothing sent afterwards
 * reaches it through that slot.
 */
export function abortReceivesOn(k: KernelCore, pid: number, slot: number, now: number): void {
  const wait = k.rt.get(pid)?.wait;
  if (wait?.kind === 'receive' && wait.slot === slot) wake(k, pid, fail(A.E_BADF), now);
}

/**
 * Where PID 0's messages to a process go: the endpoint in its slot 1, and
 * only if the process owns it. Console input and notices come in the
 * kernel's name (notices even past the queue limit), so they must never
 * land in another's queue. A slot 1 may also name an endpoint being
 * destroyed, whose queue is already gone.
 */
function inputEndpoint(k: KernelCore, pid: number): number | null {
  const cap = k.rt.has(pid) ? capIn(k, pid, A.SLOT_INPUT) : undefined;
  if (cap?.type !== A.OBJ_ENDPOINT || k.state.endpoints.get(cap.object)?.owner !== pid) return null;
  return k.queues.has(cap.object) ? cap.object : null;
}

/** One MSG_CAP_REVOKED per lost capability, to the holder's slot 1. */
export function notifyRevoked(k: KernelCore, pid: number, slot: number, cap: Cap, reason: number, now: number,
  causedBy: number | null): void {
  const input = inputEndpoint(k, pid);
  if (input === null) {
    k.notificationsDropped++;
    return;
  }
  const payload = encode(LAYOUTS.CapRevokedNotice, { slot, object_type: cap.type, object_id: cap.object, reason });
  enqueue(k, input, { from: A.PID_SUPERVISOR, tag: A.MSG_CAP_REVOKED, payload, caps: [], isCall: false }, true, now, causedBy);
}

/** Console input arrives as CONSOLE_INPUT from PID 0 on slot 1 (ABI §4, §5). Returns a status. */
export function deliverConsoleInput(k: KernelCore, pid: number, bytes: Uint8Array, now: number): number {
  if (bytes.length > A.MAX_PAYLOAD) return A.E_OVERFLOW;
  const input = inputEndpoint(k, pid);
  if (input === null) return A.E_BADF;
  const msg: Message = { from: A.PID_SUPERVISOR, tag: A.MSG_CONSOLE_INPUT, payload: bytes.slice(), caps: [], isCall: false };
  return enqueue(k, input, msg, false, now, null) ? A.E_OK : A.E_AGAIN;
}

// ---------------------------------------------------------------------------
// Syscall handlers. The gateway has checked the row's `needs`: `cap` holds them.

export function sysEpCreate(k: KernelCore, c: Syscall): Answer {
  if (c.a0 === A.EP_CREATE_ID_LOW) return ok(half(c.rt.newestEndpoint, A.PART_LOW));
  if (c.a0 === A.EP_CREATE_ID_HIGH) return ok(half(c.rt.newestEndpoint, A.PART_HIGH));
  if (c.a0 !== A.EP_CREATE_NEW) return fail(A.E_INVAL);
  let owned = 0;
  for (const e of k.state.endpoints.values()) if (e.owner === c.pid) owned++;
  if (owned >= k.limits.maxEndpoints) return fail(A.E_NOMEM);
  const slot = freeSlot(k, c.pid);
  if (slot < 0) return fail(A.E_NOMEM);
  createEndpoint(k, c.pid, slot, c.now, c.request);
  return ok(slot);
}

/** SEND, and CALL, which then waits for the reply. */
export function sysSend(k: KernelCore, c: Syscall, cap: Cap | undefined): HandlerResult {
  const isCall = c.num === A.SYS_CALL;
  const payload = payloadOf(c, c.a2);
  if (typeof payload === 'number') return fail(payload);
  const ep = k.state.endpoints.get(cap!.object);
  if (!ep) return fail(A.E_NOENT);
  if (isCall && ep.owner === c.pid) return fail(A.E_INVAL); // would wait forever
  const msg: Message = { from: c.pid, tag: c.a1 >>> 0, payload, caps: [], isCall };
  // A caller waits before its message can be received: receiving gives the reply right.
  if (isCall) c.rt.wait = { kind: 'call', num: c.num, request: c.request };
  if (enqueue(k, ep.id, msg, false, c.now, c.request)) return isCall ? BLOCKED : ok();
  c.rt.wait = null;
  return fail(A.E_AGAIN);
}

export function sysReceive(k: KernelCore, c: Syscall, cap: Cap | undefined): HandlerResult {
  const endpoint = cap!.object;
  const msg = k.queues.get(endpoint)?.shift();
  if (msg) {
    announceRoom(k, endpoint);
    return deliver(k, c.pid, msg, c.now, c.request);
  }
  if ((c.a1 & A.RECV_BLOCK) === 0) return ok(0);
  const deadline = c.a2 > 0 ? c.now + c.a2 * 1e6 : null;
  c.rt.wait = { kind: 'receive', num: c.num, request: c.request, endpoint, slot: c.a0, deadline };
  return BLOCKED;
}

export function sysReply(k: KernelCore, c: Syscall): Answer {
  const payload = payloadOf(c, c.a2);
  if (typeof payload === 'number') return fail(payload);
  const caller = c.a0;
  if (!R.mayReply(c.rt.replyRights, caller)) return fail(A.E_NOENT);
  c.rt.replyRights.delete(caller);
  if (k.rt.get(caller)?.wait?.kind !== 'call') return fail(A.E_NOENT);
  const data = encodeReceived({ from: c.pid, tag: c.a1 >>> 0, payload, caps: [], isCall: false }, []);
  wake(k, caller, ok(data.length, data), c.now);
  return ok();
}

export function sysSendCap(k: KernelCore, c: Syscall, cap: Cap | undefined): Answer {
  const len = c.a2 & A.SEND_CAP_LEN_MASK;
  const count = (c.a2 >>> A.SEND_CAP_COUNT_SHIFT) & 0xffff;
  if (len + 4 * count > c.data.length) return fail(A.E_INVAL);
  const payload = payloadOf(c, len);
  if (typeof payload === 'number') return fail(payload);
  const ep = k.state.endpoints.get(cap!.object);
  if (!ep) return fail(A.E_NOENT);
  // Check every moved capability before moving any: all or nothing.
  const view = new DataView(c.data.buffer, c.data.byteOffset + len, 4 * count);
  const moved: Cap[] = [];
  for (let i = 0; i < count; i++) {
    const m = capIn(k, c.pid, view.getUint32(4 * i, true));
    if (!m) return fail(A.E_BADF);
    if (m === cap || moved.includes(m)) return fail(A.E_INVAL);
    moved.push(m);
  }
  if ((k.queues.get(ep.id)?.length ?? 0) >= k.limits.queueCapacity) {
    noteFull(k, ep.id, c.pid);
    return fail(A.E_AGAIN);
  }
  // Past the last check: the capabilities leave with the message, which cannot now fail.
  const caps = moved.map((m) => takeInFlight(k, m, c.now, c.request));
  enqueue(k, ep.id, { from: c.pid, tag: c.a1 >>> 0, payload, caps, isCall: false }, false, c.now, c.request);
  return ok();
}
