// How a worker waits for the kernel side's answer: spin while its request
// is still pending (answers usually come within microseconds, and waking a
// thread from Atomics.wait costs far more), and sleep as soon as the request
// is parked (WAITING: a receive with no message, a call, a sleep) or the
// spin runs out. The benchmark's floor worker waits with this same code.

/** Returns once `word` of `view` equals `answered`. */
export function awaitAnswer(view: Int32Array, word: number, pending: number, answered: number, spinMs: number): void {
  const spinUntil = performance.now() + spinMs;
  let state = Atomics.load(view, word);
  // The clock is read every 64 loads: reading it costs more than a load.
  for (let i = 1; state === pending && (i & 63 || performance.now() < spinUntil); i++) state = Atomics.load(view, word);
  while (state !== answered) {
    Atomics.wait(view, word, state);
    state = Atomics.load(view, word);
  }
}
