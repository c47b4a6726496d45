// The two response headers that make a page cross-origin isolated, which is
// what gives it SharedArrayBuffer (and so Atomics.wait between the kernel and
// the process workers). One list for everyone who sends, adds or checks them:
// the dev and preview servers (vite.config.ts), the service worker of the
// built site (service-worker.ts) and the page's own check (isolation-check.ts).

export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};
