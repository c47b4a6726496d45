// Points at things on the page for a few seconds: what a "show me" changed
// (a capability row, a process, an endpoint) or a control a step is about.
// The panels rebuild their rows when the state changes, so the mark is put
// back at every refresh on whatever matches, until its time is up; the
// first match is scrolled into view once.

import { revealVertically } from '../dom.ts';

const CLASS = 'lab-spot';
const DEFAULT_MS = 6000;

interface Target {
  selector: string;
  until: number;
  scrolled: boolean;
}

export class Spotlight {
  private targets: Target[] = [];
  private marked = new Set<Element>();

  constructor(private readonly root: ParentNode = document) {}

  /** Points at everything matching these selectors for `ms`. */
  point(selectors: readonly string[], ms = DEFAULT_MS): void {
    const until = performance.now() + ms;
    for (const selector of selectors) {
      const old = this.targets.find((t) => t.selector === selector);
      if (old) Object.assign(old, { until, scrolled: false });
      else this.targets.push({ selector, until, scrolled: false });
    }
    this.refresh();
  }

  clear(): void {
    this.targets = [];
    this.refresh();
  }

  /** Puts the marks back on what matches now; call after the panels redraw. */
  refresh(): void {
    const now = performance.now();
    this.targets = this.targets.filter((t) => t.until > now);
    const want = new Set<Element>();
    for (const t of this.targets) {
      let found: Element[];
      try {
        found = [...this.root.querySelectorAll(t.selector)];
      } catch {
        continue; // a bad selector in a lab file points at nothing
      }
      for (const el of found) want.add(el);
      const first = found.find((el) => (el as HTMLElement).offsetParent !== null);
      if (!t.scrolled && first) {
        revealVertically(first);
        t.scrolled = true;
      }
    }
    for (const el of this.marked) if (!want.has(el)) el.classList.remove(CLASS);
    for (const el of want) el.classList.add(CLASS);
    this.marked = want;
  }
}
