// How a worker waits for the kernel side's answer: spin while its request
// is still pending (answers usually come within microseconds, and waking a
// thread from Atomics.wait costs far more), and sleep as soon as the request
// is parked (WAITING: a receive with no message, a call, a sleep) or the
// spin runs out. The benchmark's floor worker waits with this same code.
//
// A parked request usually waits for another process, and on a machine with
// a core to spare for every live process (and one for the kernel side) the
// answer often comes within microseconds too: the server of a CALL, the
// receiver of a stream. There a worker that was just busy spins a little
// longer before it sleeps, when the kernel side says so (`spinWhenParked`,
// word SPIN_WORD of the doorbell, set by blockedSpinAllowed below). Where
// cores are short, spinning would take the core the answer has to come
// from, so it sleeps at once.

/** Word of the doorbell buffer that says whether parked requests may spin (1) or must sleep (0). */
export const SPIN_WORD = 1;

/**
 * Whether a worker whose request is parked may spin before it sleeps: only
 * when every live process and the kernel side can each have a core.
 */
export function blockedSpinAllowed(cores: number, liveProcesses: number): boolean {
  return cores > liveProcesses + 1;
}

/**
 * Returns once `word` of `view` equals `answered`. `parkedSpin`, when
 * given, is the doorbell and how long to spin on a parked request where its
 * SPIN_WORD allows.
 */
export function awaitAnswer(view: Int32Array, word: number, pending: number, answered: number, spinMs: number,
  parkedSpin?: { bell: Int32Array; ms: number }): void {
  let spinUntil = performance.now() + spinMs;
  let state = Atomics.load(view, word);
  // The clock is read every 64 loads: reading it costs more than a load.
  for (let i = 1; state === pending && (i & 63 || performance.now() < spinUntil); i++) state = Atomics.load(view, word);
  if (state !== answered && state !== pending && parkedSpin && Atomics.load(parkedSpin.bell, SPIN_WORD) === 1) {
    spinUntil = performance.now() + parkedSpin.ms;
    for (let i = 1; state !== answered && (i & 63 || performance.now() < spinUntil); i++) state = Atomics.load(view, word);
  }
  while (state !== answered) {
    Atomics.wait(view, word, state);
    state = Atomics.load(view, word);
  }
}
