// The Labs side panel as the desktop holds it: small, because the labs
// themselves (their texts, markdown, YAML, the lab runner) are imported
// only when the panel is first shown, or after boot when a lab was left in
// progress, so booting the desktop does not pay for them.

import { h } from './dom.ts';
import type { LabsUi } from './labs/labs-ui.ts';
import type { Panel } from './panel.ts';
import type { Session } from './session.ts';
import type { SidePanels } from './side-panels.ts';
import type { TerminalArea } from './terminal-area.ts';

/** What the labs use of the desktop. */
export interface LabHost {
  readonly session: Session;
  readonly terminals: TerminalArea;
  readonly side: SidePanels;
  /** Opens a program template in the editor; null when this desktop has no editor. */
  openEditor(template: string): Promise<void> | null;
}

export class LabsPanel implements Panel {
  readonly element: HTMLElement;
  private ui: Promise<LabsUi> | null = null;
  private loaded: LabsUi | null = null;

  constructor(private readonly host: LabHost) {
    this.element = h('div', { class: 'panel labs-panel' }, h('p', { class: 'dim' }, 'Loading the labs…'));
  }

  update(): void {
    this.loaded?.update();
  }

  shown(): void {
    void this.load();
  }

  /** Every refresh, visible or not: a lab in progress is checked against the kernel all the time. */
  tick(): void {
    this.loaded?.tick();
  }

  /** After boot: brings back the lab in progress, if there was one. */
  async resume(): Promise<void> {
    const { ProgressStore } = await import('./labs/progress.ts');
    const store = await ProgressStore.open();
    if (store.currentLab !== null) await this.load(store);
  }

  /** The labs, imported the first time they are needed. */
  load(store?: import('./labs/progress.ts').ProgressStore): Promise<LabsUi> {
    this.ui ??= import('./labs/labs-ui.ts').then(async ({ LabsUi }) => {
      const ui = await LabsUi.create(this.host, this.element, store);
      this.loaded = ui;
      return ui;
    });
    return this.ui;
  }
}
