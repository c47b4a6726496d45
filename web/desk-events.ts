// Acts on the desktop that are not kernel state but that a lab may ask
// about: a verification of the CommitLog, a tamper test. The Logs panel
// announces them here; the labs listen while one runs.

import type { DeskEvent } from '../labs/api.ts';

const target = new EventTarget();
const NAME = 'desk';

export function announceDeskEvent(event: DeskEvent): void {
  target.dispatchEvent(new CustomEvent<DeskEvent>(NAME, { detail: event }));
}

/** Calls `listener` for each event; returns the function that stops it. */
export function onDeskEvent(listener: (event: DeskEvent) => void): () => void {
  const handler = (e: Event): void => listener((e as CustomEvent<DeskEvent>).detail);
  target.addEventListener(NAME, handler);
  return () => target.removeEventListener(NAME, handler);
}
