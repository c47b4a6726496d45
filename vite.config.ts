import { defineConfig } from 'vite';

// SharedArrayBuffer (and so Atomics.wait between kernel and process workers)
// exists only in a cross-origin-isolated page: every response must carry these.
export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  root: '.',
  server: {
    headers: ISOLATION_HEADERS,
    // A rebuild of the apps must not reload a running desktop under a test:
    // the page fetches apps/build/*.wasm at boot; reload by hand to take new ones.
    watch: { ignored: ['**/test-results/**', '**/playwright-report/**', '**/apps/build/**'] },
  },
  preview: {
    headers: ISOLATION_HEADERS,
  },
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
      '@xterm/xterm', '@xterm/addon-fit', 'comlink', 'idb',
      'codemirror', '@codemirror/state', '@codemirror/view', '@codemirror/lint', '@codemirror/lang-javascript',
      '@codemirror/lang-wast', '@codemirror/theme-one-dark', 'assemblyscript/asc', 'wabt',
    ],
  },
});
