// The desktop's entry point (index.html loads it). In a built site, lets the
// service worker make the page isolated and keep it for offline use; checks
// that the page can run zos at all, builds the desktop, boots, and installs
// `window.zos`.

import './styles.css';
import { startBootEarly } from './boot.ts';
import { Desktop } from './desktop.ts';
import { checkIsolation, renderIsolationMessage, renderSetupMessage } from './isolation-check.ts';
import { createPageApi, installPageApi, type ZosPageApi } from './page-api.ts';
import { SiteBanner } from './site-banner.ts';
import { SiteWorker } from './service-worker-client.ts';

async function main(): Promise<void> {
  // Already isolated (the usual case): the programs' download, their
  // compiling and the first workers start now, before anything else.
  if (globalThis.crossOriginIsolated) startBootEarly();
  const root = document.getElementById('app') ?? document.body;
  const site = new SiteWorker();
  site.onChange = () => { if (site.status.worker === 'installing') renderSetupMessage(root); };
  if (!(await site.prepare())) return; // the page reloads
  const problem = await checkIsolation();
  if (problem) {
    renderIsolationMessage(root, problem, site.status);
    installPageApi(unavailableApi(`zos cannot run: the page is not cross-origin isolated (missing: ${problem.missing.join(', ') || 'isolation'})`, site));
    return;
  }
  startBootEarly();
  const banner = new SiteBanner(site);
  const desktop = new Desktop(root, { pill: banner.pill, banner: banner.element });
  installPageApi(createPageApi(desktop, site));
  // The service worker registers (or is asked about new builds) only once the
  // boot is over: it must not compete with it.
  void desktop.boot().catch((e: unknown) => banner.bootFailed(e)).then(() => site.start());
}

/** What `window.zos` is when the system cannot run: every call explains why. */
function unavailableApi(reason: string, site: SiteWorker): ZosPageApi {
  const fail = (): never => { throw new Error(reason); };
  const ready = Promise.reject(new Error(reason));
  ready.catch(() => {});
  return {
    ready, booted: false, bootId: null, timings: { promptMs: null },
    boot: () => ready, spawn: () => ready as Promise<never>, processes: fail, caps: fail, endpoints: fail, consoleText: fail, sendInput: fail,
    kill: fail, waitForExit: () => ready as Promise<never>, syslog: fail, commits: fail, commitLog: fail, verify: fail, stateHash: fail,
    terminals: () => [], openTerminal: () => ready as Promise<never>, screenText: fail, terminalView: fail, flush: () => ready,
    boots: () => ready as Promise<never>, showPanel: fail, site: () => ({ ...site.status }), openInEditor: () => ready,
    editor: { run: () => ready as Promise<never>, state: () => ready as Promise<never>, setSource: () => ready, shareLink: () => ready as Promise<never> },
    actFor: fail,
    timeline: { shown: fail, goTo: fail, step: fail, live: fail, openBoot: () => ready as Promise<never>, openTrace: () => ready as Promise<never>, diff: fail },
    graph: { open: () => ready, nodes: fail, edges: fail, box: fail, filter: fail, mode: fail },
  };
}

void main();
