// The page's side of the site's service worker (service-worker.ts), in a
// production build; the dev server has no service worker (it sends the
// isolation headers itself, and a cache would only get in the way).
//
// - First visit to a host that sends no isolation headers: register the
//   worker, wait until it controls the page (it has then stored every file of
//   the build), reload once. The reload comes back through the worker, with
//   the headers, and the page is cross-origin isolated.
// - A host that does send them: nothing changes. The worker is registered
//   only after the boot (it must not compete with it) and keeps the build for
//   offline use from then on.
// - Updates: a new build, found when the browser checks the worker on a
//   visit, installs next to the running one and waits; the page says so. The
//   next visit switches to it before booting (one more reload) and says which
//   build it replaced. A page still running when another tab switches is told
//   that its build's files are gone, never handed the new build's.

import { messageSW } from 'workbox-window';
import { storageGet, storageRemove, storageSet } from './safe-storage.ts';
import { SW_MESSAGES, type BuildInfo } from './service-worker-protocol.ts';

declare const __ZOS_VERSION__: string;

/** The release label this page was built with. */
export const ZOS_VERSION: string = __ZOS_VERSION__;

export type WorkerState =
  | 'dev' // a dev-server page: no service worker by design
  | 'unsupported' // navigator.serviceWorker is missing
  | 'refused' // the browser refused to register it
  | 'failed' // it could not be installed
  | 'stuck' // the page reloaded for it, and it still does not control the page
  | 'pending' // not registered yet (a host that sends the headers: it registers after the boot)
  | 'installing' // storing the build
  | 'ready'; // controls the page: the build is stored for offline use

export interface SiteStatus {
  worker: WorkerState;
  /** What the browser said when it refused or failed. */
  problem: string | null;
  /** This page's release label. */
  version: string;
  /** The build the service worker serves this page from (null until known). */
  build: string | null;
  /** A newer build, downloaded and waiting for the next visit. */
  update: BuildInfo | null;
  /** The build this visit replaced, when it is the first visit since an update. */
  updatedFrom: string | null;
  /** A newer build that took over while this page ran (from another tab, or late): this page's files are no longer stored. */
  supersededBy: BuildInfo | null;
}

const SW_URL = `${import.meta.env.BASE_URL}service-worker.js`;
/**
 * sessionStorage: when the page reloaded for the worker, so that it cannot
 * loop. Times, not a flag: a cross-origin-isolated page runs with its own
 * copy of sessionStorage (Chromium swaps browsing context groups on COOP), so
 * the isolated page cannot clear what the page before it set, and a later
 * hard reload (which bypasses the worker, and so costs one more reload of
 * ours) finds it again.
 */
const RELOADED_KEY = 'zos.isolationReloads';
/** Two reloads for the worker within this time that still come back without it: it will not come. */
const RELOAD_WINDOW_MS = 15_000;
const MAX_RELOADS = 2;
/** localStorage: the build the last visit ran, to say "updated from …" (per site: one origin may hold several). */
const LAST_BUILD_KEY = `zos.lastBuild ${new URL(import.meta.env.BASE_URL, document.baseURI).href}`;
/** How long a switch to a waiting build may take before the page boots the build it has. */
const SWITCH_TIMEOUT_MS = 5000;

export class SiteWorker {
  readonly status: SiteStatus = {
    worker: import.meta.env.PROD ? 'pending' : 'dev', problem: null, version: ZOS_VERSION,
    build: null, update: null, updatedFrom: null, supersededBy: null,
  };
  /** Called whenever `status` changes. */
  onChange: () => void = () => {};
  private switching = false;

  /**
   * Runs before anything else on the page. Resolves false when the page is
   * about to reload (the first visit's reload, or the switch to a waiting
   * build); true when it should go on (and check its isolation).
   */
  async prepare(): Promise<boolean> {
    if (this.status.worker === 'dev') return true;
    if (!('serviceWorker' in navigator)) {
      this.set({ worker: 'unsupported' });
      return true;
    }
    const container = navigator.serviceWorker;
    if (globalThis.crossOriginIsolated) {
      if (!container.controller) return true;
      const registration = await container.getRegistration();
      // The visit after a new build was downloaded: switch before booting.
      // Should the hand-over not come, boot this build (the banner still
      // offers the new one) rather than wait on a blank page.
      return !(registration?.waiting && await this.switchTo(registration.waiting, SWITCH_TIMEOUT_MS));
    }
    if (container.controller) {
      // It serves this page and the page is still not isolated: the browser
      // did not take the headers from it. isolation-check.ts explains.
      this.set({ worker: 'ready' });
      return true;
    }
    const reloads = recentReloads();
    if (reloads.length >= MAX_RELOADS) {
      this.set({ worker: 'stuck' });
      return true;
    }
    this.set({ worker: 'installing' });
    try {
      const registration = await registered(container);
      // Already active (a hard reload bypassed it): a plain reload comes back through it.
      if (!registration.active) await untilControlled(registration);
    } catch (e) {
      const message = (e as Error).message || String(e);
      this.set({ worker: e instanceof InstallFailed ? 'failed' : 'refused', problem: message });
      return true;
    }
    if (!storageSet('session', RELOADED_KEY, JSON.stringify([...reloads, Date.now()]))) {
      this.set({ worker: 'refused', problem: 'sessionStorage is not available, so the page cannot reload just once' });
      return true;
    }
    location.reload();
    return false;
  }

  /**
   * Runs once the boot has settled: registers the worker where `prepare` did
   * not need to (a host that sends the headers), and follows new builds.
   * (Not workbox-window's Workbox class: it misses an update that was already
   * installing when it registers, and the browser starts that check at the
   * navigation, long before the boot is over.)
   */
  async start(): Promise<void> {
    const state = this.status.worker;
    if (state !== 'pending' && state !== 'ready' && state !== 'installing') return;
    const container = navigator.serviceWorker;
    let controlled = container.controller !== null;
    let registration: ServiceWorkerRegistration;
    try {
      if (!controlled) this.set({ worker: 'installing' });
      registration = await registered(container);
    } catch (e) {
      this.set({ worker: 'refused', problem: (e as Error).message || String(e) });
      return;
    }
    container.addEventListener('controllerchange', () => {
      if (this.switching) return;
      if (controlled) void this.noteSuperseded();
      else void this.noteReady();
      controlled = true;
    });
    const follow = (sw: ServiceWorker | null): void => {
      if (!sw) return;
      const check = (): void => {
        if (sw.state === 'installed' && controlled) void this.noteUpdate(sw);
        if (sw.state === 'redundant' && !controlled) this.set({ worker: 'failed', problem: 'it could not store the files of this build' });
      };
      sw.addEventListener('statechange', check);
      check();
    };
    follow(registration.waiting);
    follow(registration.installing);
    registration.addEventListener('updatefound', () => follow(registration.installing));
    if (controlled) await this.noteReady();
  }

  /** Switches to the waiting build now (the page reloads). */
  async restartIntoUpdate(): Promise<void> {
    const registration = await navigator.serviceWorker.getRegistration();
    if (!registration?.waiting || !await this.switchTo(registration.waiting, SWITCH_TIMEOUT_MS)) location.reload();
  }

  /** True when the host answers (the worker's own script is never stored, so this asks the network). */
  async hostReachable(): Promise<boolean> {
    return fetch(SW_URL, { cache: 'no-store' }).then((r) => r.ok, () => false);
  }

  /**
   * Forgets the stored copy of the site (its worker and that worker's
   * caches) and reloads: the way out of a stale or broken copy. Only this
   * site's: other sites under other paths of the same host (a GitHub Pages
   * user's projects share one origin) keep theirs.
   */
  async clearOfflineCopy(): Promise<void> {
    const registration = 'serviceWorker' in navigator ? await navigator.serviceWorker.getRegistration() : undefined;
    if (registration) {
      await registration.unregister();
      // Workbox names its caches `workbox-<what>-<scope>`.
      for (const name of await caches.keys()) if (name.endsWith(registration.scope)) await caches.delete(name);
    }
    storageRemove('session', RELOADED_KEY);
    location.reload();
  }

  /**
   * Asks the waiting build's worker to take over; reloads into it when it
   * does and resolves true. Resolves false when it has not within `timeoutMs`.
   */
  private switchTo(waiting: ServiceWorker, timeoutMs: number): Promise<boolean> {
    const container = navigator.serviceWorker;
    this.switching = true;
    return new Promise((resolve) => {
      const done = (switched: boolean): void => {
        clearTimeout(timer);
        container.removeEventListener('controllerchange', took);
        this.switching = false;
        if (switched) location.reload();
        resolve(switched);
      };
      const took = (): void => done(true);
      const timer = setTimeout(() => done(false), timeoutMs);
      container.addEventListener('controllerchange', took);
      waiting.postMessage({ type: SW_MESSAGES.skipWaiting });
    });
  }

  private async noteReady(): Promise<void> {
    const controller = navigator.serviceWorker.controller;
    if (!controller) return;
    const info = await askBuild(controller);
    const last = storageGet('local', LAST_BUILD_KEY);
    storageSet('local', LAST_BUILD_KEY, info.build);
    this.set({ worker: 'ready', build: info.build, updatedFrom: last !== null && last !== info.build ? last : null });
    // Booted: the worker may now fetch the large files the boot did not need, in the background.
    controller.postMessage({ type: SW_MESSAGES.cacheLater });
  }

  private async noteUpdate(sw: ServiceWorker): Promise<void> {
    this.set({ update: await askBuild(sw) });
  }

  private async noteSuperseded(): Promise<void> {
    const controller = navigator.serviceWorker.controller;
    if (controller) this.set({ supersededBy: await askBuild(controller), update: null });
  }

  private set(change: Partial<SiteStatus>): void {
    Object.assign(this.status, change);
    this.onChange();
  }
}

class InstallFailed extends Error {}

/** When the page reloaded for the worker within RELOAD_WINDOW_MS. */
function recentReloads(): number[] {
  let times: unknown;
  try { times = JSON.parse(storageGet('session', RELOADED_KEY) ?? '[]'); } catch { times = []; }
  const now = Date.now();
  return Array.isArray(times) ? times.filter((t): t is number => typeof t === 'number' && now - t < RELOAD_WINDOW_MS) : [];
}

/** Registers the worker; a browser that answers with no registration has refused it too. */
async function registered(container: ServiceWorkerContainer): Promise<ServiceWorkerRegistration> {
  const registration = await container.register(SW_URL) as ServiceWorkerRegistration | undefined;
  if (!registration) throw new Error('the browser answered the registration with nothing');
  return registration;
}

/** Resolves when a worker of `registration` controls this page; rejects when its install fails. */
function untilControlled(registration: ServiceWorkerRegistration): Promise<void> {
  return new Promise((resolve, reject) => {
    navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), { once: true });
    const installing = registration.installing ?? registration.waiting;
    installing?.addEventListener('statechange', () => {
      if (installing.state === 'redundant') {
        reject(new InstallFailed('it could not store the files of this build (a download failed: see the browser console)'));
      }
    });
  });
}

function askBuild(sw: ServiceWorker): Promise<BuildInfo> {
  return messageSW(sw, { type: SW_MESSAGES.getBuild }) as Promise<BuildInfo>;
}
