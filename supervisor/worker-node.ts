// worker_threads entry: one process per worker, as in the browser.
import { parentPort } from 'node:worker_threads';
import { runProcess, type ProcessStart } from './process-shim.ts';

parentPort!.once('message', (start: ProcessStart) => runProcess(start, (r) => parentPort!.postMessage(r)));
