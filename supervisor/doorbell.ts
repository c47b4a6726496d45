// Waiting for the doorbell that workers ring: spin briefly while syscalls
// are hot (a worker's next call often comes within microseconds), then sleep
// in Atomics.waitAsync. The benchmark's floor waits with this same function,
// so the floor and the kernel path are measured alike.

/** How long to spin before sleeping, in ms. */
export const SPIN_MS = 0.05;

/**
 * Resolves once word 0 of `bell` differs from `seen`, or after `timeoutMs`.
 * Returns synchronously (undefined) when the spin saw the ring. Where
 * Atomics.waitAsync is missing, `byMessage` waits instead (workers then
 * also post a message with each ring).
 */
export function waitForRing(bell: Int32Array, seen: number, timeoutMs: number, spinMs = SPIN_MS,
  byMessage?: (timeoutMs: number) => Promise<unknown>): Promise<unknown> | undefined {
  const spinUntil = performance.now() + spinMs;
  // The clock is read every 64 loads: reading it costs more than a load.
  for (let i = 1; i & 63 || performance.now() < spinUntil; i++) if (Atomics.load(bell, 0) !== seen) return undefined;
  if (typeof Atomics.waitAsync !== 'function') {
    if (!byMessage) throw new Error('Atomics.waitAsync is missing and no message fallback was given');
    return byMessage(timeoutMs);
  }
  const wait = Atomics.waitAsync(bell, 0, seen, timeoutMs);
  return wait.async ? wait.value : undefined;
}
