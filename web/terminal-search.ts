// The search bar of one terminal, over xterm's search addon: it searches the
// whole buffer, scrollback included, highlights every match and scrolls the
// current one into view. Enter / Shift+Enter (or the arrows) go to the next
// / previous match, Escape (or ×) closes the bar and gives the keyboard back
// to the terminal. The count comes from the addon (it counts up to its
// highlight limit).

import { SearchAddon, type ISearchOptions } from '@xterm/addon-search';
import { h, setText } from './dom.ts';

const HIGHLIGHT_LIMIT = 1000;

// The addon wants #RRGGBB colours.
const OPTIONS: ISearchOptions = {
  decorations: {
    matchBackground: '#3a3214',
    matchBorder: '#8a7336',
    matchOverviewRuler: '#e3c26f',
    activeMatchBackground: '#7a5a12',
    activeMatchBorder: '#f2d98c',
    activeMatchColorOverviewRuler: '#f2d98c',
  },
};

export class TerminalSearch {
  readonly element: HTMLElement;
  /** Load it into the terminal (term.loadAddon) before opening the bar. */
  readonly addon = new SearchAddon({ highlightLimit: HIGHLIGHT_LIMIT });
  private readonly input = h('input', {
    type: 'search', class: 'search-input', placeholder: 'search the scrollback', 'aria-label': 'search text',
    spellcheck: 'false', autocomplete: 'off',
  });
  private readonly count = h('span', { class: 'search-count', 'data-testid': 'search-count', 'aria-live': 'polite' });

  constructor(private readonly onClose: () => void) {
    const button = (label: string, name: string, title: string, run: () => void) =>
      h('button', { class: 'search-btn', type: 'button', 'aria-label': name, title, onclick: run }, label);
    this.element = h('div', { class: 'term-search', role: 'search', 'data-testid': 'terminal-search', hidden: true },
      this.input, this.count,
      button('↑', 'previous match', 'Previous match (Shift+Enter)', () => this.find(-1)),
      button('↓', 'next match', 'Next match (Enter)', () => this.find(1)),
      button('×', 'close search', 'Close (Escape)', () => this.close()));
    this.addon.onDidChangeResults(({ resultIndex, resultCount }) => this.showCount(resultIndex, resultCount));
    this.input.addEventListener('input', () => this.find(0));
    this.input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') this.find(e.shiftKey ? -1 : 1);
      else if (e.key === 'Escape') this.close();
      else return;
      e.preventDefault();
    });
  }

  get isOpen(): boolean {
    return !this.element.hidden;
  }

  /** Shows the bar with its text selected; searches again for what it holds. */
  open(): void {
    this.element.hidden = false;
    this.input.focus();
    this.input.select();
    if (this.input.value) this.find(0);
  }

  close(): void {
    if (!this.isOpen) return;
    this.element.hidden = true;
    this.addon.clearDecorations();
    this.onClose();
  }

  /** 0: from the current match as the text changes; 1 / -1: the next / previous match. */
  private find(direction: -1 | 0 | 1): void {
    const text = this.input.value;
    if (text === '') {
      this.addon.clearDecorations();
      setText(this.count, '');
      return;
    }
    const found = direction < 0 ? this.addon.findPrevious(text, OPTIONS)
      : this.addon.findNext(text, { ...OPTIONS, incremental: direction === 0 });
    if (!found) this.showCount(-1, 0);
  }

  private showCount(index: number, count: number): void {
    let text: string;
    if (count === 0) text = 'no matches';
    else if (index < 0) text = count >= HIGHLIGHT_LIMIT ? `${count}+ matches` : `${count} matches`; // past its limit the addon does not say which one
    else text = `${index + 1} of ${count}`;
    setText(this.count, text);
    this.element.classList.toggle('none', count === 0);
  }
}
