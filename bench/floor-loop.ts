// The floor: a worker making bare SharedArrayBuffer round trips to the main
// thread, waiting exactly as a zos process waits for a syscall's answer
// (answer-wait.ts), with no kernel in between.

import { awaitAnswer } from '../supervisor/answer-wait.ts';

export interface FloorStart {
  mailbox: SharedArrayBuffer; // word 0: 0 idle, 1 request, 2 answer
  doorbell: SharedArrayBuffer;
  n: number;
  spinMs: number;
}

export function floorLoop({ mailbox, doorbell, n, spinMs }: FloorStart): void {
  const h = new Int32Array(mailbox);
  const bell = new Int32Array(doorbell);
  for (let i = 0; i < n; i++) {
    Atomics.store(h, 0, 1);
    Atomics.add(bell, 0, 1);
    Atomics.notify(bell, 0);
    awaitAnswer(h, 0, 1, 2, spinMs);
    Atomics.store(h, 0, 0);
  }
}
