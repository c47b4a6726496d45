// A message over the terminals that stays until it is dismissed or replaced:
// what became of a file dropped on the desktop that could not be run (the
// validator's own words), which no terminal tab would otherwise show.

import { h, setText } from './dom.ts';

export class Toast {
  readonly element: HTMLElement;
  private readonly text = h('div', { class: 'toast-text' });

  constructor() {
    const close = h('button', { class: 'tab-close', type: 'button', title: 'Dismiss', 'aria-label': 'dismiss message' }, '×');
    close.addEventListener('click', () => this.hide());
    this.element = h('div', { class: 'toast', hidden: true, role: 'alert', 'data-testid': 'toast' }, this.text, close);
  }

  show(text: string, kind: 'bad' | 'ok' = 'bad'): void {
    setText(this.text, text);
    this.element.className = `toast ${kind}`;
    this.element.hidden = false;
  }

  hide(): void {
    this.element.hidden = true;
  }
}
