// IPC objects: messages and the bounded FIFO queue of an endpoint.

import type { Cap } from './state.ts';

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

/** RECEIVE's response data: `from u32, tag u32, payload, moved cap slots u32…`. */
export function encodeReceived(m: Message, slots: readonly number[]): Uint8Array {
  const out = new Uint8Array(8 + m.payload.length + 4 * slots.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, m.from, true);
  view.setUint32(4, m.tag >>> 0, true);
  out.set(m.payload, 8);
  slots.forEach((s, i) => view.setUint32(8 + m.payload.length + 4 * i, s >>> 0, true));
  return out;
}
