/// <reference lib="webworker" />
// Web Worker entry: one process per worker.
import { runProcess, type ProcessStart } from './process-shim.ts';

self.onmessage = (e: MessageEvent<ProcessStart>) => runProcess(e.data, (r) => self.postMessage(r));
