// The line a panel shows while the timeline shows the past: which commit,
// and that its acts are off (an act always changes the live system), with
// the way back.

import { h, setText } from './dom.ts';
import type { StateSource } from './state-source.ts';

export class PastNote {
  readonly element: HTMLElement;
  private readonly text = h('span');

  constructor(private readonly source: StateSource) {
    const live = h('button', { class: 'btn small primary', type: 'button' }, 'Live');
    live.addEventListener('click', () => source.goLive());
    this.element = h('div', { class: 'past-note', role: 'status', 'data-testid': 'past-note', hidden: true }, this.text, live);
  }

  update(): void {
    const shown = this.source.current;
    this.element.hidden = shown.live;
    if (shown.live) return;
    const where = shown.where === null ? `commit ${shown.seq}` : `commit ${shown.seq} of ${shown.where}`;
    setText(this.text, `The state just after ${where}: acts are off, they change the live system.`);
  }
}
