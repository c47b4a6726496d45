// What the supervisor needs from its surroundings, so one supervisor runs
// on Web Workers in the browser and on worker_threads in Node.

import type { NativeSha256 } from './fast-sha256.ts';
import type { ProcessStart, WorkerReport } from './process-shim.ts';

export interface WorkerHandle {
  terminate(): void;
}

export interface WorkerHost {
  /** Starts a worker running one process; reports and a dead worker come back by callback. */
  startWorker(start: ProcessStart, onReport: (r: WorkerReport) => void, onDeath: (why: string) => void): WorkerHandle;
  /** ns since an arbitrary origin, monotonic. */
  now(): number;
  /** ms since the Unix epoch. */
  wallclockMs(): number;
  /** Starts workers ahead of the first spawn, where the host keeps a pool. */
  prewarm?(): void;
  /** How many processes this host can keep alive at once, where it is fewer than the ABI's MAX_PROCESSES. */
  maxProcesses?: number;
  /** Cores this host can run threads on at once (answer-wait.ts blockedSpinAllowed). */
  cores?(): number;
  /** The host's own SHA-256, where it has one faster than hash-wasm (supervisor/fast-sha256.ts). */
  sha256?: NativeSha256;
}

/** A bare worker as each environment makes one. */
export interface RawWorker {
  post(message: unknown): void;
  listen(onMessage: (m: WorkerReport) => void, onDeath: (why: string) => void): void;
  terminate(): void;
}

/** The host clock from performance.now(), which both environments have. */
export const monotonicNs = (): number => performance.now() * 1e6;

/**
 * A host over a pool of workers started ahead of need: starting a worker
 * (a thread, a module graph) costs far more than a spawn should, so a few
 * wait ready and each spawn takes one and orders a replacement.
 */
export function pooledHost(create: () => RawWorker, maxProcesses?: number, poolSize = 2): WorkerHost {
  const ready: RawWorker[] = [];
  const refill = (): void => {
    while (ready.length < poolSize) ready.push(create());
  };
  return {
    startWorker(start, onReport, onDeath) {
      refill();
      const worker = ready.shift()!;
      queueMicrotask(refill);
      let ended = false;
      worker.listen(onReport, (why) => { if (!ended) onDeath(why); });
      worker.post(start);
      return {
        terminate() {
          ended = true;
          worker.terminate();
        },
      };
    },
    now: monotonicNs,
    wallclockMs: () => Date.now(),
    prewarm: refill,
    maxProcesses,
  };
}
