// What the page and the site's service worker say to each other
// (service-worker.ts, service-worker-client.ts).

export const SW_MESSAGES = {
  /** A waiting new build: take over now (workbox-window's messageSkipWaiting sends this). */
  skipWaiting: 'SKIP_WAITING',
  /** Which build do you serve? Answered with a BuildInfo on the message's port. */
  getBuild: 'GET_BUILD',
  /** The page has booted: store the files kept for later (the editor and its compilers) in the background. */
  cacheLater: 'CACHE_LATER',
} as const;

/**
 * Build files that a boot does not need and that are large (the editor and
 * its compilers, about 15 MB): installing does not wait for them; they are
 * stored in the background once a page has booted, so they are there offline
 * after one visit too.
 */
export const LATER_FILES = /(^|\/)(editor-pane|compiler|compile-worker|library-sources|asc|wabt)-[^/]*\.js$/;

export interface BuildInfo {
  /** The release label (ZOS_VERSION at build time, else package.json's version). */
  version: string;
  /** A digest of the build's file list: differs between any two builds. */
  build: string;
  /** How many files it keeps for offline use. */
  files: number;
}
