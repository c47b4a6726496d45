// The Editor side panel. Until it is first shown it is a placeholder; then
// it imports the editor (editor/editor-pane.ts, and with it CodeMirror and
// the compiler's worker), so booting the desktop never pays for them.
//
// openInEditor() is the entry point for the rest of the page (the labs open
// their exercises with it): it shows the panel and opens a template or a
// source there. A `#program=` address (a shared link) opens the editor too.

import { h } from './dom.ts';
import type { EditorHost, EditorOpen, EditorPane } from './editor/editor-pane.ts';
import type { Panel } from './panel.ts';

export type { EditorOpen } from './editor/editor-pane.ts';

/** The start of an address's hash that carries a shared program (editor/share-link.ts reads and writes the rest). */
export const SHARE_PREFIX = '#program=';

let current: EditorPanel | null = null;

/**
 * Opens the editor with a template (by id: `hello`, `echo-service`,
 * `echo-client`, `derive-pass`, `hello-wat`) or with a source
 * (`{source, language?: 'as' | 'wat', name?}`), as a new program; resolves
 * once it is shown. Rejects before the desktop has booted, and for an
 * unknown template.
 */
export function openInEditor(what: EditorOpen): Promise<void> {
  if (!current) return Promise.reject(new Error('the editor is not there yet: the desktop has not booted'));
  return current.open(what);
}

export class EditorPanel implements Panel {
  readonly element: HTMLElement;
  private pane: Promise<EditorPane> | null = null;

  /** `show` brings the panel to the front (the side panels' own show). */
  constructor(private readonly host: EditorHost, private readonly show: () => void) {
    this.element = h('div', { class: 'panel editor-panel' }, h('p', { class: 'dim' }, 'Loading the editor…'));
    current = this;
  }

  update(): void {}

  shown(): void {
    void this.load().catch(() => {}); // shown in the panel
  }

  /**
   * The editor, imported the first time it is asked for. The compiler's
   * worker is started at the same time, so asc loads while CodeMirror does.
   */
  load(): Promise<EditorPane> {
    if (this.pane) return this.pane;
    const compiler = import('./editor/compiler.ts').then(({ Compiler }) => {
      const started = new Compiler();
      void started.warm('as');
      return started;
    });
    this.pane = Promise.all([import('./editor/editor-pane.ts'), compiler]).then(([{ EditorPane }, started]) => {
      const pane = new EditorPane(this.host, started);
      this.element.replaceChildren(pane.element);
      return pane;
    }, (e: unknown) => {
      this.pane = null;
      void compiler.then((c) => c.dispose(), () => {});
      const retry = h('button', { class: 'btn', type: 'button', onclick: () => this.shown() }, 'Try again');
      this.element.replaceChildren(h('p', { class: 'bad' }, `The editor could not be loaded: ${(e as Error).message || String(e)}`), retry);
      throw e;
    });
    return this.pane;
  }

  async open(what: EditorOpen): Promise<void> {
    this.show();
    await (await this.load()).open(what);
  }

  /** Opens the program a shared link carries (`#program=...`). */
  async openLink(hash: string): Promise<void> {
    this.show();
    await (await this.load()).openLink(hash);
  }
}
