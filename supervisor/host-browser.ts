/// <reference lib="dom" />
// The browser host: each process in a module Web Worker.

import { MAX_PROCESSES_IN_A_PAGE } from '../kernel/abi.ts';
import { pooledHost, type RawWorker } from './host.ts';

function createBrowserWorker(): RawWorker {
  const worker = new Worker(new URL('./worker-browser.ts', import.meta.url), { type: 'module', name: 'zos process' });
  return {
    post: (m) => worker.postMessage(m),
    listen(onMessage, onDeath) {
      worker.onmessage = (e) => onMessage(e.data);
      worker.onerror = (e) => {
        e.preventDefault();
        onDeath(`worker error: ${e.message}`);
      };
    },
    terminate: () => worker.terminate(),
  };
}

export const browserHost = { ...pooledHost(createBrowserWorker, MAX_PROCESSES_IN_A_PAGE), cores: () => navigator.hardwareConcurrency || 1 };
