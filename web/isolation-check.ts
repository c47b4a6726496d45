// zos needs SharedArrayBuffer (kernel and process workers share mailboxes),
// which browsers give only to a cross-origin-isolated page. When the page
// isn't, this says so plainly, naming the header(s) the server left out,
// instead of a boot that fails somewhere deep.

import { h, replaceChildren } from './dom.ts';

export const REQUIRED_HEADERS: Record<string, string> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export interface IsolationProblem {
  crossOriginIsolated: boolean;
  sharedArrayBuffer: boolean;
  /** Required headers that the page's response lacks (or has with another value). */
  missing: string[];
  /** True when the response could be fetched again to look at its headers. */
  headersChecked: boolean;
}

export async function checkIsolation(): Promise<IsolationProblem | null> {
  const isolated = globalThis.crossOriginIsolated === true;
  const sab = typeof SharedArrayBuffer === 'function';
  if (isolated && sab) return null;
  let missing = Object.keys(REQUIRED_HEADERS);
  let headersChecked = false;
  try {
    const res = await fetch(location.href, { cache: 'no-store' });
    missing = Object.entries(REQUIRED_HEADERS)
      .filter(([name, value]) => (res.headers.get(name) ?? '').trim().toLowerCase() !== value)
      .map(([name]) => name);
    headersChecked = true;
  } catch {
    // Can't look: name both.
  }
  return { crossOriginIsolated: isolated, sharedArrayBuffer: sab, missing, headersChecked };
}

export function renderIsolationMessage(root: HTMLElement, p: IsolationProblem): void {
  const names = p.missing.length ? p.missing : Object.keys(REQUIRED_HEADERS);
  const lacking = [
    !p.crossOriginIsolated ? h('code', {}, 'crossOriginIsolated') : null, !p.crossOriginIsolated ? ' is false' : null,
    !p.crossOriginIsolated && !p.sharedArrayBuffer ? ' and ' : null,
    !p.sharedArrayBuffer ? h('code', {}, 'SharedArrayBuffer') : null, !p.sharedArrayBuffer ? ' is missing' : null,
  ];
  replaceChildren(root, h('main', { class: 'isolation-error', role: 'alert', 'data-testid': 'isolation-error' },
    h('div', { class: 'card' },
      h('div', { class: 'logo big' }, 'zos'),
      h('h1', {}, 'This page is not cross-origin isolated'),
      h('p', {}, 'zos runs each process in a Web Worker that shares memory with the kernel through ',
        h('code', {}, 'SharedArrayBuffer'), ' and ', h('code', {}, 'Atomics'),
        '. Browsers allow that only in a cross-origin-isolated page, and here ', ...lacking, '.'),
      h('p', {}, p.missing.length && p.headersChecked
        ? `The server did not send ${names.length === 1 ? 'this header' : 'these headers'}:`
        : 'The server must send both of these headers with the page:'),
      h('pre', { 'data-testid': 'missing-headers' }, names.map((n) => `${n}: ${REQUIRED_HEADERS[n]}`).join('\n')),
      !p.missing.length && p.headersChecked
        ? h('p', { class: 'dim' }, 'The page’s response does carry both; is it embedded in a page that is not isolated, or opened in a browser without SharedArrayBuffer?')
        : null,
      h('p', { class: 'dim' }, 'The development and preview servers send both (', h('code', {}, 'npm start'), ', ',
        h('code', {}, 'npm run preview'), '; see ', h('code', {}, 'vite.config.ts'),
        '). Behind another server, add them to every response of this site.'))));
}
