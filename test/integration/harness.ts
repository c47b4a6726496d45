// Boots a real zos in Node for integration tests: the real supervisor, real
// worker_threads, the real built apps.

import { afterEach } from 'vitest';
import { loadBuiltinApps } from '../../supervisor/apps-node.ts';
import { nodeHost } from '../../supervisor/host-node.ts';
import { Supervisor, type SupervisorOptions } from '../../supervisor/supervisor.ts';

export interface Booted {
  sup: Supervisor;
  /** Everything a process has written to its console so far. */
  output(pid: number): string;
  /** Resolves once `pid`'s console output contains `text`. */
  waitForOutput(pid: number, text: string, timeoutMs?: number): Promise<string>;
}

export async function bootZos(options: Partial<SupervisorOptions> = {}): Promise<Booted> {
  const sup = new Supervisor({ host: nodeHost, apps: loadBuiltinApps(), ...options });
  const text = new Map<number, string>();
  const decoder = new TextDecoder();
  const waiters = new Set<() => void>();
  sup.onConsole('*', (pid, bytes) => {
    text.set(pid, (text.get(pid) ?? '') + decoder.decode(bytes));
    waiters.forEach((w) => w());
  });
  await sup.boot();
  const output = (pid: number): string => text.get(pid) ?? '';
  const waitForOutput = (pid: number, wanted: string, timeoutMs = 10_000): Promise<string> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        if (!output(pid).includes(wanted)) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(output(pid));
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`pid ${pid} did not print ${JSON.stringify(wanted)}; it printed ${JSON.stringify(output(pid))}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  return { sup, output, waitForOutput };
}

/**
 * For a test file whose tests each boot their own zos: returns the boot
 * function, and shuts the system down after each test.
 */
export function bootPerTest(): (options?: Partial<SupervisorOptions>) => Promise<Booted> {
  let zos: Booted | undefined;
  afterEach(() => {
    zos?.sup.shutdown();
    zos = undefined;
  });
  return async (options = {}) => (zos = await bootZos(options));
}
