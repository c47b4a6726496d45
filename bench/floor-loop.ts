// The floors: workers making bare SharedArrayBuffer round trips to the main
// thread, waiting exactly as a zos process waits for a syscall's answer
// (answer-wait.ts), with no kernel in between.
//
// `floor`: one worker, its request answered at once (both sides spin).
// `ipcClient` / `ipcServer`: the sleeping-endpoint round trip of an IPC
// call, worker → kernel thread → worker → kernel thread → worker: the
// client's request is parked and handed to the server, asleep in its own
// parked request; the server's next request hands the answer back to the
// client, asleep, and parks the server again. Mailbox word 0 takes the
// states of supervisor/mailbox.ts; word 1 set to 1 tells the server to stop.

import { awaitAnswer } from '../supervisor/answer-wait.ts';
import { IDLE, REQUEST, RESPONSE } from '../supervisor/mailbox.ts';

export interface FloorStart {
  kind: 'floor' | 'ipcClient' | 'ipcServer';
  mailbox: SharedArrayBuffer; // word 0: the mailbox STATE; word 1: stop (the server)
  doorbell: SharedArrayBuffer;
  n: number;
  spinMs: number;
  /** How long a parked request spins before sleeping where the doorbell allows it (answer-wait.ts). */
  parkedSpinMs: number;
}

export function floorLoop({ kind, mailbox, doorbell, n, spinMs, parkedSpinMs }: FloorStart): void {
  const h = new Int32Array(mailbox);
  const bell = new Int32Array(doorbell);
  const parkedSpin = parkedSpinMs > 0 ? { bell, ms: parkedSpinMs } : undefined;
  const request = (): void => {
    Atomics.store(h, 0, REQUEST);
    Atomics.add(bell, 0, 1);
    Atomics.notify(bell, 0);
    awaitAnswer(h, 0, REQUEST, RESPONSE, spinMs, parkedSpin);
    Atomics.store(h, 0, IDLE);
  };
  if (kind === 'ipcServer') {
    while (Atomics.load(h, 1) === 0) request();
    return;
  }
  for (let i = 0; i < n; i++) request();
}
