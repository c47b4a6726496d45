import { readFileSync } from 'node:fs';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { ISOLATION_HEADERS } from './web/isolation-headers.ts';

// The label the page and its service worker show ("zos 0.1.0"): ZOS_VERSION
// at build time names a release (a tag, a commit), else package.json's version.
const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };
const ZOS_VERSION = process.env.ZOS_VERSION || pkg.version;

export default defineConfig({
  root: '.',
  // Relative URLs everywhere in the build (index.html, the chunks, the
  // workers, the WASM programs, the service worker): dist/ works from any
  // path of any host, `/`, `/zos/` or `/a/b/`. The dev server still serves at `/`.
  base: './',
  define: {
    __ZOS_VERSION__: JSON.stringify(ZOS_VERSION),
  },
  server: {
    // SharedArrayBuffer (and so Atomics.wait between kernel and process workers)
    // exists only in a cross-origin-isolated page: every response must carry these.
    headers: { ...ISOLATION_HEADERS },
    // A rebuild of the apps must not reload a running desktop under a test:
    // the page fetches apps/build/*.wasm at boot; reload by hand to take new ones.
    watch: { ignored: ['**/test-results/**', '**/playwright-report/**', '**/apps/build/**'] },
  },
  preview: {
    headers: { ...ISOLATION_HEADERS },
  },
  plugins: [
    // The built site's service worker (web/service-worker.ts): it adds the
    // isolation headers where a static host sends none, and keeps every file
    // of the build for offline use. Only in `vite build`: dev has neither need.
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'web',
      filename: 'service-worker.ts',
      // web/service-worker-client.ts registers it: the first visit must wait
      // for it and reload once, which no generated register script does.
      injectRegister: false,
      // The icons are build files like any other: globPatterns below already has them.
      includeManifestIcons: false,
      injectManifest: {
        // The whole build output, whatever later features add to it. The
        // worker stores the large files a boot does not need (the editor and
        // its compilers, LATER_FILES) only after a page has booted.
        globPatterns: ['**/*'],
        maximumFileSizeToCacheInBytes: 64 * 1024 * 1024,
        // A classic script: module service workers are not in every browser yet.
        rollupFormat: 'iife',
      },
      // The worker's own small build need not list its one file: the plugin
      // reports what it precaches.
      integration: { configureCustomSWViteBuild: (config) => { config.logLevel = 'warn'; } },
      manifest: {
        name: 'zos — a capability microkernel in the browser',
        short_name: 'zos',
        description: 'A capability microkernel OS simulated in the page: WASM processes in workers, terminals, a capability inspector.',
        start_url: './',
        scope: './',
        display: 'standalone',
        background_color: '#0b0f14',
        theme_color: '#0b0f14',
        icons: [
          { src: 'icons/zos.svg', sizes: 'any', type: 'image/svg+xml' },
          { src: 'icons/zos-192.png', sizes: '192x192', type: 'image/png' },
          { src: 'icons/zos-512.png', sizes: '512x512', type: 'image/png' },
          { src: 'icons/zos-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
    }),
  ],
  worker: {
    format: 'es',
  },
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
  },
  optimizeDeps: {
    // Scan only the real entry (not test fixtures), and pre-bundle the browser
    // dependencies up front so the dev server doesn't discover them mid-test
    // and force a page reload. The editor's (CodeMirror, asc, wabt) load only
    // when it is opened, in its chunk and its worker, so they are listed too.
    entries: ['index.html'],
    include: [
      '@xterm/xterm', '@xterm/addon-fit', 'comlink', 'idb', 'hash-wasm', 'workbox-window',
      'codemirror', '@codemirror/state', '@codemirror/view', '@codemirror/lint', '@codemirror/lang-javascript',
      '@codemirror/lang-wast', '@codemirror/theme-one-dark', 'assemblyscript/asc', 'wabt',
    ],
  },
});
