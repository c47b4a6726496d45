// Placeholder entry point, to be replaced by the desktop UI. It only shows
// whether the page is cross-origin isolated (needed for SharedArrayBuffer).
const app = document.getElementById('app');
if (app) {
  app.textContent = `crossOriginIsolated: ${String(globalThis.crossOriginIsolated)}`;
  app.dataset.crossOriginIsolated = String(globalThis.crossOriginIsolated);
}
export {};
