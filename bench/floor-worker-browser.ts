/// <reference lib="webworker" />
import { floorLoop, type FloorStart } from './floor-loop.ts';

self.onmessage = (e: MessageEvent<FloorStart>) => {
  floorLoop(e.data);
  self.postMessage('done');
};
