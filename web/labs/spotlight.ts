// Points at things on the page for a few seconds: what a "show me" changed
// (a capability row, a process, an endpoint) or a control a step is about.
// The panels rebuild their rows when the state changes, so the mark is put
// back at every refresh on whatever matches, until its time is up; the
// first match is scrolled into view (again for a moment, while the panels settle).

import { revealVertically } from '../dom.ts';

const CLASS = 'lab-spot';
const DEFAULT_MS = 6000;
/** How long after a target is first revealed it is revealed again, should what is above it move. */
const SETTLE_MS = 800;

interface Target {
  selector: string;
  until: number;
  /** When it was first scrolled into view (performance.now()), or null. */
  scrolled: number | null;
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
      if (old) Object.assign(old, { until, scrolled: null });
      else this.targets.push({ selector, until, scrolled: null });
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
      // Revealed again for a moment after the first time: the panels may still move under it (the lab strip
      // appearing above them), and it is already in view otherwise, so a user's own scrolling is not undone.
      if (first && (t.scrolled === null || now - t.scrolled < SETTLE_MS)) {
        revealVertically(first);
        t.scrolled ??= now;
      }
    }
    for (const el of this.marked) if (!want.has(el)) el.classList.remove(CLASS);
    for (const el of want) el.classList.add(CLASS);
    this.marked = want;
  }
}
