// Small DOM and formatting helpers shared by the panels. No framework: the
// panels build their DOM once and update text in place at a few hertz.

type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;

/** Creates an element: attributes (`on*` become listeners, booleans toggle) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]):
  HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  append(el, ...children);
  return el;
}

export function append(el: Node, ...children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

/** Sets text only when it changed: cheap to call at every refresh. */
export function setText(el: Element, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}

export function replaceChildren(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, ...children);
}

export function shortHash(hash: string | null | undefined, n = 8): string {
  return hash ? hash.slice(0, n) : '—';
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

export function formatCount(n: number): string {
  if (n < 10_000) return String(n);
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 100_000 ? 1 : 0)}k`;
  return `${(n / 1_000_000).toFixed(2)}M`;
}

/** ns since boot as seconds with ms precision. */
export function formatNs(ns: number): string {
  return (ns / 1e9).toFixed(3);
}

export function formatDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

/** Parses a non-negative integer from user input, or null. */
export function parseUint(text: string): number | null {
  const t = text.trim();
  if (!/^(0x[0-9a-f]+|\d+)$/i.test(t)) return null;
  const n = Number(t);
  return Number.isSafeInteger(n) ? n : null;
}

/**
 * Scrolls the containers a user can scroll (overflow auto or scroll) just
 * enough to show `el`, vertically only: unlike scrollIntoView, it never
 * scrolls the page itself, whose overflow is hidden, or a wide table sideways.
 */
export function revealVertically(el: Element): void {
  for (let a = el.parentElement; a; a = a.parentElement) {
    if (!/auto|scroll/.test(getComputedStyle(a).overflowY) || a.scrollHeight <= a.clientHeight) continue;
    const r = el.getBoundingClientRect();
    const box = a.getBoundingClientRect();
    if (r.top < box.top) a.scrollTop -= box.top - r.top + 8;
    else if (r.bottom > box.bottom) a.scrollTop += Math.min(r.bottom - box.bottom + 8, r.top - box.top - 8);
  }
}
