// The right side of the desktop: Processes, Capabilities, Graph, Logs, Boots,
// Labs and the Editor in tabs, with the timeline's strip between the tabs and
// the panel (it moves every panel to a commit). Only the visible panel is
// refreshed.

import { h, replaceChildren } from './dom.ts';
import type { Panel } from './panel.ts';
import { storageGet, storageSet } from './safe-storage.ts';

export type PanelName = 'processes' | 'capabilities' | 'graph' | 'logs' | 'boots' | 'labs' | 'editor';

const LABELS: Record<PanelName, string> = {
  processes: 'Processes', capabilities: 'Capabilities', graph: 'Graph', logs: 'Logs', boots: 'Boots', labs: 'Labs', editor: 'Editor',
};

/** Panels not brought back at the next load: the editor loads its compiler and the graph its drawing library when shown, and a boot must not pay for that. */
const NOT_RESTORED = new Set<PanelName>(['editor', 'graph']);

const STORAGE_KEY = 'zos.sidePanel';

export class SidePanels {
  readonly element: HTMLElement;
  private readonly tabs = h('div', { class: 'tabs side-tabs', role: 'tablist' });
  private readonly body = h('div', { class: 'side-body' });
  /** Controls at the right end of the tab bar (the timeline's toggle), and the strip below the tabs (the timeline). */
  private readonly tools = h('div', { class: 'side-tools' });
  private readonly strip = h('div', { class: 'side-strip' });
  private readonly panels = new Map<PanelName, Panel>();
  private active: PanelName;

  constructor() {
    const saved = storageGet('local', STORAGE_KEY);
    this.active = saved && saved in LABELS && !NOT_RESTORED.has(saved as PanelName) ? saved as PanelName : 'processes';
    this.element = h('aside', { class: 'side', 'aria-label': 'System panels' }, this.tabs, this.strip, this.body);
    replaceChildren(this.body, h('div', { class: 'panel placeholder' }, h('p', { class: 'dim' }, 'Booting…')));
    this.renderTabs();
  }

  add(name: PanelName, panel: Panel): void {
    this.panels.set(name, panel);
    panel.element.dataset.panel = name;
    panel.element.hidden = name !== this.active;
    if (this.panels.size === 1) this.body.replaceChildren();
    this.body.append(panel.element);
    if (name === this.active) {
      panel.shown?.();
      panel.update();
    }
  }

  /** Puts a strip between the tabs and the panels (the timeline), and its toggle at the end of the tab bar. */
  attachStrip(strip: { element: HTMLElement; toggle: HTMLElement }): void {
    this.tools.replaceChildren(strip.toggle);
    this.strip.replaceChildren(strip.element);
  }

  get activeName(): PanelName {
    return this.active;
  }

  show(name: PanelName): void {
    this.active = name;
    storageSet('local', STORAGE_KEY, name);
    for (const [n, p] of this.panels) p.element.hidden = n !== name;
    this.renderTabs();
    const panel = this.panels.get(name);
    if (panel) {
      panel.shown?.();
      panel.update();
    }
  }

  update(): void {
    this.panels.get(this.active)?.update();
  }

  private renderTabs(): void {
    replaceChildren(this.tabs, ...(Object.keys(LABELS) as PanelName[]).map((name) => {
      const b = h('button', {
        class: `tab side-tab${name === this.active ? ' active' : ''}`, role: 'tab', type: 'button',
        'aria-selected': name === this.active ? 'true' : 'false', 'data-panel': name,
      }, LABELS[name]);
      b.addEventListener('click', () => this.show(name));
      return b;
    }), this.tools);
  }
}
