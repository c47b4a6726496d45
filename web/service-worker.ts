/// <reference lib="webworker" />
// The service worker of the built site (`npm run build` makes
// dist/service-worker.js from this file; vite-plugin-pwa puts the list of
// every file of the build where `self.__WB_MANIFEST` stands). Two jobs:
//
// - Isolation on any static host. zos needs a cross-origin-isolated page
//   (SharedArrayBuffer), and most static hosts cannot send COOP and COEP. A
//   response that passes through here gets them when the server left them
//   out; one that has them is passed on unchanged. The page registers this
//   worker and reloads once on the first visit (service-worker-client.ts).
// - Offline. Installing precaches what a boot needs (the page, its chunks,
//   the workers, the WASM programs, the icons); the editor and its compilers
//   (large, and not needed to boot) are stored once a page has booted. So
//   after one visit everything is served from here, with or without a network. A new build installs next to the
//   running one and waits: the page says so, and switches on its next visit.
//   It never mixes files of two builds.

import { addPlugins, cleanupOutdatedCaches, precacheAndRoute, type PrecacheEntry } from 'workbox-precaching';
import { registerRoute, setDefaultHandler } from 'workbox-routing';
import { CacheFirst, NetworkOnly } from 'workbox-strategies';
import type { WorkboxPlugin } from 'workbox-core/types.js';
import { ISOLATION_HEADERS } from './isolation-headers.ts';
import { LATER_FILES, SW_MESSAGES, type BuildInfo } from './service-worker-protocol.ts';

declare const __ZOS_VERSION__: string;
// `self` here is the worker's scope; the build finds `self.__WB_MANIFEST` by that exact text.
declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Array<PrecacheEntry | string> };

const BUILD_FILES = self.__WB_MANIFEST;
const urlOf = (e: PrecacheEntry | string): string => (typeof e === 'string' ? e : e.url);
const revisionOf = (e: PrecacheEntry | string): string => (typeof e === 'string' ? '' : e.revision ?? '');
/** Stored at install: what a boot needs. The rest is stored after a boot (LATER_FILES). */
const NOW_FILES = BUILD_FILES.filter((e) => !LATER_FILES.test(urlOf(e)));
const LATER = BUILD_FILES.filter((e) => LATER_FILES.test(urlOf(e)));

/** The response with the isolation headers it lacks; untouched when it has both, or is opaque. */
async function withIsolationHeaders(response: Response): Promise<Response> {
  if (response.type === 'opaque' || response.type === 'opaqueredirect') return response;
  const missing = Object.entries(ISOLATION_HEADERS).filter(([name]) => !response.headers.has(name));
  if (missing.length === 0) return response;
  const headers = new Headers(response.headers);
  for (const [name, value] of missing) headers.set(name, value);
  // Our own files only: nothing cross-origin is loaded, so no
  // Cross-Origin-Resource-Policy is needed on top. The body is read whole
  // rather than streamed through: a stream still open keeps this worker
  // busy, and a busy worker holds back the activation of a new build.
  return new Response(await response.arrayBuffer(), { status: response.status, statusText: response.statusText, headers });
}

const isolation: WorkboxPlugin = {
  handlerWillRespond: ({ response }) => withIsolationHeaders(response),
};

addPlugins([isolation]);
// `./` is the directory's index.html, as static hosts serve it.
precacheAndRoute(NOW_FILES, { directoryIndex: 'index.html', cleanURLs: false });
cleanupOutdatedCaches();

// The later files: one cache per build (its name carries the build id), so two
// builds' files never mix; served from it once stored, from the network before.
const LATER_PREFIX = 'zos-later-';
const laterCache = async (): Promise<string> => `${LATER_PREFIX}${await (buildId ??= computeBuildId())}-${self.registration.scope}`;
registerRoute(({ url }) => url.origin === self.location.origin && LATER_FILES.test(url.pathname),
  async (options) => new CacheFirst({ cacheName: await laterCache(), plugins: [isolation] }).handle(options));

/** Stores every later file not stored yet, and drops other builds' later caches of this site. */
async function storeLaterFiles(): Promise<void> {
  const name = await laterCache();
  const cache = await caches.open(name);
  for (const entry of LATER) {
    const url = new URL(urlOf(entry), self.registration.scope).href;
    if (await cache.match(url)) continue;
    const response = await fetch(url, { cache: revisionOf(entry) ? 'no-cache' : 'default' });
    if (response.ok) await cache.put(url, response);
  }
  for (const old of await caches.keys()) {
    if (old.startsWith(LATER_PREFIX) && old.endsWith(self.registration.scope) && old !== name) await caches.delete(old);
  }
}
// Anything not in the build (a request the page makes to elsewhere on the
// host) goes to the network, with the headers added all the same.
setDefaultHandler(new NetworkOnly({ plugins: [isolation] }));

// The first visit's page is not controlled yet: take it over at once, so its
// one reload comes back through here. (A new build's worker waits instead
// until the page asks it to take over: see `SKIP_WAITING`.)
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

let buildId: Promise<string> | undefined;

/** A short digest of the file list with revisions: two builds differ iff their files do. */
function computeBuildId(): Promise<string> {
  const text = JSON.stringify(BUILD_FILES.map((e) => (typeof e === 'string' ? e : [e.url, e.revision ?? ''])));
  return crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))
    .then((d) => Array.from(new Uint8Array(d).slice(0, 4), (b) => b.toString(16).padStart(2, '0')).join(''));
}

self.addEventListener('message', (event) => {
  const type = (event.data as { type?: unknown } | null)?.type;
  if (type === SW_MESSAGES.skipWaiting) {
    void self.skipWaiting();
  } else if (type === SW_MESSAGES.cacheLater) {
    event.waitUntil(storeLaterFiles().catch(() => undefined)); // tried again after the next boot
  } else if (type === SW_MESSAGES.getBuild) {
    buildId ??= computeBuildId();
    const reply = event.ports[0];
    event.waitUntil(buildId.then((id) => {
      const info: BuildInfo = { version: __ZOS_VERSION__, build: id, files: BUILD_FILES.length };
      reply?.postMessage(info);
    }));
  }
});
