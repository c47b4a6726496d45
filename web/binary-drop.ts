// Opening a binary: a .wasm dropped anywhere on the desktop, or picked with
// the "open .wasm" button beside the terminal tabs. Both hand the files to
// the same callback, one at a time, in the order given.

import { h } from './dom.ts';

export type OpenFile = (name: string, bytes: Uint8Array) => void;

/** Reads each file and opens it; a file that cannot be read is reported like a refused one. */
export async function openAll(files: Iterable<File>, open: OpenFile, unreadable: (name: string, why: string) => void): Promise<void> {
  for (const file of files) {
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await file.arrayBuffer());
    } catch (e) {
      unreadable(file.name, (e as Error).message || String(e));
      continue;
    }
    open(file.name, bytes);
  }
}

/**
 * Makes `root` take dropped files: an overlay says what a drop does while
 * files are dragged over it. Dragged text or links are left alone.
 */
export function acceptDrops(root: HTMLElement, open: OpenFile, unreadable: (name: string, why: string) => void): void {
  const overlay = h('div', { class: 'drop-overlay', hidden: true, 'aria-hidden': 'true' },
    h('div', { class: 'drop-card' },
      h('strong', {}, 'Drop a .wasm to run it'),
      h('span', {}, 'checked against the ABI, then started in a terminal tab of its own')));
  root.append(overlay);
  let depth = 0; // dragenter/dragleave fire for every child crossed
  const carriesFiles = (e: DragEvent): boolean => !!e.dataTransfer && [...e.dataTransfer.types].includes('Files');
  root.addEventListener('dragenter', (e) => {
    if (!carriesFiles(e)) return;
    e.preventDefault();
    depth++;
    overlay.hidden = false;
  });
  root.addEventListener('dragover', (e) => {
    if (!carriesFiles(e)) return;
    e.preventDefault();
    e.dataTransfer!.dropEffect = 'copy';
  });
  root.addEventListener('dragleave', () => {
    depth = Math.max(0, depth - 1);
    if (depth === 0) overlay.hidden = true;
  });
  root.addEventListener('drop', (e) => {
    depth = 0;
    overlay.hidden = true;
    if (!carriesFiles(e)) return;
    e.preventDefault();
    void openAll([...e.dataTransfer!.files], open, unreadable);
  });
}

/** The "open .wasm" button: a file picker for one or more binaries. */
export function openFileButton(open: OpenFile, unreadable: (name: string, why: string) => void): HTMLElement {
  const input = h('input', { type: 'file', accept: '.wasm,application/wasm', multiple: true, hidden: true, 'data-testid': 'open-wasm-input' });
  input.addEventListener('change', () => {
    const files = [...(input.files ?? [])];
    input.value = ''; // the same file can be picked again
    void openAll(files, open, unreadable);
  });
  const button = h('button', { class: 'tab-open', type: 'button', title: 'Run a .wasm binary of your own (or drop one on the desktop)' }, 'open .wasm');
  button.addEventListener('click', () => input.click());
  return h('span', { class: 'open-wasm' }, button, input);
}
