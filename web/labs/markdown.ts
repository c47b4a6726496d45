// Markdown to safe HTML for the labs: marked renders, DOMPurify sanitizes
// (a lab file is data, and data does not get to run script in the page).
// Links open in a new tab, since leaving the page would end the running system.

import DOMPurify from 'dompurify';
import { Marked } from 'marked';

const marked = new Marked({ gfm: true, breaks: false, async: false });

DOMPurify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A' && node.getAttribute('href')) {
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer');
  }
});

const clean = (html: string): string => DOMPurify.sanitize(html, { ADD_ATTR: ['target'] });

/** A block of markdown (paragraphs, lists, code) as sanitized HTML. */
export function markdownHtml(text: string): string {
  return clean(marked.parse(text) as string);
}

/** One line of markdown (code spans, emphasis, links), without a paragraph around it. */
export function inlineHtml(text: string): string {
  return clean(marked.parseInline(text) as string);
}

/** An element holding rendered markdown. */
export function markdownElement<K extends keyof HTMLElementTagNameMap>(tag: K, text: string, inline = false,
  className = ''): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (className) el.className = className;
  el.innerHTML = inline ? inlineHtml(text) : markdownHtml(text);
  return el;
}
