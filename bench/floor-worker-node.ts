import { parentPort } from 'node:worker_threads';
import { floorLoop, type FloorStart } from './floor-loop.ts';

parentPort!.once('message', (start: FloorStart) => {
  floorLoop(start);
  parentPort!.postMessage('done');
});
