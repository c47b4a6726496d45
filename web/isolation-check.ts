// zos needs SharedArrayBuffer (kernel and process workers share mailboxes),
// which browsers give only to a cross-origin-isolated page. When the page
// isn't, this says so plainly, naming the header(s) the server left out and,
// in a built site, why its service worker could not add them, instead of a
// boot that fails somewhere deep.

import { h, replaceChildren } from './dom.ts';
import { ISOLATION_HEADERS } from './isolation-headers.ts';
import type { SiteStatus } from './service-worker-client.ts';

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
  let missing = Object.keys(ISOLATION_HEADERS);
  let headersChecked = false;
  try {
    const res = await fetch(location.href, { cache: 'no-store' });
    missing = Object.entries(ISOLATION_HEADERS)
      .filter(([name, value]) => (res.headers.get(name) ?? '').trim().toLowerCase() !== value)
      .map(([name]) => name);
    headersChecked = true;
  } catch {
    // Can't look: name both.
  }
  return { crossOriginIsolated: isolated, sharedArrayBuffer: sab, missing, headersChecked };
}

/** Shown while the first visit's service worker stores the site, before the one reload. */
export function renderSetupMessage(root: HTMLElement): void {
  replaceChildren(root, h('main', { class: 'isolation-error setup', role: 'status', 'data-testid': 'site-setup' },
    h('div', { class: 'card' },
      h('div', { class: 'logo big' }, 'zos'),
      h('h1', {}, 'Setting up zos on this computer'),
      h('p', {}, 'This host does not send the headers that make the page cross-origin isolated, so zos installs a service worker that adds them. It also stores every file of zos, so that later visits start from this computer, online or not.'),
      h('p', { class: 'dim' }, 'The page reloads once when that is done; this happens only on the first visit.'))));
}

export function renderIsolationMessage(root: HTMLElement, p: IsolationProblem, site: SiteStatus): void {
  const names = p.missing.length ? p.missing : Object.keys(ISOLATION_HEADERS);
  const lacking = [
    !p.crossOriginIsolated ? h('code', {}, 'crossOriginIsolated') : null, !p.crossOriginIsolated ? ' is false' : null,
    !p.crossOriginIsolated && !p.sharedArrayBuffer ? ' and ' : null,
    !p.sharedArrayBuffer ? h('code', {}, 'SharedArrayBuffer') : null, !p.sharedArrayBuffer ? ' is missing' : null,
  ];
  const worker = site.worker === 'dev' ? null : serviceWorkerStory(site);
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
      h('pre', { 'data-testid': 'missing-headers' }, names.map((n) => `${n}: ${ISOLATION_HEADERS[n]}`).join('\n')),
      !p.missing.length && p.headersChecked
        ? h('p', { class: 'dim' }, 'The page’s response does carry both; is it embedded in a page that is not isolated, or opened in a browser without SharedArrayBuffer?')
        : null,
      worker,
      worker
        ? h('p', { class: 'dim' }, 'A server that sends both headers needs no service worker: add them to every response of this site.')
        : h('p', { class: 'dim' }, 'The development and preview servers send both (', h('code', {}, 'npm start'), ', ',
          h('code', {}, 'npm run preview'), '; see ', h('code', {}, 'vite.config.ts'),
          '). Behind another server, add them to every response of this site.'))));
}

/** Why the built site's service worker, which adds the headers on hosts that can't, did not. */
function serviceWorkerStory(site: SiteStatus): HTMLElement {
  const intro = 'On a host that cannot send them, zos’s service worker adds them (the first visit reloads once). Here it could not: ';
  const why = ((): string => {
    switch (site.worker) {
      case 'unsupported':
        return window.isSecureContext
          ? 'this browser offers no service workers. Some private windows (Firefox’s) have none, and settings or policies can turn them off. Open the page in a normal window.'
          : `this page is not in a secure context (${location.protocol}// from another machine), and browsers run service workers only on https:// or on localhost. Serve the site over HTTPS.`;
      case 'refused':
        return `the browser refused it (“${site.problem}”). A private window, or a setting that blocks site data for this site, refuses the storage it needs. Open the page in a normal window, or allow site data for this site.`;
      case 'failed':
        return `it could not be installed: ${site.problem}. It stores every file of zos first; check the connection and reload.`;
      case 'stuck':
        return 'the page reloaded for it, and still came back without it: something bypasses service workers here (the developer tools can be set to). Reload.';
      case 'ready':
        return 'it is running and served this page, but the browser did not isolate the page through it. Use a current browser (Chrome, Edge, Firefox, Safari).';
      default:
        return `it is ${site.worker}.`;
    }
  })();
  return h('p', { 'data-testid': 'service-worker-problem' }, intro, why, ' ',
    h('button', { class: 'btn', onclick: () => location.reload() }, 'Reload'));
}
