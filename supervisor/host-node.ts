// The Node host: each process in a worker_threads Worker.

import { buildSync } from 'esbuild';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { pooledHost, type RawWorker } from './host.ts';
import { nodeSha256 } from './sha256-node.ts';

/**
 * A worker entry and what it imports, bundled once per Node process into
 * one plain script: loading TypeScript in every worker through a loader
 * would cost each spawn tens of milliseconds.
 */
const bundles = new Map<string, string>();
export function bundledWorker(entry: URL): string {
  let code = bundles.get(entry.href);
  if (code === undefined) {
    code = buildSync({
      entryPoints: [fileURLToPath(entry)], bundle: true, platform: 'node', format: 'cjs', target: 'node20',
      write: false, logLevel: 'error',
    }).outputFiles[0]!.text;
    bundles.set(entry.href, code);
  }
  return code;
}

function createNodeWorker(): RawWorker {
  const worker = new Worker(bundledWorker(new URL('./worker-node.ts', import.meta.url)), { eval: true });
  worker.unref(); // a worker waiting in the pool must not keep Node alive
  let death = (why: string): void => void why;
  worker.on('error', (e) => death(`worker error: ${e.message}`));
  worker.on('exit', (code) => death(`worker exited with code ${code}`));
  return {
    post: (m) => worker.postMessage(m),
    listen(onMessage, onDeath) {
      worker.ref();
      worker.on('message', onMessage);
      death = onDeath;
    },
    terminate: () => void worker.terminate(),
  };
}

export const nodeHost = { ...pooledHost(createNodeWorker), sha256: nodeSha256, cores: () => availableParallelism() };
