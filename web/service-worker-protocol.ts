// What the page and the site's service worker say to each other
// (service-worker.ts, service-worker-client.ts).

export const SW_MESSAGES = {
  /** A waiting new build: take over now (workbox-window's messageSkipWaiting sends this). */
  skipWaiting: 'SKIP_WAITING',
  /** Which build do you serve? Answered with a BuildInfo on the message's port. */
  getBuild: 'GET_BUILD',
} as const;

export interface BuildInfo {
  /** The release label (ZOS_VERSION at build time, else package.json's version). */
  version: string;
  /** A digest of the build's file list: differs between any two builds. */
  build: string;
  /** How many files it keeps for offline use. */
  files: number;
}
